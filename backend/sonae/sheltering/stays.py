"""Check-outs, who is present in a shelter, and where a person is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.errors import ConflictError, InvalidInputError, NotFoundError
from sonae.event.clock import require_event_time, server_clock
from sonae.event.models import DisasterEvent
from sonae.event.phases import Workflow, require_workflow_open, workflow_open
from sonae.registry.models import Person
from sonae.safety import service as safety
from sonae.safety.models import (
    ReportSource,
    SafetyCurrent,
    SafetyReport,
    SafetyStatus,
    Whereabouts,
)
from sonae.sheltering.models import Evacuee, ShelterStay, StayEnd
from sonae.sheltering.openings import require_open


@dataclass(frozen=True)
class Present:
    stay: ShelterStay
    name: str


@dataclass(frozen=True)
class Departure:
    """Where the people checked out go (退所先), as the desk heard it."""

    going_to: Whereabouts | None = None
    place_note: str | None = None
    contact: str | None = None


@dataclass(frozen=True)
class PersonWhereabouts:
    person_id: int
    open_stay: ShelterStay | None
    current: SafetyCurrent | None
    stays: list[ShelterStay]
    reports: list[SafetyReport]


def check_out(
    *,
    session: Session,
    event: DisasterEvent,
    shelter_id: int,
    stay_ids: list[int],
    by: str,
    at: datetime | None = None,
    departure: Departure | None = None,
) -> dict[int, int | None]:
    """Close the stays (all or none); the people whose stays were closed, by stay id.

    A stay already closed is refused (409), whoever closed it: answering it as done would drop
    this request's going_to without a word. A resend of the same request is answered by its
    Idempotency-Key before this.

    Each stay closed now also reports its person's safety (source: the shelter desk), so the
    safety figures stop showing them in the shelter: see _departure_observation.
    """
    require_workflow_open(Workflow.shelter_operations, event.phase)
    departure = departure or Departure()
    if departure.going_to is Whereabouts.shelter:
        raise InvalidInputError(
            "field 'going_to': a move to another shelter is a check-in there (a transfer)"
        )
    require_open(session=session, event=event, shelter_id=shelter_id)
    stays = session.scalars(
        select(ShelterStay)
        .where(
            ShelterStay.municipality_code == event.municipality_code,
            ShelterStay.event_id == event.id,
            ShelterStay.id.in_(stay_ids),
        )
        .with_for_update()
    ).all()
    by_id = {s.id: s for s in stays}
    for stay_id in stay_ids:
        stay = by_id.get(stay_id)
        if stay is None or stay.shelter_id != shelter_id:
            raise NotFoundError(f"stay {stay_id} not found in shelter {shelter_id}")
        if stay.ended_by is StayEnd.transferred:
            raise ConflictError(f"stay {stay_id} ended with a transfer to another shelter")
        if stay.checked_out_at is not None:
            raise ConflictError(f"stay {stay_id} was already checked out")
    # The clock is read after the stays are locked: a check-out that waited is the later one.
    now = server_clock(session)
    if at is not None:
        require_event_time(field="checked_out_at", at=at, event=event, now=now)
    when = at or now
    leaving = list(stays)
    for stay in leaving:
        if when < stay.checked_in_at:
            raise InvalidInputError("field 'checked_out_at': before the check-in")
        stay.checked_out_at, stay.checked_out_by = when, by
        stay.ended_by = StayEnd.checked_out
    session.flush()
    # Today both workflows open and close in the same phases; a check-out is never refused
    # because safety confirmation is over.
    if leaving and workflow_open(Workflow.safety_confirmation, event.phase):
        observation = _departure_observation(departure, when)
        for stay in leaving:
            safety.record_at_desk(
                session=session,
                event=event,
                observation=observation,
                recorded_by=by,
                person_id=stay.person_id,
                evacuee_id=stay.evacuee_id,
            )
    return {stay.id: stay.person_id for stay in sorted(stays, key=lambda s: s.id)}


def _departure_observation(departure: Departure, when: datetime) -> safety.Observation:
    """Safe when they go home or nobody said where; still evacuated anywhere else (with a
    relative, in a car, outside the city: the people outside shelters still need support)."""
    going_to = departure.going_to or Whereabouts.unknown
    home_or_unsaid = going_to in (Whereabouts.home, Whereabouts.unknown)
    return safety.Observation(
        status=SafetyStatus.safe if home_or_unsaid else SafetyStatus.evacuated,
        whereabouts=going_to,
        source=ReportSource.shelter_checkin,  # the shelter desk (避難所受付) told it
        observed_at=when,
        place_note=departure.place_note,
        contact=departure.contact,
        note="避難所退所",
    )


def present(*, session: Session, event: DisasterEvent, shelter_id: int) -> list[Present]:
    """Who is in the shelter now, with their name (registry or evacuee record)."""
    query = (
        select(ShelterStay, func.coalesce(Person.name, Evacuee.name))
        .outerjoin(
            Person,
            (Person.municipality_code == ShelterStay.municipality_code)
            & (Person.id == ShelterStay.person_id),
        )
        .outerjoin(
            Evacuee,
            (Evacuee.municipality_code == ShelterStay.municipality_code)
            & (Evacuee.id == ShelterStay.evacuee_id),
        )
        .where(
            ShelterStay.municipality_code == event.municipality_code,
            ShelterStay.event_id == event.id,
            ShelterStay.shelter_id == shelter_id,
            ShelterStay.checked_out_at.is_(None),
        )
        .order_by(ShelterStay.checked_in_at, ShelterStay.id)
    )
    return [Present(stay, name or "") for stay, name in session.execute(query).all()]


def whereabouts(*, session: Session, event: DisasterEvent, person_id: int) -> PersonWhereabouts:
    exists = session.scalar(
        select(Person.id).where(
            Person.municipality_code == event.municipality_code, Person.id == person_id
        )
    )
    if exists is None:
        raise NotFoundError(f"person {person_id} not found")
    stays = list(
        session.scalars(
            select(ShelterStay)
            .where(
                ShelterStay.municipality_code == event.municipality_code,
                ShelterStay.event_id == event.id,
                ShelterStay.person_id == person_id,
            )
            .order_by(ShelterStay.checked_in_at, ShelterStay.id)
        )
    )
    return PersonWhereabouts(
        person_id=person_id,
        open_stay=next((s for s in stays if s.checked_out_at is None), None),
        current=safety.current_of(session=session, event=event, person_id=person_id),
        stays=stays,
        reports=safety.reports_of(session=session, event=event, person_id=person_id),
    )
