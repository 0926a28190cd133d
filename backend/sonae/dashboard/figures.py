"""The panel's live figures: event and phase, list size, and one entry per provider slot.

Several events may be open at once (a city-wide earthquake, then a flood in one chome). The
dashboard shows one event at a time: the one chosen (?event=ID), else default_event(); every
endpoint of the page takes the same choice, and the figures list the open events to switch to.
"""

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
from sonae.event.service import get_municipal_event
from sonae.logging import get_logger
from sonae.support import service as support_service

log = get_logger(__name__)


def open_events(*, session: Session, municipality_code: str) -> list[DisasterEvent]:
    """Every declared event that is not closed, earliest declared first."""
    return list(
        session.scalars(
            select(DisasterEvent)
            .where(
                DisasterEvent.municipality_code == municipality_code,
                DisasterEvent.closed_at.is_(None),
            )
            .order_by(DisasterEvent.declared_at, DisasterEvent.id)
        )
    )


def default_event(events: list[DisasterEvent]) -> DisasterEvent | None:
    """The event the dashboard shows unless one is chosen: the open event with the most
    affected chome, the latest declared among equals.

    Events stay open for years (temporary housing), so neither the earliest (an old flood in
    recovery) nor the latest (a flood in one chome during a city-wide earthquake) is the one
    headquarters watch; the widest is, and the page lists the others to switch to.
    """
    return max(
        events,
        key=lambda e: (len(e.affected_chome or []), e.declared_at, e.id),
        default=None,
    )


def chosen_event(
    *, session: Session, municipality_code: str, event_id: int | None
) -> DisasterEvent | None:
    """The event asked for (any of the city's, closed ones too: reading is always allowed;
    another city's is not found), else the default among the open ones."""
    if event_id is not None:
        return get_municipal_event(
            session=session, event_id=event_id, municipality_code=municipality_code
        )
    return default_event(open_events(session=session, municipality_code=municipality_code))


def chosen_event_id(
    *, session: Session, municipality_code: str, event_id: int | None
) -> int | None:
    event = chosen_event(session=session, municipality_code=municipality_code, event_id=event_id)
    return event.id if event else None


def figures(*, session: Session, municipality_code: str, event_id: int | None = None) -> Figures:
    events = open_events(session=session, municipality_code=municipality_code)
    event = (
        default_event(events)
        if event_id is None
        else get_municipal_event(
            session=session, event_id=event_id, municipality_code=municipality_code
        )
    )
    build = support_service.latest_build(session=session, municipality_code=municipality_code)
    shown_id = event.id if event else None
    return Figures(
        municipality_code=municipality_code,
        as_of=datetime.now(UTC),
        event=None if event is None else _event(event),
        event_chosen=event_id is not None,
        open_events=[_event(e) for e in events],
        support_list_size=build.listed if build else None,
        support_list_built_at=build.built_at if build else None,
        slots=[_slot(session, municipality_code, shown_id, slot) for slot in FigureSlot],
    )


def _event(event: DisasterEvent) -> EventFigure:
    return EventFigure(
        id=event.id,
        name=event.name,
        hazard=event.hazard,
        hazard_label=EVENT_HAZARD_LABELS[event.hazard],
        phase=event.phase,
        phase_label=PHASE_LABELS[event.phase],
        started_at=event.started_at,
        affected_chome=len(event.affected_chome or []),
        closed=event.closed_at is not None,
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
