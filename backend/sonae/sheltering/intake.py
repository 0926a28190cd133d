"""Check people into a shelter: identify them all, then write their stays, or write nothing.

Locks (docs/shelter_intake.md, Concurrency): the shelter's opening is held FOR SHARE from the
first query (a close takes it FOR UPDATE and waits). A person is in one shelter at a time by
the partial unique index on open stays: a new stay is INSERT … ON CONFLICT DO NOTHING (which
waits for a concurrent insert to commit or roll back). When an open stay is in the way, the
check-in locks it (FOR UPDATE) and only then reads the clock, so it is later than any check-out
or move that held the lock: already_present if it is here, else close it as a transfer and
insert again. A check-out committed between the first clock reading and the insert leaves a
later safety observation current: the stay and its report are then moved to a new reading.
A tablet's own time (checked_in_at) is not moved: it is refused when the person has a stay
that began or ended after it (sheltering.timeline). People are inserted in person-id order,
so households sharing members cannot deadlock. Every new stay records a safety report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sonae.errors import ConflictError, InvalidInputError
from sonae.event.clock import require_event_time, server_clock
from sonae.event.models import DisasterEvent
from sonae.event.phases import Workflow, require_workflow_open
from sonae.safety.models import ReportSource, SafetyStatus, Whereabouts
from sonae.safety.service import Observation, record_at_desk_advancing
from sonae.sheltering import identify, timeline, transfer
from sonae.sheltering.identify import Resolved
from sonae.sheltering.models import Evacuee, IdentifiedBy, ShelterOpening, ShelterStay, StayEnd
from sonae.sheltering.openings import OPEN_OPENING, Opened, occupancy_of, require_open
from sonae.sheltering.schemas import CheckinIn, Unregistered

ATTEMPTS = 5
"""Insert, find the open stay, close it, insert again: a stay checked out or moved by someone
else between two steps sends the check-in round again; five rounds never run out in practice."""

_stay = ShelterStay.__table__.c


@dataclass(frozen=True)
class Stay:
    """What the answer says of a stay (written or found open), without an ORM object."""

    id: int
    shelter_id: int
    person_id: int | None
    evacuee_id: int | None
    identified_by: IdentifiedBy
    checked_in_at: datetime


@dataclass
class Outcome:
    stay: Stay
    outcome: str
    transferred_from_shelter_id: int | None = None


@dataclass
class CheckinResult:
    shelter_id: int
    outcomes: list[Outcome] = field(default_factory=list)
    occupancy: int = 0
    capacity: int = 0


@dataclass
class _Desk:
    """The check-in under way: where, when (the clock may be read again) and by whom."""

    event: DisasterEvent
    shelter_id: int
    at: datetime
    at_given: bool
    by: str


def check_in(
    *,
    session: Session,
    event: DisasterEvent,
    shelter_id: int,
    request: CheckinIn,
    by: str,
    opened: Opened | None = None,
) -> CheckinResult:
    """opened: the opening and clock openings.event_and_opening found, else read here."""
    require_workflow_open(Workflow.shelter_operations, event.phase)
    opening, now = opened or _opening_and_clock(session, event, shelter_id)
    at = request.checked_in_at or now
    if request.checked_in_at is not None:
        require_event_time(field="checked_in_at", at=at, event=event, now=now)
    if at < opening.opened_at:
        raise InvalidInputError("field 'checked_in_at': before the shelter was opened")
    resolved = identify.resolve_all(session, event.municipality_code, request.people)
    desk = _Desk(event, shelter_id, at, request.checked_in_at is not None, by)
    # In person-id order (evacuees last), answered in the order asked.
    order = sorted(range(len(resolved)), key=lambda i: (resolved[i].person_id is None,
                                                        resolved[i].person_id or 0))  # fmt: skip
    outcomes: dict[int, Outcome] = {}
    for index in order:
        outcomes[index] = _arrive(session, desk, resolved[index], index)
    if desk.at_given:
        new = {o.stay.id: i for i, o in outcomes.items()
               if o.outcome != "already_present" and o.stay.person_id is not None}  # fmt: skip
        timeline.require_no_later_stay(session=session, event=event, new_stays=new)
    result = CheckinResult(shelter_id=shelter_id, capacity=opening.capacity)
    result.outcomes = [outcomes[i] for i in range(len(resolved))]
    result.occupancy = occupancy_of(session=session, event=event, shelter_id=shelter_id)
    return result


def _opening_and_clock(
    session: Session, event: DisasterEvent, shelter_id: int
) -> tuple[ShelterOpening, datetime]:
    """The shelter's open opening and the database clock, in one round trip."""
    where = {"v_code": event.municipality_code, "v_event_id": event.id, "v_shelter_id": shelter_id}
    found = session.execute(_OPENING_AND_CLOCK, where).first()
    if found is None:
        require_open(session=session, event=event, shelter_id=shelter_id)  # raises: 404 or 409
        raise ConflictError(f"shelter {shelter_id} is not open in event {event.id}")
    return found[0], found[1]


def _arrive(session: Session, desk: _Desk, item: Resolved, index: int) -> Outcome:
    if item.person_id is None:
        assert item.evacuee is not None
        evacuee_id = _record_evacuee(session, desk.event, item.evacuee, desk.by)
        stay_id = _insert_stay(session, desk, item, evacuee_id=evacuee_id, moved_from=None)
        assert stay_id is not None  # an evacuee is new: no open stay to conflict with
        return _arrived(session, desk, item, stay_id, evacuee_id, "checked_in")
    moved_from: Stay | None = None
    for _ in range(ATTEMPTS):
        stay_id = _insert_stay(session, desk, item, evacuee_id=None, moved_from=moved_from)
        if stay_id is not None:
            outcome = "transferred" if moved_from else "checked_in"
            return _arrived(session, desk, item, stay_id, None, outcome, moved_from)
        # An open stay is in the way, perhaps committed a moment ago by a check-in this insert
        # waited for. Lock it, then read the clock: a check-out or move that held the lock
        # (and read its own clock under it) is then earlier than this check-in.
        current = _lock_open_stay(session, desk.event, item.person_id)
        if not desk.at_given:
            desk.at = server_clock(session)
        if current is not None and current.shelter_id == desk.shelter_id:
            return Outcome(current, "already_present")
        if desk.at_given and current is not None and current.checked_in_at > desk.at:
            raise timeline.conflict(index, current.checked_in_at)
        if current is not None and _close_as_transfer(session, desk, current):
            moved_from = current
    raise ConflictError("this person's stay changed during the check-in: send it again")


def _arrived(
    session: Session,
    desk: _Desk,
    item: Resolved,
    stay_id: int,
    evacuee_id: int | None,
    outcome: str,
    moved_from: Stay | None = None,
) -> Outcome:
    advanced = _report_arrival(session, desk, item.person_id, evacuee_id)
    if not advanced and not desk.at_given and outcome == "checked_in":
        # A later observation is current: a check-out elsewhere committed between this
        # check-in's clock reading and its insert (which found that stay closed, or waited for
        # it to close). Move the stay and its report after it, so the status follows the roster.
        desk.at = server_clock(session)
        timeline.move_check_in(session=session, event=desk.event, stay_id=stay_id, at=desk.at)
        _report_arrival(session, desk, item.person_id, evacuee_id)
    stay = Stay(stay_id, desk.shelter_id, item.person_id, evacuee_id, item.identified_by, desk.at)
    return Outcome(stay, outcome, moved_from.shelter_id if moved_from else None)


def _report_arrival(
    session: Session, desk: _Desk, person_id: int | None, evacuee_id: int | None
) -> bool:
    """Record the arrival's safety report; whether it became the current status."""
    _, advanced = record_at_desk_advancing(
        session=session,
        event=desk.event,
        observation=Observation(
            status=SafetyStatus.evacuated,
            whereabouts=Whereabouts.shelter,
            source=ReportSource.shelter_checkin,
            observed_at=desk.at,
            shelter_id=desk.shelter_id,
        ),
        recorded_by=desk.by,
        person_id=person_id,
        evacuee_id=evacuee_id,
    )
    return advanced


_STAY_COLUMNS = (
    "municipality_code",
    "event_id",
    "shelter_id",
    "person_id",
    "evacuee_id",
    "identified_by",
    "checked_in_at",
    "checked_in_by",
    "transferred_from_stay_id",
    *transfer.NEEDS,
    *transfer.CONSENT,
)
# Built once: building and cache-keying these statements cost more CPU than running them.
_insert = insert(cast(Table, ShelterStay.__table__)).values(
    {k: bindparam(f"v_{k}", type_=_stay[k].type) for k in _STAY_COLUMNS}
)
_INSERT_STAY = _insert.returning(_stay.id)
_INSERT_PERSON_STAY = _insert.on_conflict_do_nothing(
    index_elements=["municipality_code", "event_id", "person_id"],
    index_where=_stay.checked_out_at.is_(None) & _stay.person_id.isnot(None),
).returning(_stay.id)
# Held FOR SHARE until commit, as openings.event_and_opening does: a close waits for it.
_OPENING_AND_CLOCK = OPEN_OPENING.add_columns(func.clock_timestamp())


def _insert_stay(
    session: Session,
    desk: _Desk,
    item: Resolved,
    *,
    evacuee_id: int | None,
    moved_from: Stay | None,
) -> int | None:
    """The new stay's id, or None when the person has an open stay (the index says so)."""
    needs, consent = item.arrival.needs, item.arrival.consent
    values = {
        "municipality_code": desk.event.municipality_code,
        "event_id": desk.event.id,
        "shelter_id": desk.shelter_id,
        "person_id": item.person_id,
        "evacuee_id": evacuee_id,
        "identified_by": item.identified_by,
        "checked_in_at": desk.at,
        "checked_in_by": desk.by,
        "transferred_from_stay_id": moved_from.id if moved_from else None,
        "needs_care": needs.care,
        "needs_medical": needs.medical,
        "allergy": needs.allergy,
        "with_pets": needs.pets,
        "language_support": needs.language,
        "needs_note": needs.note,
        "disclose_to_family": consent.family,
        "disclose_to_acquaintances": consent.acquaintances,
        "disclose_to_public": consent.public,
    }
    if moved_from is not None:
        values |= transfer.carried(
            session=session,
            municipality_code=desk.event.municipality_code,
            stay_id=moved_from.id,
            arrival=item.arrival,
        )
    statement = _INSERT_STAY if item.person_id is None else _INSERT_PERSON_STAY
    params = {f"v_{k}": v for k, v in values.items()}
    stay_id: int | None = session.execute(statement, params).scalar()
    return stay_id


def _lock_open_stay(session: Session, event: DisasterEvent, person_id: int) -> Stay | None:
    row = session.execute(
        select(
            _stay.id,
            _stay.shelter_id,
            _stay.person_id,
            _stay.evacuee_id,
            _stay.identified_by,
            _stay.checked_in_at,
        )
        .where(
            _stay.municipality_code == event.municipality_code,
            _stay.event_id == event.id,
            _stay.person_id == person_id,
            _stay.checked_out_at.is_(None),
        )
        .with_for_update()
    ).first()
    return None if row is None else Stay(*row)


def _close_as_transfer(session: Session, desk: _Desk, current: Stay) -> bool:
    """Close the open stay the person is leaving; False if it was closed meanwhile."""
    closed = session.execute(
        update(ShelterStay)
        .where(
            _stay.municipality_code == desk.event.municipality_code,
            _stay.id == current.id,
            _stay.checked_out_at.is_(None),
        )
        .values(
            checked_out_at=max(desk.at, current.checked_in_at),
            checked_out_by=desk.by,
            ended_by=StayEnd.transferred,
        )
        .returning(_stay.id)
    ).first()
    return closed is not None


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
