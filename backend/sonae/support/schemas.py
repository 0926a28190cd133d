"""API shapes of rule sets, builds, entries and diffs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from sonae.api.params import Id


class RuleSetOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    name: str
    rules: dict[str, Any]
    created_by: str
    created_at: datetime


class BuildIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None
    """Ages are computed at this date (default: today)."""
    rule_set_id: Id | None = None
    """Default: the latest version of the rules."""


class BuildOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    rule_set_id: int
    as_of: date
    built_by: str
    built_at: datetime
    residents: int
    listed: int
    counts: dict[str, Any]


class HazardOut(BaseModel):
    hazard_type: str
    scenario: str
    rank: int | None
    rank_label: str


class EntryOut(BaseModel):
    person_id: int
    address_number: str
    name: str
    district: str | None
    age: int
    reasons: list[str]
    reason_labels: list[str]
    hazards: list[HazardOut]
    priority: float
    shelter_id: int | None
    shelter_name: str | None
    shelter_distance_m: float | None


class EntriesPage(BaseModel):
    build_id: int
    total: int
    offset: int
    items: list[EntryOut]


class ChangeOut(BaseModel):
    code: str
    label: str
    detail: str | None


class DiffItemOut(BaseModel):
    person_id: int
    address_number: str
    name: str
    kind: str
    district: str | None
    changes: list[ChangeOut]
    reasons_before: list[str]
    reasons_after: list[str]


class DiffOut(BaseModel):
    build_id: int
    other_build_id: int
    rules_changed: bool
    counts: dict[str, int]
    items: list[DiffItemOut]
