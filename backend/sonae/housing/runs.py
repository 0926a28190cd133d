"""An allocation run: read applicants and free units from the database, call the pure
allocation, record the run, every decision and its reason, and move the applications.

Ages are computed at `as_of` (the run's date); disability and care from the welfare records.
A run takes the households received or waiting; the units already allocated or occupied are
not offered again, and the priority households on a site count against its cap.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.chome.models import Chome
from sonae.event.clock import require_event_date, server_clock
from sonae.event.phases import Workflow, require_workflow_open
from sonae.event.service import get_municipal_event
from sonae.housing.allocation import Allocation, Applicant, Site, allocate, default_vulnerable_cap
from sonae.housing.models import (
    HousingAllocationRun,
    HousingApplication,
    HousingDecision,
    HousingSite,
    HousingStatus,
)
from sonae.housing.service import OCCUPYING, move
from sonae.logging import get_logger
from sonae.registry.models import Person, ResidentStatus
from sonae.victim_registry.households import age_on
from sonae.welfare.models import CareLevel, WelfareRecord

log = get_logger(__name__)

ELDERLY_AGE = 65
INFANT_AGE = 6
"""乳幼児: under 6 (未就学), the guidance's families with infants."""
BARRIER_FREE_CARE = frozenset({CareLevel.care_3, CareLevel.care_4, CareLevel.care_5})


def applicants_of(
    session: Session, municipality_code: str, applications: list[HousingApplication], as_of: date
) -> list[Applicant]:
    households = {a.household_number for a in applications}
    rows = session.execute(
        select(Person, WelfareRecord)
        .outerjoin(
            WelfareRecord,
            (WelfareRecord.municipality_code == Person.municipality_code)
            & (WelfareRecord.person_id == Person.id),
        )
        .where(
            Person.municipality_code == municipality_code,
            Person.household_number.in_(households),
            Person.status == ResidentStatus.resident,
        )
    ).all()
    people: dict[str, list[tuple[Person, WelfareRecord | None]]] = defaultdict(list)
    for person, welfare in rows:
        people[person.household_number].append((person, welfare))
    names = _chome_names(session, municipality_code, {a.chome_key_code for a in applications})
    result = []
    for application in applications:
        members = people.get(application.household_number, [])
        ages = [age_on(p.birth_date, as_of) for p, _ in members]
        disabled = sum(_disabled(w) for _, w in members)
        result.append(
            Applicant(
                application_id=application.id,
                household_number=application.household_number,
                chome=application.chome_key_code,
                chome_name=names.get(application.chome_key_code or "", "不明"),
                size=len(members),
                elderly=sum(age >= ELDERLY_AGE for age in ages),
                disabled=disabled,
                infants=sum(age < INFANT_AGE for age in ages),
                needs_barrier_free=application.needs_barrier_free
                or any(_needs_barrier_free(w) for _, w in members),
            )
        )
    return result


def free_sites(session: Session, municipality_code: str, event_id: int) -> list[Site]:
    """Each site as the run sees it: units, barrier-free units and cap left after occupants."""
    taken = session.execute(
        select(
            HousingApplication.site_id,
            func.count().filter(HousingApplication.barrier_free_unit.is_(False)),
            func.count().filter(HousingApplication.barrier_free_unit.is_(True)),
            func.count().filter(HousingApplication.priority.is_(True)),
        )
        .where(
            HousingApplication.municipality_code == municipality_code,
            HousingApplication.event_id == event_id,
            HousingApplication.status.in_(OCCUPYING),
        )
        .group_by(HousingApplication.site_id)
    ).all()
    used = {site_id: (plain, bf, vulnerable) for site_id, plain, bf, vulnerable in taken}
    result = []
    # locked: a site corrected or deleted meanwhile (housing.sites) waits for the run, or the run
    # for it, so no household is placed on units being taken away
    for site in session.scalars(
        select(HousingSite)
        .where(HousingSite.municipality_code == municipality_code, HousingSite.event_id == event_id)
        .order_by(HousingSite.id)
        .with_for_update()
    ):
        plain, bf, vulnerable = used.get(site.id, (0, 0, 0))
        cap = site.vulnerable_cap
        if cap is None:
            cap = default_vulnerable_cap(site.units, site.barrier_free_units)
        free_bf = site.barrier_free_units - bf
        free = site.units - plain - bf
        if free <= 0:
            continue
        result.append(
            Site(
                site_id=site.id,
                name=site.name,
                chome=site.chome_key_code,
                units=free,
                barrier_free_units=max(0, min(free_bf, free)),
                vulnerable_cap=max(0, cap - vulnerable),
            )
        )
    return result


def run_allocation(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    as_of: date,
    run_by: str,
    seed: int | None = None,
) -> tuple[HousingAllocationRun, Allocation]:
    event = get_municipal_event(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    require_workflow_open(Workflow.temporary_housing, event.phase)
    # Ages at a future date would count someone as 65 before they are; before the disaster the
    # date means nothing for this event. The disaster day itself is allowed (ages at the event).
    require_event_date(field="as_of", on=as_of, event=event, now=server_clock(session))
    applications = list(
        session.scalars(
            select(HousingApplication)
            .where(
                HousingApplication.municipality_code == municipality_code,
                HousingApplication.event_id == event_id,
                HousingApplication.status.in_((HousingStatus.received, HousingStatus.waiting)),
            )
            .order_by(HousingApplication.id)
            .with_for_update()
        ).all()
    )
    seed = seed if seed is not None else secrets.randbelow(2**31)
    sites = free_sites(session, municipality_code, event_id)
    result = allocate(
        applicants_of(session, municipality_code, applications, as_of), sites, seed=seed
    )
    run = HousingAllocationRun(
        municipality_code=municipality_code,
        event_id=event_id,
        seed=seed,
        as_of=as_of,
        applicants=len(applications),
        allocated=sum(d.site_id is not None for d in result.decisions),
        lottery_pool=list(result.lottery_pool),
        policy={
            "sites": [
                {
                    "site_id": s.site_id,
                    "name": s.name,
                    "chome": s.chome,
                    "free_units": s.units,
                    "free_barrier_free_units": s.barrier_free_units,
                    "vulnerable_cap_left": s.vulnerable_cap,
                }
                for s in sites
            ],
            "elderly_age": ELDERLY_AGE,
            "infant_age": INFANT_AGE,
        },
        run_by=run_by,
    )
    session.add(run)
    session.flush()
    by_id = {a.id: a for a in applications}
    for decision in result.decisions:
        application = by_id[decision.application_id]
        session.add(
            HousingDecision(
                municipality_code=municipality_code,
                run_id=run.id,
                application_id=decision.application_id,
                site_id=decision.site_id,
                barrier_free_unit=decision.barrier_free,
                priority=decision.priority,
                lottery_rank=decision.lottery_rank,
                waiting_rank=decision.waiting_rank,
                reason=decision.reason,
            )
        )
        to = HousingStatus.allocated if decision.site_id is not None else HousingStatus.waiting
        move(session, application, to, f"allocation run {run.id}", run_by)
        application.site_id = decision.site_id
        application.barrier_free_unit = decision.barrier_free
        application.priority = decision.priority
    session.flush()
    log.info(
        "housing allocation run", run_id=run.id, applicants=run.applicants, allocated=run.allocated
    )
    return run, result


def decisions(*, session: Session, municipality_code: str, run_id: int) -> list[HousingDecision]:
    return list(
        session.scalars(
            select(HousingDecision)
            .where(
                HousingDecision.municipality_code == municipality_code,
                HousingDecision.run_id == run_id,
            )
            .order_by(HousingDecision.application_id)
        ).all()
    )


def _disabled(welfare: WelfareRecord | None) -> bool:
    if welfare is None:
        return False
    return (
        welfare.care_level is not None
        and welfare.care_level not in (CareLevel.support_1, CareLevel.support_2)
    ) or any(
        grade is not None
        for grade in (
            welfare.physical_disability_grade,
            welfare.intellectual_disability_grade,
            welfare.mental_disability_grade,
        )
    )


def _needs_barrier_free(welfare: WelfareRecord | None) -> bool:
    """Wheelchair users, roughly: 肢体不自由 1–2級, or 要介護3–5 (staff can also set it)."""
    if welfare is None:
        return False
    limbs = (
        welfare.physical_disability_type == "肢体不自由"
        and welfare.physical_disability_grade is not None
        and welfare.physical_disability_grade <= 2
    )
    return limbs or welfare.care_level in BARRIER_FREE_CARE


def _chome_names(session: Session, municipality_code: str, keys: set[str | None]) -> dict[str, str]:
    wanted = {k for k in keys if k}
    if not wanted:
        return {}
    rows = session.execute(
        select(Chome.key_code, Chome.name).where(
            Chome.municipality_code == municipality_code, Chome.key_code.in_(wanted)
        )
    ).all()
    return {key: name for key, name in rows}
