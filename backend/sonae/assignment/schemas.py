"""API shapes of assignment runs and their person-level results."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from sonae.assignment.models import AssignmentReason, AssignmentScope
from sonae.hazard.models import HazardType


class AssignmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: AssignmentScope = AssignmentScope.residents
    hazard: HazardType | None = None
    """Only this hazard type's zones decide suitability (default: every hazard layer)."""
    as_of: date | None = None
    """Ages (the slower walking speed from 65) are computed at this date (default: today)."""


class AssignmentOut(BaseModel):
    """A run's figures: counts and distances, no personal data."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    scope: AssignmentScope
    hazard: str | None
    support_build_id: int | None
    as_of: date
    created_by: str
    created_at: datetime
    people: int
    assigned: int
    seconds: float
    figures: dict[str, Any]
    shelters: list[dict[str, Any]]


class AssignedPersonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    person_id: int
    shelter_id: int | None
    nearest_shelter_id: int | None
    walk_m: float | None
    nearest_walk_m: float | None
    walk_minutes: float | None
    slow: bool
    needs_care: bool
    reason: AssignmentReason
    reason_label: str


class AssignedPeoplePage(BaseModel):
    assignment_id: int
    total: int
    offset: int
    items: list[AssignedPersonOut]
