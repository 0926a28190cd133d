"""Disaster mode (災害時モード): while it is on, the support list may be given without consent.

災害対策基本法 49条の11 第3項: when a disaster occurs or threatens, the mayor may give the list to
support partners without the listed people's consent where needed to protect their lives. The
switch is an append-only log; the latest row per municipality is in force. The events feature
switches it on when an event is declared (set_disaster_mode) and off when it ends; until then
`sonae support disaster-mode on|off` does it by hand.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.logging import get_logger
from sonae.municipality import service as municipality_service
from sonae.support.models import DisasterModeSwitch

log = get_logger(__name__)


def current_switch(*, session: Session, municipality_code: str) -> DisasterModeSwitch | None:
    return session.scalars(
        select(DisasterModeSwitch)
        .where(DisasterModeSwitch.municipality_code == municipality_code)
        .order_by(DisasterModeSwitch.switched_at.desc(), DisasterModeSwitch.id.desc())
        .limit(1)
    ).first()


def disaster_mode_active(*, session: Session, municipality_code: str) -> bool:
    switch = current_switch(session=session, municipality_code=municipality_code)
    return bool(switch and switch.active)


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
    log.warning("disaster mode switched", municipality=municipality_code, active=active)
    return switch
