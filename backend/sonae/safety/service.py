"""Record safety reports and keep each subject's current status.

Reports arrive out of order (a tablet that was offline sends yesterday's check-in today), so the
current status is the report with the latest observation time, not the latest one recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from geoalchemy2.shape import from_shape
from shapely import Point
from sqlalchemy import Select, Table, bindparam, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sonae.database.core import STORAGE_SRID
from sonae.errors import ConflictError, InvalidInputError, NotFoundError
from sonae.event.clock import require_event_time, server_clock
from sonae.event.models import DisasterEvent
from sonae.event.phases import Workflow, require_workflow_open
from sonae.registry.models import Person
from sonae.safety.models import (
    ReportSource,
    SafetyCurrent,
    SafetyReport,
    SafetyStatus,
    Whereabouts,
)
from sonae.security.twelve_digits import refuse_twelve_digits
from sonae.shelter.models import Shelter
from sonae.sheltering.models import ShelterOpening


@dataclass(frozen=True)
class Observation:
    """What someone saw or was told about one person's safety."""

    status: SafetyStatus
    whereabouts: Whereabouts
    source: ReportSource
    observed_at: datetime
    shelter_id: int | None = None
    place_note: str | None = None
    contact: str | None = None
    lon_lat: tuple[float, float] | None = None
    note: str | None = None


def record_report(
    *,
    session: Session,
    event: DisasterEvent,
    observation: Observation,
    recorded_by: str,
    person_id: int | None = None,
    evacuee_id: int | None = None,
) -> SafetyReport:
    """Append the report and move the subject's current status if this one is the newest.

    observed_at comes from the client: a time ahead of the clock would win over every later
    report (see event.clock), so it is checked here."""
    require_workflow_open(Workflow.safety_confirmation, event.phase)
    if (person_id is None) == (evacuee_id is None):
        raise InvalidInputError("a safety report concerns exactly one person or one evacuee")
    _check(observation)
    refuse_twelve_digits(
        contact=observation.contact, place_note=observation.place_note, note=observation.note
    )
    now = server_clock(session)
    require_event_time(field="observed_at", at=observation.observed_at, event=event, now=now)
    if person_id is not None:
        _require_person(session, event.municipality_code, person_id)
    if observation.shelter_id is not None:
        _require_shelter_open(session, event, observation.shelter_id, observation.observed_at)
    report = SafetyReport(
        municipality_code=event.municipality_code,
        event_id=event.id,
        person_id=person_id,
        evacuee_id=evacuee_id,
        status=observation.status,
        whereabouts=observation.whereabouts,
        shelter_id=observation.shelter_id,
        place_note=observation.place_note,
        contact=observation.contact,
        location=_point(observation.lon_lat),
        source=observation.source,
        note=observation.note,
        observed_at=observation.observed_at,
        recorded_by=recorded_by,
    )
    session.add(report)
    session.flush()
    _advance_current(session, report)
    return report


def record_at_desk(
    *,
    session: Session,
    event: DisasterEvent,
    observation: Observation,
    recorded_by: str,
    person_id: int | None = None,
    evacuee_id: int | None = None,
) -> int:
    """The new report's id (see record_at_desk_advancing)."""
    report_id, _ = record_at_desk_advancing(
        session=session,
        event=event,
        observation=observation,
        recorded_by=recorded_by,
        person_id=person_id,
        evacuee_id=evacuee_id,
    )
    return report_id


def record_at_desk_advancing(
    *,
    session: Session,
    event: DisasterEvent,
    observation: Observation,
    recorded_by: str,
    person_id: int | None = None,
    evacuee_id: int | None = None,
) -> tuple[int, bool]:
    """record_report for a subject the caller has just found in this transaction (a shelter
    check-in or check-out at the desk): the same checks and rows, in one statement, and the new
    report's id, and whether it became the current status (False: a later observation is
    there, perhaps committed a moment ago by a concurrent desk).

    The person is not looked up again, and no ORM object is made: the report is inserted and
    the current status advanced by one INSERT … RETURNING with the upsert as a CTE. The caller
    vouches for observed_at: read from the clock, or a client's time it has put through
    event.clock.require_event_time (the desk has the clock in hand; no second read here).
    """
    require_workflow_open(Workflow.safety_confirmation, event.phase)
    if (person_id is None) == (evacuee_id is None):
        raise InvalidInputError("a safety report concerns exactly one person or one evacuee")
    _check(observation)
    values = {
        "municipality_code": event.municipality_code,
        "event_id": event.id,
        "person_id": person_id,
        "evacuee_id": evacuee_id,
        "status": observation.status,
        "whereabouts": observation.whereabouts,
        "shelter_id": observation.shelter_id,
        "place_note": observation.place_note,
        "contact": observation.contact,
        "location": _point(observation.lon_lat),
        "source": observation.source,
        "note": observation.note,
        "observed_at": observation.observed_at,
        "recorded_by": recorded_by,
    }
    statement = _ARRIVAL_OF_PERSON if person_id is not None else _ARRIVAL_OF_EVACUEE
    params = {f"v_{k}": v for k, v in values.items()}
    report_id, advanced = session.execute(statement, params).one()
    return report_id, bool(advanced)


CURRENT_COLUMNS = (
    "municipality_code",
    "event_id",
    "person_id",
    "evacuee_id",
    "report_id",
    "status",
    "whereabouts",
    "shelter_id",
    "observed_at",
)


REPORT_COLUMNS = (
    "municipality_code",
    "event_id",
    "person_id",
    "evacuee_id",
    "status",
    "whereabouts",
    "shelter_id",
    "place_note",
    "contact",
    "location",
    "source",
    "note",
    "observed_at",
    "recorded_by",
)


def _advance_statement(rows: Any, of_person: bool) -> Any:
    """INSERT the rows (CURRENT_COLUMNS) into safety_current, replacing a subject's status only
    with a later or equal observation: reports arrive out of order."""
    subject = "person_id" if of_person else "evacuee_id"
    table = cast(Table, SafetyCurrent.__table__)
    statement = insert(table)
    if isinstance(rows, Select):
        statement = statement.from_select(list(CURRENT_COLUMNS), rows)
    else:
        statement = statement.values(rows)
    return statement.on_conflict_do_update(
        index_elements=["municipality_code", "event_id", subject],
        index_where=table.c[subject].isnot(None),
        set_={k: statement.excluded[k] for k in CURRENT_COLUMNS if k != "municipality_code"},
        where=table.c.observed_at <= statement.excluded.observed_at,
    )


def _arrival_statement(of_person: bool) -> Any:
    """INSERT the report (bound as v_<column>) RETURNING its id, advancing the current status
    in a CTE: one round trip."""
    table = cast(Table, SafetyReport.__table__)
    returned = [table.c.id.label("report_id") if k == "report_id" else table.c[k]
                for k in CURRENT_COLUMNS]  # fmt: skip
    report = (
        insert(table)
        .values({k: bindparam(f"v_{k}", type_=table.c[k].type) for k in REPORT_COLUMNS})
        .returning(*returned)
        .cte("report")
    )
    rows = select(*(report.c[k] for k in CURRENT_COLUMNS))
    subject = SafetyCurrent.__table__.c.report_id
    current = _advance_statement(rows, of_person).returning(subject).cte("current")
    advanced = select(current.c.report_id).exists()
    return select(report.c.report_id, advanced.label("advanced")).add_cte(current)


# Built once: building and cache-keying the statement cost more CPU than running it.
_ARRIVAL_OF_PERSON = _arrival_statement(True)
_ARRIVAL_OF_EVACUEE = _arrival_statement(False)


def _advance_current(session: Session, report: SafetyReport) -> None:
    values = {k: getattr(report, k) for k in CURRENT_COLUMNS if k != "report_id"}
    values["report_id"] = report.id
    session.execute(_advance_statement(values, report.person_id is not None))


def current_of(*, session: Session, event: DisasterEvent, person_id: int) -> SafetyCurrent | None:
    return session.scalars(
        select(SafetyCurrent).where(
            SafetyCurrent.municipality_code == event.municipality_code,
            SafetyCurrent.event_id == event.id,
            SafetyCurrent.person_id == person_id,
        )
    ).first()


def reports_of(*, session: Session, event: DisasterEvent, person_id: int) -> list[SafetyReport]:
    return list(
        session.scalars(
            select(SafetyReport)
            .where(
                SafetyReport.municipality_code == event.municipality_code,
                SafetyReport.event_id == event.id,
                SafetyReport.person_id == person_id,
            )
            .order_by(SafetyReport.observed_at, SafetyReport.id)
        )
    )


def _require_person(session: Session, municipality_code: str, person_id: int) -> None:
    found = session.scalar(
        select(Person.id).where(
            Person.municipality_code == municipality_code, Person.id == person_id
        )
    )
    if found is None:
        raise NotFoundError(f"person {person_id} not found")


def _require_shelter_open(
    session: Session, event: DisasterEvent, shelter_id: int, observed_at: datetime
) -> None:
    """The shelter a report places someone in must exist here and have been open in the event
    when they were seen there (an opening as sheltering.openings keeps them: open until
    closed_at). Not only "open now": reports arrive late, after a shelter may have closed."""
    exists = session.scalar(
        select(Shelter.id).where(
            Shelter.municipality_code == event.municipality_code, Shelter.id == shelter_id
        )
    )
    if exists is None:
        raise InvalidInputError(f"field 'shelter_id': shelter {shelter_id} does not exist")
    opening = session.scalar(
        select(ShelterOpening.id)
        .where(
            ShelterOpening.municipality_code == event.municipality_code,
            ShelterOpening.event_id == event.id,
            ShelterOpening.shelter_id == shelter_id,
            ShelterOpening.opened_at <= observed_at,
            or_(ShelterOpening.closed_at.is_(None), ShelterOpening.closed_at >= observed_at),
        )
        .limit(1)
    )
    if opening is None:
        raise ConflictError(
            f"field 'shelter_id': shelter {shelter_id} was not open in event {event.id} "
            "at observed_at"
        )


AWAY = frozenset({Whereabouts.car, Whereabouts.relative_home, Whereabouts.outside_city})
"""Outside shelters: such a report must say how to reach them or where they are."""


def _check(observation: Observation) -> None:
    if observation.whereabouts in AWAY and not (
        observation.contact or observation.lon_lat or observation.place_note
    ):
        raise InvalidInputError(
            f"whereabouts {observation.whereabouts.value}: give a contact, a place or a location"
        )
    if observation.whereabouts is Whereabouts.shelter and observation.shelter_id is None:
        raise InvalidInputError("field 'shelter_id': needed when the whereabouts is a shelter")
    if observation.lon_lat is not None:
        lon, lat = observation.lon_lat
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidInputError("field 'location': longitude/latitude out of range")


def _point(lon_lat: tuple[float, float] | None) -> object:
    return None if lon_lat is None else from_shape(Point(*lon_lat), srid=STORAGE_SRID)
