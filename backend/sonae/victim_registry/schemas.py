"""Bodies of the victim-registry API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from sonae.api.params import Id, RequiredText, Yen
from sonae.victim_registry.models import RegistryItem, SupportGivenKind


class SupportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: SupportGivenKind
    description: RequiredText = Field(max_length=300)
    given_on: date
    amount: Yen | None = None
    person_id: Id | None = None


class ProvisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recipient: RequiredText = Field(max_length=200)
    purpose: RequiredText = Field(max_length=2000)
    items: list[RegistryItem] = Field(min_length=1, max_length=30)
    provided_on: date


class MemberOut(BaseModel):
    person_id: int
    address_number: str
    name: str
    name_kana: str | None
    birth_date: date
    sex: str
    relation_to_head: str
    address: str
    phone: str | None
    care_reasons: list[str]


class CertificateOut(BaseModel):
    serial: str
    damage_level: str
    damage_level_label: str
    issued_at: datetime


class SupportLineOut(BaseModel):
    """One support given, in words (Japanese) and, where money, yen."""

    kind: str
    label: str
    status: str | None = None
    amount: int | None = None
    on: date | None = None


class SafetyOut(BaseModel):
    person_id: int
    kind: str
    summary: str
    at: datetime | None


class ProvisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    recipient: str
    purpose: str
    items: list[str]
    provided_on: date


class HouseholdRecordOut(BaseModel):
    event_id: int
    household_number: str
    members: list[MemberOut]
    certificate: CertificateOut | None
    supports: list[SupportLineOut]
    safety: list[SafetyOut]
    provisions: list[ProvisionOut]
