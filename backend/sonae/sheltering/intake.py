"""Check people into a shelter: identify them all, then write their stays, or write nothing.

A person is in at most one shelter per event. Check-ins of the same person are serialised by a
transaction-scoped advisory lock on (event, person), taken in person-id order so that two
households sharing members cannot deadlock; the second waits for the first to commit and then
sees its stay, which it closes as a transfer. The partial unique index on open stays is the
last guard. Every new stay records a safety report (evacuated, at this shelter, source
shelter_checkin) in the same transaction, so the person's safety status follows by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from sonae.errors import InvalidInputError
from sonae.event.models import DisasterEvent
from sonae.event.phases import Workflow, require_workflow_open
from sonae.registry.models import Person
from sonae.safety.models import ReportSource, SafetyStatus, Whereabouts
from sonae.safety.service import Observation, record_report
from sonae.sheltering import matching
from sonae.sheltering.models import Evacuee, IdentifiedBy, ShelterStay, StayEnd
from sonae.sheltering.openings import occupancy_of, require_open
from sonae.sheltering.schemas import (
    ArrivalIn,
    ByAddressNumber,
    ByCardFacts,
    ByTypedFacts,
    CheckinIn,
    Unregistered,
)

LOCK_SQL = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")


class HouseholdAmbiguous(Exception):
    """Some people in the request matched several residents: nothing was written."""

    def __init__(self, candidates: dict[int, list[matching.Candidate]]) -> None:
        super().__init__(f"{len(candidates)} people need a choice")
        self.candidates = candidates


@dataclass
class Resolved:
    arrival: ArrivalIn
    identified_by: IdentifiedBy
    person_id: int | None = None
    evacuee: Unregistered | None = None


@dataclass
class Outcome:
    stay: ShelterStay
    outcome: str
    transferred_from_shelter_id: int | None = None


@dataclass
class CheckinResult:
    shelter_id: int
    outcomes: list[Outcome] = field(default_factory=list)
    occupancy: int = 0
    capacity: int = 0


def check_in(
    *, session: Session, event: DisasterEvent, shelter_id: int, request: CheckinIn, by: str
) -> CheckinResult:
    require_workflow_open(Workflow.shelter_operations, event.phase)
    opening = require_open(session=session, event=event, shelter_id=shelter_id)
    resolved = _resolve_all(session, event.municipality_code, request.people)
    _lock(session, event, sorted(r.person_id for r in resolved if r.person_id is not None))
    # The clock is read after the lock: a check-in that waited is later than the one it waited
    # for, so the safety status (latest observation wins) follows the latest stay.
    at = request.checked_in_at or _clock(session)
    if at < opening.opened_at:
        raise InvalidInputError("field 'checked_in_at': before the shelter was opened")
    result = CheckinResult(shelter_id=shelter_id, capacity=opening.capacity)
    for item in resolved:
        result.outcomes.append(_arrive(session, event, shelter_id, item, at, by))
    result.occupancy = occupancy_of(session=session, event=event, shelter_id=shelter_id)
    return result


def _resolve_all(
    session: Session, municipality_code: str, people: list[ArrivalIn]
) -> list[Resolved]:
    """Identify everyone first, writing nothing: an ambiguity anywhere stops the household."""
    resolved: list[Resolved] = []
    ambiguous: dict[int, list[matching.Candidate]] = {}
    for index, arrival in enumerate(people):
        try:
            resolved.append(_resolve(session, municipality_code, arrival))
        except matching.Ambiguous as exc:
            ambiguous[index] = exc.candidates
    if ambiguous:
        raise HouseholdAmbiguous(ambiguous)
    ids = [r.person_id for r in resolved if r.person_id is not None]
    if len(ids) != len(set(ids)):
        raise InvalidInputError("field 'people': the same person appears twice in the request")
    return resolved


def _resolve(session: Session, municipality_code: str, arrival: ArrivalIn) -> Resolved:
    identity = arrival.identity
    if isinstance(identity, Unregistered):
        return Resolved(arrival, IdentifiedBy.unregistered, evacuee=identity)
    person: Person
    if isinstance(identity, ByAddressNumber):
        person_id = matching.by_address_number(
            session=session, municipality_code=municipality_code, number=identity.address_number
        )
        return Resolved(arrival, IdentifiedBy.address_number, person_id=person_id)
    if isinstance(identity, ByCardFacts):
        person = matching.by_facts(
            session=session,
            municipality_code=municipality_code,
            birth_date=identity.birth_date,
            name=identity.name,
            address=identity.address,
            sex=identity.sex,
        )
        return Resolved(arrival, IdentifiedBy.card_facts, person_id=person.id)
    assert isinstance(identity, ByTypedFacts)
    person = matching.by_facts(
        session=session,
        municipality_code=municipality_code,
        birth_date=identity.birth_date,
        name=identity.name,
        name_kana=identity.name_kana,
        address=identity.address,
        chosen=identity.person_id,
    )
    return Resolved(arrival, IdentifiedBy.typed, person_id=person.id)


def _lock(session: Session, event: DisasterEvent, person_ids: list[int]) -> None:
    for person_id in person_ids:
        key = f"stay:{event.municipality_code}:{event.id}:{person_id}"
        session.execute(LOCK_SQL, {"key": key})


def _arrive(
    session: Session,
    event: DisasterEvent,
    shelter_id: int,
    item: Resolved,
    at: datetime,
    by: str,
) -> Outcome:
    evacuee_id = None
    if item.evacuee is not None:
        evacuee_id = _record_evacuee(session, event, item.evacuee, by)
    current = _open_stay(session, event, item.person_id) if item.person_id else None
    if current is not None and current.shelter_id == shelter_id:
        return Outcome(current, "already_present")
    moved_from = None
    if current is not None:
        current.checked_out_at = max(at, current.checked_in_at)
        current.checked_out_by = by
        current.ended_by = StayEnd.transferred
        moved_from = current.shelter_id
        session.flush()  # the old stay closes before the new one opens (partial unique index)
    stay = _new_stay(session, event, shelter_id, item, evacuee_id, at, by)
    stay.transferred_from_stay_id = current.id if current is not None else None
    session.flush()
    record_report(
        session=session,
        event=event,
        observation=Observation(
            status=SafetyStatus.evacuated,
            whereabouts=Whereabouts.shelter,
            source=ReportSource.shelter_checkin,
            observed_at=at,
            shelter_id=shelter_id,
        ),
        recorded_by=by,
        person_id=item.person_id,
        evacuee_id=evacuee_id,
    )
    return Outcome(stay, "transferred" if current else "checked_in", moved_from)


def _new_stay(
    session: Session,
    event: DisasterEvent,
    shelter_id: int,
    item: Resolved,
    evacuee_id: int | None,
    at: datetime,
    by: str,
) -> ShelterStay:
    needs, consent = item.arrival.needs, item.arrival.consent
    stay = ShelterStay(
        municipality_code=event.municipality_code,
        event_id=event.id,
        shelter_id=shelter_id,
        person_id=item.person_id,
        evacuee_id=evacuee_id,
        identified_by=item.identified_by,
        checked_in_at=at,
        checked_in_by=by,
        needs_care=needs.care,
        needs_medical=needs.medical,
        allergy=needs.allergy,
        with_pets=needs.pets,
        language_support=needs.language,
        needs_note=needs.note,
        disclose_to_family=consent.family,
        disclose_to_acquaintances=consent.acquaintances,
        disclose_to_public=consent.public,
    )
    session.add(stay)
    return stay


def _record_evacuee(session: Session, event: DisasterEvent, who: Unregistered, by: str) -> int:
    evacuee = Evacuee(
        municipality_code=event.municipality_code,
        event_id=event.id,
        kind=who.kind,
        name=who.name,
        name_kana=who.name_kana,
        birth_date=who.birth_date,
        sex=who.sex,
        home_address=who.home_address,
        contact=who.contact,
        recorded_by=by,
    )
    session.add(evacuee)
    session.flush()
    return evacuee.id


def _open_stay(session: Session, event: DisasterEvent, person_id: int) -> ShelterStay | None:
    return session.scalars(
        select(ShelterStay).where(
            ShelterStay.municipality_code == event.municipality_code,
            ShelterStay.event_id == event.id,
            ShelterStay.person_id == person_id,
            ShelterStay.checked_out_at.is_(None),
        )
    ).first()


def _clock(session: Session) -> datetime:
    now: datetime | None = session.scalar(select(func.clock_timestamp()))
    assert now is not None
    return now
