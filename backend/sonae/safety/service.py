"""Record safety reports and keep each subject's current status.

Reports arrive out of order (a tablet that was offline sends yesterday's check-in today), so the
current status is the report with the latest observation time, not the latest one recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from geoalchemy2.shape import from_shape
from shapely import Point
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sonae.database.core import STORAGE_SRID
from sonae.errors import InvalidInputError, NotFoundError
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
    """Append the report and move the subject's current status if this one is the newest."""
    require_workflow_open(Workflow.safety_confirmation, event.phase)
    if (person_id is None) == (evacuee_id is None):
        raise InvalidInputError("a safety report concerns exactly one person or one evacuee")
    if person_id is not None:
        _require_person(session, event.municipality_code, person_id)
    _check(observation)
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


def _advance_current(session: Session, report: SafetyReport) -> None:
    values = {
        "municipality_code": report.municipality_code,
        "event_id": report.event_id,
        "person_id": report.person_id,
        "evacuee_id": report.evacuee_id,
        "report_id": report.id,
        "status": report.status,
        "whereabouts": report.whereabouts,
        "shelter_id": report.shelter_id,
        "observed_at": report.observed_at,
    }
    subject = "person_id" if report.person_id is not None else "evacuee_id"
    table = SafetyCurrent.__table__
    statement = insert(SafetyCurrent).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["municipality_code", "event_id", subject],
        index_where=table.c[subject].isnot(None),
        set_={k: statement.excluded[k] for k in values if k not in ("municipality_code",)},
        where=table.c.observed_at <= statement.excluded.observed_at,
    )
    session.execute(statement)


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
