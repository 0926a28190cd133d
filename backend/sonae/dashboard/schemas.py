"""What the dashboard's JSON endpoints return."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from sonae.dashboard.providers import FigureSlot
from sonae.event.models import EventHazard, EventPhase


class EventFigure(BaseModel):
    id: int
    name: str
    hazard: EventHazard
    hazard_label: str
    phase: EventPhase
    phase_label: str
    started_at: datetime
    affected_chome: int
    closed: bool = False


class FigureLineOut(BaseModel):
    label: str
    value: int
    of: int | None = None
    unit: str = ""


class SlotFigure(BaseModel):
    slot: FigureSlot
    label: str
    available: bool
    status: str
    """未集計 while no provider is registered."""
    lines: list[FigureLineOut] = []


class Figures(BaseModel):
    municipality_code: str
    as_of: datetime
    event: EventFigure | None
    """The event shown: the one chosen, else the default among the open ones."""
    event_chosen: bool = False
    """True when the event was chosen (?event=ID); False when it is the default."""
    open_events: list[EventFigure] = []
    """Every open event, earliest declared first: what the page offers to switch to."""
    support_list_size: int | None
    support_list_built_at: datetime | None
    slots: list[SlotFigure]


class MemberOut(BaseModel):
    person_id: int
    name: str
    age: int
    relation_to_head: str
    on_support_list: bool


class HouseholdCard(BaseModel):
    """A household as the victim map shows it on click (hq and welfare only)."""

    household_number: str
    chome_key_code: str | None
    address_text: str
    members: list[MemberOut]
    damage_level: str | None
    damage_level_label: str | None
    certificate_status: str | None
    support_status: str | None
