"""API shapes of certificate applications, certificates, the template and daily statistics."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, computed_field

from sonae.certificate.models import ApplicationChannel
from sonae.damage.levels import DAMAGE_LEVEL_LABELS, DamageLevel
from sonae.damage.schemas import Code, Required, Text


class ApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    applicant_address_number: Code = Field(min_length=1, max_length=15)
    """宛名番号 of the household member applying."""
    channel: ApplicationChannel = ApplicationChannel.counter


class ApplicationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    household_number: str
    applicant_address_number: str
    channel: ApplicationChannel
    applied_at: datetime
    received_by: str
    first_issued_at: datetime | None


class IssueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reissue_reason: Required | None = Field(default=None, max_length=500)
    """Needed for a re-issue of an unchanged judgement (lost paper…)."""


class CertificateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    serial: str
    sequence: int
    household_number: str
    application_id: int
    judgement_id: int
    damage_level: DamageLevel
    reissue_of: int | None
    reissue_reason: str | None
    template_version: int
    issued_by: str
    issued_at: datetime
    outdated: bool = False
    """True when the household's judgement changed after this was issued: re-issue it."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def damage_level_label(self) -> str:
        return DAMAGE_LEVEL_LABELS[self.damage_level]


class TemplateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text = Field(min_length=1, max_length=100)
    body: Text = Field(min_length=1, max_length=5000)
    issuer: Text = Field(min_length=1, max_length=200)


class TemplateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    title: str
    body: str
    issuer: str
    created_by: str
    created_at: datetime


class DayStatsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    day: date
    received: int
    issued: int
    reissued: int
    pending: int
    backlog: int
    issued_total: int
