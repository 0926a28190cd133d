"""Request and response bodies of the livelihood-support API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from sonae.api.params import PG_INTEGER_MAX, Id, RequiredText
from sonae.livelihood.models import ApplicationStatus
from sonae.livelihood.table import Plan, SupportKind, SupportLevel


class EstimateOut(BaseModel):
    damage_level: SupportLevel
    damage_level_label: str
    household_size: int
    plan: Plan
    plan_label: str
    basic: int
    """基礎支援金 (yen)"""
    additional: int
    """加算支援金 (yen)"""
    total: int
    basic_label: str = "基礎支援金"
    additional_label: str = "加算支援金"
    total_label: str = "合計"
    law: str
    verify: str


class ApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_id: Id
    household_number: str = Field(min_length=1, max_length=15)
    kind: SupportKind
    plan: Plan = Plan.none
    applied_on: date
    demolition: bool = False
    """解体: the dwelling was (or must be) demolished."""
    long_term_evacuation: bool = False
    """長期避難: the household lives in a long-term evacuation area."""


class ApplicationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    household_number: str
    kind: SupportKind
    plan: Plan
    level: SupportLevel
    certificate_serial: str | None
    household_size: int
    amount: int
    applied_on: date
    deadline: date
    status: ApplicationStatus
    received_by: str
    received_at: datetime


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: ApplicationStatus
    reason: RequiredText | None = Field(default=None, max_length=2000)


class PaymentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(ge=1, le=PG_INTEGER_MAX)
    paid_on: date
    reference: str | None = Field(default=None, max_length=100)


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    application_id: int
    amount: int
    paid_on: date
    reference: str | None
    recorded_by: str


class HistoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: ApplicationStatus | None
    to_status: ApplicationStatus
    reason: str | None
    changed_by: str
    changed_at: datetime


class NoticeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    household_number: str
    kind: SupportKind
    kind_label: str
    level: SupportLevel
    level_label: str
    certificate_serial: str
    household_size: int
    amount: int
    deadline: date
    days_left: int
