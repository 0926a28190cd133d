"""Disaster mode (災害時モード): while it is on, the support list may be given without consent.

災害対策基本法 49条の11 第3項: when a disaster occurs or threatens, the mayor may give the list to
support partners without the listed people's consent where needed to protect their lives. The
switch is an append-only log with one lane per declared event plus one lane for switches made
by hand (event_id NULL); the latest row of each lane is in force. Disaster mode is on while any
lane is on: an open event whose latest switch is on (declared and not switched off for that
event), or the hand lane. Several events may be open at once (a city-wide earthquake, then a
flood in one chome): closing or switching off one of them leaves the others in force, and the
area without consent is the union of their areas. The events feature switches an event's lane
on when it is declared and off when it is closed; `sonae support disaster-mode on|off` switches
the hand lane, or with --event one event's lane.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from sonae.errors import ConflictError, NotFoundError
from sonae.event.models import DisasterEvent
from sonae.logging import get_logger
from sonae.municipality import service as municipality_service
from sonae.support.models import DisasterModeSwitch

log = get_logger(__name__)


@dataclass(frozen=True)
class Holder:
    """A lane that holds disaster mode on: an open event's, or the hand lane (event_id None)."""

    event_id: int | None
    since: datetime
    switched_by: str
    reason: str
    affected_chome: frozenset[str] | None
    """Where it waives consent; None: the whole municipality."""


@dataclass(frozen=True)
class DisasterModeState:
    holders: tuple[Holder, ...]
    """Ordered by event id, the hand lane last."""
    last_switch: DisasterModeSwitch | None
    """The latest row of any lane: what the log last recorded (None: never switched)."""

    @property
    def active(self) -> bool:
        return bool(self.holders)

    @property
    def area(self) -> frozenset[str] | None:
        """The chome where consent is waived: the union of the holders' areas (None: all)."""
        areas = [h.affected_chome for h in self.holders]
        if any(a is None for a in areas):
            return None
        return frozenset().union(*(a for a in areas if a is not None))

    @property
    def since(self) -> datetime | None:
        """When the earliest lane still on was switched on (else the last switch's time)."""
        if self.holders:
            return min(h.since for h in self.holders)
        return self.last_switch.switched_at if self.last_switch else None


def disaster_mode_state(*, session: Session, municipality_code: str) -> DisasterModeState:
    latest = list(
        session.scalars(
            select(DisasterModeSwitch)
            .where(DisasterModeSwitch.municipality_code == municipality_code)
            .ext(distinct_on(DisasterModeSwitch.event_id))
            .order_by(
                DisasterModeSwitch.event_id,
                DisasterModeSwitch.switched_at.desc(),
                DisasterModeSwitch.id.desc(),
            )
        )
    )
    # A closed event holds nothing even if its lane was never switched off (closing does that,
    # but the log may predate it).
    open_events = _open_events(session, municipality_code, [s.event_id for s in latest])
    holders = tuple(
        Holder(
            event_id=s.event_id,
            since=s.switched_at,
            switched_by=s.switched_by,
            reason=s.reason,
            affected_chome=None if s.affected_chome is None else frozenset(s.affected_chome),
        )
        for s in latest
        if s.active and (s.event_id is None or s.event_id in open_events)
    )
    last = max(latest, key=lambda s: (s.switched_at, s.id), default=None)
    return DisasterModeState(holders=holders, last_switch=last)


def disaster_mode_active(*, session: Session, municipality_code: str) -> bool:
    return disaster_mode_state(session=session, municipality_code=municipality_code).active


def last_switch(*, session: Session, municipality_code: str) -> DisasterModeSwitch | None:
    """The latest row of the log, whatever its lane: history, not whether the mode is on."""
    return session.scalars(
        select(DisasterModeSwitch)
        .where(DisasterModeSwitch.municipality_code == municipality_code)
        .order_by(DisasterModeSwitch.switched_at.desc(), DisasterModeSwitch.id.desc())
        .limit(1)
    ).first()


def set_disaster_mode(
    *,
    session: Session,
    municipality_code: str,
    active: bool,
    switched_by: str,
    reason: str,
    event_id: int | None = None,
    affected_chome: list[str] | None = None,
) -> DisasterModeSwitch:
    """Append a switch to the lane of event_id (None: the hand lane)."""
    municipality_service.get(session=session, code=municipality_code)
    switch = DisasterModeSwitch(
        municipality_code=municipality_code,
        active=active,
        reason=reason,
        switched_by=switched_by,
        event_id=event_id,
        affected_chome=affected_chome,
    )
    session.add(switch)
    session.flush()
    log.warning(
        "disaster mode switched", municipality=municipality_code, active=active, event_id=event_id
    )
    return switch


def switch_for_event(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    active: bool,
    switched_by: str,
    reason: str,
) -> DisasterModeSwitch:
    """Switch one event's lane by hand (e.g. off once the danger has passed but the event
    goes on), for the event's affected chome. A closed event can no longer be switched on."""
    event = session.get(DisasterEvent, (municipality_code, event_id))
    if event is None:
        raise NotFoundError(f"event {event_id} not found")
    if active and event.closed_at is not None:
        raise ConflictError(f"event {event_id} is closed; its disaster mode cannot be switched on")
    return set_disaster_mode(
        session=session,
        municipality_code=municipality_code,
        active=active,
        switched_by=switched_by,
        reason=reason,
        event_id=event_id,
        affected_chome=list(event.affected_chome),
    )


def _open_events(session: Session, municipality_code: str, ids: list[int | None]) -> set[int]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(DisasterEvent.id).where(
                DisasterEvent.municipality_code == municipality_code,
                DisasterEvent.id.in_(wanted),
                DisasterEvent.closed_at.is_(None),
            )
        )
    )
