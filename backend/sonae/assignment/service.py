"""Run, store and read evacuation assignments. Services flush, never commit."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.assignment import demand
from sonae.assignment.figures import figures, nearest_over_capacity, shelter_loads
from sonae.assignment.models import AssignedPerson, AssignmentScope, EvacuationAssignment
from sonae.assignment.network import load_graph
from sonae.assignment.plan import Outcome, assign
from sonae.errors import InvalidInputError, NotFoundError
from sonae.hazard.models import HazardType
from sonae.logging import get_logger
from sonae.municipality import service as municipality_service
from sonae.support import service as support_service

log = get_logger(__name__)

STORE = """
COPY evacuation_assignment_person
    (municipality_code, assignment_id, person_id, shelter_id, nearest_shelter_id, walk_m,
     nearest_walk_m, walk_minutes, slow, needs_care, reason)
FROM STDIN
"""


def run_assignment(
    *,
    session: Session,
    municipality_code: str,
    created_by: str,
    scope: AssignmentScope = AssignmentScope.residents,
    hazard: str | None = None,
    as_of: date | None = None,
) -> EvacuationAssignment:
    """Assign the people in scope to shelters and store the run (and one row per person)."""
    if hazard is not None and hazard not in set(HazardType):
        raise InvalidInputError(f"hazard: unknown hazard type {hazard!r}")
    municipality = municipality_service.get(session=session, code=municipality_code)
    build = support_service.latest_build(session=session, municipality_code=municipality_code)
    if scope == AssignmentScope.support_list and build is None:
        raise InvalidInputError("scope support_list: no support list has been built yet")
    started = time.perf_counter()
    stages: dict[str, float] = {}

    def lap(name: str) -> None:
        stages[name] = round(time.perf_counter() - started - sum(stages.values()), 2)

    srid = municipality.plane_rectangular_srid
    people, places = demand.read_people(
        session=session,
        municipality_code=municipality_code,
        srid=srid,
        as_of=as_of or japan_time.today(),
        build_id=build.id if build else None,
        listed_only=scope == AssignmentScope.support_list,
        hazard=hazard,
    )
    shelters = demand.read_shelters(session=session, municipality_code=municipality_code, srid=srid)
    lap("read")
    graph = load_graph(session=session, municipality_code=municipality_code)
    lap("graph")
    outcomes = assign(people=people, places=places, shelters=shelters, graph=graph)
    lap("solve")
    loads = shelter_loads(outcomes, shelters)
    totals = figures(outcomes) | {"nearest_over_capacity": nearest_over_capacity(loads)}
    run = EvacuationAssignment(
        municipality_code=municipality_code,
        scope=scope,
        hazard=hazard,
        support_build_id=build.id if build else None,
        as_of=as_of or japan_time.today(),
        created_by=created_by,
        people=totals["people"],
        assigned=totals["assigned"],
        seconds=0.0,
        figures=totals,
        shelters=loads,
    )
    session.add(run)
    session.flush()
    lap("figures")
    _store(session, municipality_code, run.id, outcomes)
    lap("store")
    run.seconds = round(time.perf_counter() - started, 2)
    run.figures = totals | {"seconds_by_stage": stages}
    session.flush()
    log.info(
        "evacuation assignment stored",
        municipality=municipality_code,
        assignment=run.id,
        people=run.people,
        assigned=run.assigned,
        seconds=run.seconds,
    )
    return run


def _store(session: Session, code: str, run_id: int, outcomes: list[Outcome]) -> None:
    """COPY: a city's 164k rows in about a second (an INSERT of bound arrays takes several)."""

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    driver = session.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(STORE) as copy:
        for o in outcomes:
            copy.write_row(
                (
                    code,
                    run_id,
                    o.person_id,
                    o.shelter_id,
                    o.nearest_shelter_id,
                    rounded(o.walk_m),
                    rounded(o.nearest_walk_m),
                    rounded(o.walk_minutes),
                    o.slow,
                    o.needs_care,
                    str(o.reason),
                )
            )


def get_assignment(
    *, session: Session, municipality_code: str, assignment_id: int
) -> EvacuationAssignment:
    run = session.get(EvacuationAssignment, (municipality_code, assignment_id))
    if run is None:
        raise NotFoundError(f"assignment {assignment_id} does not exist in {municipality_code}")
    return run


def latest_assignment(*, session: Session, municipality_code: str) -> EvacuationAssignment | None:
    return session.scalars(
        select(EvacuationAssignment)
        .where(EvacuationAssignment.municipality_code == municipality_code)
        .order_by(EvacuationAssignment.id.desc())
        .limit(1)
    ).first()


def list_assignments(*, session: Session, municipality_code: str) -> list[EvacuationAssignment]:
    return list(
        session.scalars(
            select(EvacuationAssignment)
            .where(EvacuationAssignment.municipality_code == municipality_code)
            .order_by(EvacuationAssignment.id.desc())
        )
    )


def list_people(
    *,
    session: Session,
    municipality_code: str,
    assignment_id: int,
    shelter_id: int | None = None,
    reasons: Sequence[str] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[AssignedPerson]]:
    """Person-level results of a run, by person id, with the total before paging."""
    get_assignment(
        session=session, municipality_code=municipality_code, assignment_id=assignment_id
    )
    where = [
        AssignedPerson.municipality_code == municipality_code,
        AssignedPerson.assignment_id == assignment_id,
    ]
    if shelter_id is not None:
        where.append(AssignedPerson.shelter_id == shelter_id)
    if reasons:
        where.append(AssignedPerson.reason.in_(list(reasons)))
    total = session.scalar(select(func.count()).select_from(AssignedPerson).where(*where)) or 0
    rows = session.scalars(
        select(AssignedPerson)
        .where(*where)
        .order_by(AssignedPerson.person_id)
        .offset(offset)
        .limit(limit)
    )
    return total, list(rows)


def assigned_shelter(*, session: Session, municipality_code: str, person_id: int) -> int | None:
    """The person's shelter in the latest run (None: no run, or not placed in it)."""
    run = latest_assignment(session=session, municipality_code=municipality_code)
    if run is None:
        return None
    return session.scalar(
        select(AssignedPerson.shelter_id).where(
            AssignedPerson.municipality_code == municipality_code,
            AssignedPerson.assignment_id == run.id,
            AssignedPerson.person_id == person_id,
        )
    )
