"""The panel's live figures: event and phase, list size, and one entry per provider slot."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.dashboard.providers import (
    FIGURE_SLOT_LABELS,
    NOT_AVAILABLE,
    REGISTRY,
    FigureSlot,
)
from sonae.dashboard.schemas import EventFigure, FigureLineOut, Figures, SlotFigure
from sonae.event.models import EVENT_HAZARD_LABELS, PHASE_LABELS, DisasterEvent
from sonae.logging import get_logger
from sonae.support import service as support_service

log = get_logger(__name__)


def open_event(*, session: Session, municipality_code: str) -> DisasterEvent | None:
    """The latest declared event that is not closed."""
    return session.scalars(
        select(DisasterEvent)
        .where(
            DisasterEvent.municipality_code == municipality_code,
            DisasterEvent.closed_at.is_(None),
        )
        .order_by(DisasterEvent.declared_at.desc(), DisasterEvent.id.desc())
        .limit(1)
    ).first()


def figures(*, session: Session, municipality_code: str) -> Figures:
    event = open_event(session=session, municipality_code=municipality_code)
    build = support_service.latest_build(session=session, municipality_code=municipality_code)
    event_id = event.id if event else None
    return Figures(
        municipality_code=municipality_code,
        as_of=datetime.now(UTC),
        event=_event(event),
        support_list_size=build.listed if build else None,
        support_list_built_at=build.built_at if build else None,
        slots=[_slot(session, municipality_code, event_id, slot) for slot in FigureSlot],
    )


def _event(event: DisasterEvent | None) -> EventFigure | None:
    if event is None:
        return None
    return EventFigure(
        id=event.id,
        name=event.name,
        hazard=event.hazard,
        hazard_label=EVENT_HAZARD_LABELS[event.hazard],
        phase=event.phase,
        phase_label=PHASE_LABELS[event.phase],
        started_at=event.started_at,
        affected_chome=len(event.affected_chome or []),
    )


def _slot(
    session: Session, municipality_code: str, event_id: int | None, slot: FigureSlot
) -> SlotFigure:
    label = FIGURE_SLOT_LABELS[slot]
    provider = REGISTRY.figures.get(slot)
    if provider is None:
        return SlotFigure(slot=slot, label=label, available=False, status=NOT_AVAILABLE)
    lines = provider(session=session, municipality_code=municipality_code, event_id=event_id)
    return SlotFigure(
        slot=slot,
        label=label,
        available=True,
        status="",
        lines=[FigureLineOut(label=x.label, value=x.value, of=x.of, unit=x.unit) for x in lines],
    )
