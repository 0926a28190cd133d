"""Open and close shelters in an event; read their occupancy, capacity and needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased, defer

from sonae.errors import ConflictError, InvalidInputError, NotFoundError
from sonae.event.clock import require_event_time, server_clock
from sonae.event.models import DisasterEvent
from sonae.event.phases import Workflow, require_workflow_open
from sonae.shelter.models import Shelter
from sonae.sheltering.models import ShelterOpening, ShelterStay
from sonae.sheltering.needs import Needs, capacity_of, needs_of

Opened = tuple[ShelterOpening, datetime]
"""The shelter's open opening and the database clock read with it."""


@dataclass(frozen=True)
class ShelterState:
    shelter: Shelter
    opening: ShelterOpening
    occupancy: int
    needs: Needs


def get_shelter(*, session: Session, municipality_code: str, shelter_id: int) -> Shelter:
    shelter = session.scalars(
        select(Shelter).where(
            Shelter.municipality_code == municipality_code, Shelter.id == shelter_id
        )
    ).first()
    if shelter is None:
        raise NotFoundError(f"shelter {shelter_id} not found")
    return shelter


def current_opening(
    *, session: Session, event: DisasterEvent, shelter_id: int, lock: bool = False
) -> ShelterOpening | None:
    """lock: FOR UPDATE, as a close does (check-ins hold the opening FOR SHARE)."""
    query = select(ShelterOpening).where(
        ShelterOpening.municipality_code == event.municipality_code,
        ShelterOpening.event_id == event.id,
        ShelterOpening.shelter_id == shelter_id,
        ShelterOpening.closed_at.is_(None),
    )
    return session.scalars(query.with_for_update() if lock else query).first()


def event_and_opening(
    *, session: Session, municipality_code: str, event_id: int, shelter_id: int
) -> tuple[DisasterEvent, Opened | None] | None:
    """What a check-in reads first, in one round trip: the event (None when the municipality
    has no such event) and the shelter's open opening with the clock (None when not open).

    The event comes without its affected area: a real event's area is the union of many chome
    polygons, and the intake does not need it."""
    where = {"v_code": municipality_code, "v_event_id": event_id, "v_shelter_id": shelter_id}
    found = session.execute(_EVENT_AND_OPENING, where).first()
    if found is None:
        return None
    event, opening, now = found
    return event, (None if opening is None else (opening, now))


def require_open(
    *, session: Session, event: DisasterEvent, shelter_id: int, lock: bool = False
) -> ShelterOpening:
    opening = current_opening(session=session, event=event, shelter_id=shelter_id, lock=lock)
    if opening is None:
        get_shelter(
            session=session, municipality_code=event.municipality_code, shelter_id=shelter_id
        )
        raise ConflictError(f"shelter {shelter_id} is not open in event {event.id}")
    return opening


def open_shelter(
    *,
    session: Session,
    event: DisasterEvent,
    shelter_id: int,
    opened_by: str,
    opened_at: datetime | None = None,
    floor_area_m2: float | None = None,
) -> ShelterOpening:
    """Open the shelter; its capacity is fixed at opening from the area or the shelter's data."""
    require_workflow_open(Workflow.shelter_operations, event.phase)
    shelter = get_shelter(
        session=session, municipality_code=event.municipality_code, shelter_id=shelter_id
    )
    if current_opening(session=session, event=event, shelter_id=shelter_id) is not None:
        raise ConflictError(f"shelter {shelter_id} is already open in event {event.id}")
    if floor_area_m2 is not None and floor_area_m2 <= 0:
        raise InvalidInputError("field 'floor_area_m2': must be positive")
    if opened_at is not None:
        now = server_clock(session)
        require_event_time(field="opened_at", at=opened_at, event=event, now=now)
    opened_at = opened_at or _now(session)
    _require_after_last_close(session, event, shelter_id, opened_at)
    capacity, basis = capacity_of(
        floor_area_m2=floor_area_m2,
        official=shelter.capacity,
        estimate=shelter.estimated_capacity,
    )
    opening = ShelterOpening(
        municipality_code=event.municipality_code,
        event_id=event.id,
        shelter_id=shelter_id,
        opened_at=opened_at,
        opened_by=opened_by,
        floor_area_m2=floor_area_m2,
        capacity=capacity,
        capacity_basis=basis,
    )
    session.add(opening)
    session.flush()
    return opening


def close_shelter(
    *,
    session: Session,
    event: DisasterEvent,
    shelter_id: int,
    closed_by: str,
    closed_at: datetime | None = None,
) -> ShelterOpening:
    """Close an empty shelter: people still in it must be checked out or moved first.

    The opening is locked FOR UPDATE before the count: a check-in holds it FOR SHARE until it
    commits, so the count waits for check-ins under way and sees their stays, and a check-in
    that comes after waits for the close and then finds the shelter closed (409)."""
    if closed_at is not None:
        now = server_clock(session)
        require_event_time(field="closed_at", at=closed_at, event=event, now=now)
    opening = require_open(session=session, event=event, shelter_id=shelter_id, lock=True)
    present = occupancy_of(session=session, event=event, shelter_id=shelter_id)
    if present:
        raise ConflictError(
            f"shelter {shelter_id} still has {present} people checked in: check them out or "
            "transfer them first"
        )
    closed_at = closed_at or _now(session)
    if closed_at < opening.opened_at:
        raise InvalidInputError("field 'closed_at': before the shelter was opened")
    opening.closed_at = closed_at
    opening.closed_by = closed_by
    session.flush()
    return opening


def _require_after_last_close(
    session: Session, event: DisasterEvent, shelter_id: int, opened_at: datetime
) -> None:
    """Openings of one shelter follow each other: a reopening dated before the last close
    would overlap it (and the stays of that opening)."""
    last_closed = session.scalar(
        select(func.max(ShelterOpening.closed_at)).where(
            ShelterOpening.municipality_code == event.municipality_code,
            ShelterOpening.event_id == event.id,
            ShelterOpening.shelter_id == shelter_id,
        )
    )
    if last_closed is not None and opened_at < last_closed:
        raise ConflictError(
            f"field 'opened_at': before shelter {shelter_id} last closed in event {event.id} "
            f"({last_closed.isoformat()})"
        )


_stay = ShelterStay.__table__.c
# Built once: every check-in answers with the occupancy.
_OCCUPANCY = select(func.count()).where(
    _stay.municipality_code == bindparam("v_municipality_code"),
    _stay.event_id == bindparam("v_event_id"),
    _stay.shelter_id == bindparam("v_shelter_id"),
    _stay.checked_out_at.is_(None),
)
# Built once: every check-in reads its event and the shelter's opening, with the clock. The
# opening is held FOR SHARE until the check-in commits, so a close (FOR UPDATE) cannot slip in
# between; FOR SHARE cannot lock the nullable side of an outer join, hence the subquery. The
# clock is read after the lock is granted: a check-in that waited for a close finds it closed.
OPEN_OPENING = (
    select(ShelterOpening)
    .where(
        ShelterOpening.municipality_code == bindparam("v_code"),
        ShelterOpening.event_id == bindparam("v_event_id"),
        ShelterOpening.shelter_id == bindparam("v_shelter_id"),
        ShelterOpening.closed_at.is_(None),
    )
    .with_for_update(read=True)
)
_opening = aliased(ShelterOpening, OPEN_OPENING.subquery("opening"))
_EVENT_AND_OPENING = (
    select(DisasterEvent, _opening, func.clock_timestamp())
    .outerjoin(_opening, _opening.event_id == DisasterEvent.id)
    .where(
        DisasterEvent.municipality_code == bindparam("v_code"),
        DisasterEvent.id == bindparam("v_event_id"),
    )
    .options(defer(DisasterEvent.affected_area))
)


def occupancy_of(*, session: Session, event: DisasterEvent, shelter_id: int) -> int:
    where = {
        "v_municipality_code": event.municipality_code,
        "v_event_id": event.id,
        "v_shelter_id": shelter_id,
    }
    return session.execute(_OCCUPANCY, where).scalar() or 0


def shelter_states(
    *, session: Session, event: DisasterEvent, shelter_ids: frozenset[int] | None = None
) -> list[ShelterState]:
    """Every shelter open in the event (or only shelter_ids), with occupancy and needs."""
    counts = (
        select(ShelterStay.shelter_id, func.count().label("n"))
        .where(
            ShelterStay.municipality_code == event.municipality_code,
            ShelterStay.event_id == event.id,
            ShelterStay.checked_out_at.is_(None),
        )
        .group_by(ShelterStay.shelter_id)
        .subquery()
    )
    query = (
        select(ShelterOpening, Shelter, func.coalesce(counts.c.n, 0))
        .join(
            Shelter,
            (Shelter.municipality_code == ShelterOpening.municipality_code)
            & (Shelter.id == ShelterOpening.shelter_id),
        )
        .outerjoin(counts, counts.c.shelter_id == ShelterOpening.shelter_id)
        .where(
            ShelterOpening.municipality_code == event.municipality_code,
            ShelterOpening.event_id == event.id,
            ShelterOpening.closed_at.is_(None),
        )
        .order_by(ShelterOpening.shelter_id)
    )
    if shelter_ids is not None:
        query = query.where(ShelterOpening.shelter_id.in_(shelter_ids))
    now = _now(session)
    return [
        ShelterState(
            shelter=shelter,
            opening=opening,
            occupancy=int(n),
            needs=needs_of(occupancy=int(n), opened_at=opening.opened_at, now=now),
        )
        for opening, shelter, n in session.execute(query).all()
    ]


def _now(session: Session) -> datetime:
    now: datetime | None = session.scalar(select(func.now()))
    assert now is not None
    return now
