"""Bodies of the temporary-housing API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sonae.api.params import Count, Id, RequiredText
from sonae.damage.levels import DamageLevel
from sonae.housing.models import HousingStatus, SiteKind


class SiteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_id: Id
    kind: SiteKind
    name: RequiredText = Field(max_length=200)
    units: int = Field(ge=1, le=100_000)
    barrier_free_units: Count = 0
    chome_key_code: str | None = Field(default=None, max_length=20)
    address_text: str | None = Field(default=None, max_length=300)
    vulnerable_cap: Count | None = None


class SitePatch(BaseModel):
    """A correction of a site: only the fields sent change (null clears the nullable ones)."""

    model_config = ConfigDict(extra="forbid")

    kind: SiteKind | None = None
    name: RequiredText | None = Field(default=None, max_length=200)
    units: int | None = Field(default=None, ge=1, le=100_000)
    barrier_free_units: Count | None = None
    chome_key_code: str | None = Field(default=None, max_length=20)
    address_text: str | None = Field(default=None, max_length=300)
    vulnerable_cap: Count | None = None

    @model_validator(mode="after")
    def required_stay_set(self) -> SitePatch:
        for name in ("kind", "name", "units", "barrier_free_units"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"field '{name}': cannot be cleared")
        if not self.model_fields_set:
            raise ValueError("nothing to change: send at least one field")
        return self

    def changes(self) -> dict[str, object]:
        return self.model_dump(exclude_unset=True)


class SiteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    kind: SiteKind
    name: str
    units: int
    barrier_free_units: int
    chome_key_code: str | None
    address_text: str | None
    vulnerable_cap: int | None


class ApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_id: Id
    household_number: str = Field(min_length=1, max_length=15)
    applied_on: date
    cannot_secure_housing: bool
    """自らの資力では住家を確保できない (staff confirm it at the counter)."""
    housing_note: str | None = Field(default=None, max_length=2000)
    demolition: bool = False
    needs_barrier_free: bool = False


class ApplicationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    household_number: str
    damage_level: DamageLevel
    certificate_serial: str
    demolition: bool
    cannot_secure_housing: bool
    needs_barrier_free: bool
    chome_key_code: str | None
    applied_on: date
    status: HousingStatus
    site_id: int | None
    barrier_free_unit: bool
    moved_in_on: date | None
    limit_on: date | None
    moved_out_on: date | None
    received_at: datetime


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: HousingStatus
    reason: RequiredText = Field(max_length=2000)


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: date


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_id: Id
    seed: int | None = Field(default=None, ge=0, le=2**62)
    """Give one to reproduce a run; else a random seed is drawn and recorded."""
    as_of: date | None = None


class DecisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    application_id: int
    site_id: int | None
    barrier_free_unit: bool
    priority: bool
    lottery_rank: int | None
    waiting_rank: int | None
    reason: str


class RunOut(BaseModel):
    id: int
    event_id: int
    seed: int
    as_of: date
    applicants: int
    allocated: int
    lottery_pool: list[int]
    decisions: list[DecisionOut]
