"""API shapes of safety confirmation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from sonae.api.params import Id
from sonae.safety.models import (
    REPORT_SOURCE_LABELS,
    SAFETY_STATUS_LABELS,
    WHEREABOUTS_LABELS,
    ReportSource,
    SafetyReport,
    SafetyStatus,
    Whereabouts,
)
from sonae.security.twelve_digits import NO_TWELVE_DIGITS


class LonLat(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)


class ReportIn(BaseModel):
    """One observation. People outside shelters (car, relatives, another city) need a contact,
    a place or a location. No free text may hold a personal number (security.twelve_digits)."""

    model_config = ConfigDict(extra="forbid")

    person_id: Id
    status: SafetyStatus
    whereabouts: Whereabouts = Whereabouts.unknown
    source: ReportSource
    observed_at: AwareDatetime
    shelter_id: Id | None = None
    place_note: Annotated[str | None, NO_TWELVE_DIGITS] = Field(default=None, max_length=300)
    contact: Annotated[str | None, NO_TWELVE_DIGITS] = Field(default=None, max_length=200)
    location: LonLat | None = None
    note: Annotated[str | None, NO_TWELVE_DIGITS] = Field(default=None, max_length=2000)


class ReportOut(BaseModel):
    id: int
    person_id: int | None
    evacuee_id: int | None
    status: SafetyStatus
    status_label: str
    whereabouts: Whereabouts
    whereabouts_label: str
    shelter_id: int | None
    place_note: str | None
    contact: str | None
    source: ReportSource
    source_label: str
    observed_at: datetime
    recorded_by: str
    recorded_at: datetime

    @classmethod
    def of(cls, report: SafetyReport) -> ReportOut:
        return cls(
            id=report.id,
            person_id=report.person_id,
            evacuee_id=report.evacuee_id,
            status=report.status,
            status_label=SAFETY_STATUS_LABELS[report.status],
            whereabouts=report.whereabouts,
            whereabouts_label=WHEREABOUTS_LABELS[report.whereabouts],
            shelter_id=report.shelter_id,
            place_note=report.place_note,
            contact=report.contact,
            source=report.source,
            source_label=REPORT_SOURCE_LABELS[report.source],
            observed_at=report.observed_at,
            recorded_by=report.recorded_by,
            recorded_at=report.recorded_at,
        )


class PersonSafetyOut(BaseModel):
    person_id: int
    status: SafetyStatus
    status_label: str
    whereabouts: Whereabouts
    history: list[ReportOut]


class DistrictProgressOut(BaseModel):
    district: str
    tasks: int
    confirmed: int
    percent: float
    listed: int
    listed_confirmed: int
    listed_percent: float
    by_status: dict[SafetyStatus, int]
    assigned_to: list[str]


class ProgressOut(BaseModel):
    event_id: int
    districts: list[DistrictProgressOut]
    by_status: dict[SafetyStatus, int]
    by_whereabouts: dict[Whereabouts, int]
    unregistered: int
    status_labels: dict[SafetyStatus, str] = dict(SAFETY_STATUS_LABELS)


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    district: str = Field(min_length=1, max_length=100)
    assigned_to: str = Field(min_length=1, max_length=100)


class AssignOut(BaseModel):
    district: str
    assigned_to: str
    tasks: int


class TaskOut(BaseModel):
    person_id: int
    district: str
    priority: int
    assigned_to: str | None
    name: str
    name_kana: str | None
    address: str
    status: SafetyStatus
    status_label: str
