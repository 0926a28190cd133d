"""What the registry API returns."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from sonae.registry.models import ResidentStatus


class RegistryImportOut(BaseModel):
    """One file taken in: provenance and counts only."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    file_name: str
    sha256: str
    kind: str
    encoding: str
    rows: int
    accepted: int
    rejected: int
    geocoded: int
    imported_at: datetime


class ImportsPage(BaseModel):
    total: int
    imports: list[RegistryImportOut]


class UnmatchedOut(BaseModel):
    """A person whose address could not be placed, for the staff who correct addresses."""

    model_config = ConfigDict(from_attributes=True)

    person_id: int
    address_number: str
    status: ResidentStatus
    address_text: str
    geocode_note: str | None


class UnmatchedPage(BaseModel):
    total: int
    people: list[UnmatchedOut]
