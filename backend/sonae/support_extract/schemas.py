"""API shapes of consent, disaster mode and extracts."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from sonae.api.params import Id
from sonae.support.models import ConsentScope, ConsentStatus


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: Id
    scope: ConsentScope
    status: ConsentStatus
    decided_on: date | None = None
    note: str | None = Field(default=None, max_length=1000)


class ConsentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    scope: ConsentScope
    status: ConsentStatus
    decided_on: date | None
    recorded_by: str
    recorded_at: datetime
    note: str | None


class ConsentImportOut(BaseModel):
    rows: int
    by_status: dict[str, int]


class DisasterModeHolderOut(BaseModel):
    """A lane holding disaster mode on: an open event (event_id) or a switch by hand (None)."""

    event_id: int | None
    since: datetime
    reason: str
    affected_chome: list[str] | None
    """None: the whole municipality."""


class DisasterModeOut(BaseModel):
    active: bool
    since: datetime | None
    """When the earliest lane still on was switched on; while off, the last switch's time."""
    reason: str | None
    """The holders' reasons (while off: the last switch's)."""
    held_by: list[DisasterModeHolderOut] = []
    affected_chome: list[str] | None = None
    """While on: the union of the holders' chome, where consent is waived (None: everywhere)."""


class ExtractRowOut(BaseModel):
    person_id: int
    district: str
    name: str
    name_kana: str | None
    birth_date: date
    age: int
    sex: str
    address: str
    phone: str | None
    reasons: list[str]
    hazards: list[str]
    shelter_name: str | None
    shelter_distance_m: float | None
    priority: float
    consent: str


class ExtractOut(BaseModel):
    build_id: int
    rule_set_version: int
    mode: str
    districts: list[str]
    left_out_without_consent: int
    left_out_not_resident: int
    rows: list[ExtractRowOut]
