"""API shapes of events and their phases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from sonae.api.params import RequiredText
from sonae.event.models import EVENT_HAZARD_LABELS, PHASE_LABELS, EventHazard, EventPhase
from sonae.event.phases import WORKFLOW_LABELS, Workflow


class EventIn(BaseModel):
    """Declare an event: its affected area as a GeoJSON polygon (lon/lat) or as chome keys."""

    model_config = ConfigDict(extra="forbid")

    name: RequiredText = Field(max_length=200)
    hazard: EventHazard
    started_at: AwareDatetime
    area: dict[str, Any] | None = Field(
        default=None, description="GeoJSON Polygon or MultiPolygon in lon/lat (JGD2011)"
    )
    chome: list[str] = Field(default_factory=list, max_length=5000)
    scenario: str | None = Field(default=None, max_length=100)


class PhaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_phase: EventPhase
    reason: RequiredText = Field(max_length=2000)


class TransitionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_phase: EventPhase
    to_phase: EventPhase
    reason: str
    moved_by: str
    moved_at: datetime


class WorkflowOut(BaseModel):
    workflow: Workflow
    label: str
    open: bool


class EventOut(BaseModel):
    id: int
    name: str
    hazard: EventHazard
    hazard_label: str
    started_at: datetime
    phase: EventPhase
    phase_label: str
    scenario: str | None
    affected_chome: list[str]
    declared_by: str
    declared_at: datetime
    closed_at: datetime | None
    next_phases: list[EventPhase]
    workflows: list[WorkflowOut]
    history: list[TransitionOut] = []

    @staticmethod
    def labels(hazard: EventHazard, phase: EventPhase) -> dict[str, str]:
        return {"hazard_label": EVENT_HAZARD_LABELS[hazard], "phase_label": PHASE_LABELS[phase]}

    @staticmethod
    def workflow_rows(phase: EventPhase, is_open: dict[Workflow, bool]) -> list[WorkflowOut]:
        return [
            WorkflowOut(workflow=w, label=WORKFLOW_LABELS[w], open=is_open[w]) for w in Workflow
        ]
