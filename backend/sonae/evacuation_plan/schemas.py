"""What a plan holds, as the API and the CLI give it (route as a GeoJSON LineString, lon/lat).

No free text may hold a personal number (security.twelve_digits)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sonae.api.params import Id, RequiredText
from sonae.security.twelve_digits import NO_TWELVE_DIGITS


class Supporter(BaseModel):
    """避難支援等実施者: who helps the person evacuate."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[RequiredText, NO_TWELVE_DIGITS] = Field(max_length=100)
    phone: Annotated[str | None, NO_TWELVE_DIGITS] = Field(default=None, max_length=30)
    address: Annotated[str | None, NO_TWELVE_DIGITS] = Field(default=None, max_length=300)
    relation: Annotated[str | None, NO_TWELVE_DIGITS] = Field(default=None, max_length=50)
    """e.g. 近隣住民, 民生委員, 自主防災組織, 家族"""


class EmergencyContact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[RequiredText, NO_TWELVE_DIGITS] = Field(max_length=100)
    phone: Annotated[RequiredText, NO_TWELVE_DIGITS] = Field(max_length=30)
    relation: Annotated[str | None, NO_TWELVE_DIGITS] = Field(default=None, max_length=50)


class LineStringGeoJSON(BaseModel):
    """A GeoJSON LineString in lon/lat (JGD2011 ≈ WGS84)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["LineString"]
    coordinates: list[tuple[float, float]] = Field(min_length=2, max_length=10_000)

    @field_validator("coordinates")
    @classmethod
    def _lon_lat(cls, value: list[tuple[float, float]]) -> list[tuple[float, float]]:
        for lon, lat in value:
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValueError("coordinates must be longitude, latitude in degrees")
        return value


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    supporters: list[Supporter] = Field(default_factory=list, max_length=20)
    destination_shelter_id: Id | None = None
    route: LineStringGeoJSON | None = None
    care_notes: Annotated[str | None, NO_TWELVE_DIGITS] = Field(default=None, max_length=4000)
    emergency_contacts: list[EmergencyContact] = Field(default_factory=list, max_length=20)


class PlanOut(BaseModel):
    person_id: int
    district: str | None
    supporters: list[Supporter]
    destination_shelter_id: int | None
    destination_shelter_name: str | None
    route: dict[str, Any] | None
    care_notes: str | None
    emergency_contacts: list[EmergencyContact]
    is_active: bool
    created_by: str
    created_at: datetime
    updated_by: str | None
    updated_at: datetime


class CoverageRow(BaseModel):
    district: str
    listed: int
    consenting: int
    """Listed people whose evacuation_plan consent in force is agreed."""
    with_plan: int
    """Of those, how many have an active plan."""


class Coverage(BaseModel):
    build_id: int
    as_of: date
    districts: list[CoverageRow]
    total: CoverageRow
