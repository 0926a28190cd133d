"""API shapes of dwellings."""

from __future__ import annotations

from pydantic import BaseModel

from sonae.dwelling.models import DwellingSource, LocationPrecision, StructureKind


class DwellingOut(BaseModel):
    id: int
    source: DwellingSource
    source_ref: str
    structure: StructureKind | None
    storeys: int | None
    chome_key_code: str | None
    location_precision: LocationPrecision
    lon: float | None
    lat: float | None
    household_numbers: list[str]
