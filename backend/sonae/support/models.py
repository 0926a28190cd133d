"""The list of people who need help to evacuate (避難行動要支援者名簿), its versions and consent.

A build is a stored, immutable version: which rules, who, when, and one entry per listed person
with the reasons, hazard exposures, priority and recommended shelter. Diffs compare two builds.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from geoalchemy2 import WKBElement
from sqlalchemy import (
    CHAR,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin, geometry, municipal_fk
from sonae.database.core import Base


class SupportRuleSet(MunicipalMixin, Base):
    """A version of the inclusion criteria. Never edited in place: a change is a new version."""

    __tablename__ = "support_rule_set"
    __table_args__ = (UniqueConstraint("municipality_code", "version"),)

    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    rules: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """The criteria as data (see support.rules for the schema)."""
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SupportListBuild(MunicipalMixin, Base):
    """One stored version of the list."""

    __tablename__ = "support_list_build"
    __table_args__ = (
        ForeignKeyConstraint(
            ["municipality_code", "rule_set_id"],
            ["support_rule_set.municipality_code", "support_rule_set.id"],
        ),
    )

    rule_set_id: Mapped[int] = mapped_column(BigInteger)
    as_of: Mapped[date] = mapped_column(Date)
    """The date ages are computed at."""
    built_by: Mapped[str] = mapped_column(String(100))
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    residents: Mapped[int] = mapped_column(Integer)
    listed: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """Counts by reason, by hazard exposure and by district."""


class SupportListEntry(MunicipalMixin, Base):
    """One listed person in one build, with a snapshot of what the diff compares."""

    __tablename__ = "support_list_entry"
    __table_args__ = (
        UniqueConstraint("municipality_code", "build_id", "person_id"),
        ForeignKeyConstraint(
            ["municipality_code", "build_id"],
            ["support_list_build.municipality_code", "support_list_build.id"],
            ondelete="CASCADE",
        ),
        municipal_fk("person_id", "person"),
    )

    municipality_code: Mapped[str] = mapped_column(CHAR(6), primary_key=True)
    """No foreign key to municipality of its own: the build's covers it (and cascades), and one
    check fewer per row saves a build of 50,000 entries about a quarter of a second."""
    build_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int] = mapped_column(BigInteger)
    reasons: Mapped[list[str]] = mapped_column(JSONB)
    """Rule codes that listed the person, e.g. ["care_level_3_plus", "elderly_alone"]."""
    hazards: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    """[{hazard_type, scenario, rank, rank_label}] the person's location lies in."""
    priority: Mapped[float] = mapped_column(Float)
    shelter_id: Mapped[int | None] = mapped_column(BigInteger)
    shelter_distance_m: Mapped[float | None] = mapped_column(Float)
    district: Mapped[str | None] = mapped_column(String(100))
    age: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """What the diff compares: address, household, care level, status… at build time."""


class ConsentStatus(enum.StrEnum):
    agreed = "agreed"
    refused = "refused"
    not_asked = "not_asked"


class ConsentScope(enum.StrEnum):
    list_sharing = "list_sharing"
    """名簿情報の平常時提供 (災害対策基本法 49条の11)"""
    evacuation_plan = "evacuation_plan"
    """個別避難計画の作成・提供 (49条の14)"""


class Consent(MunicipalMixin, Base):
    """Append-only consent decisions; the latest per person and scope is the one in force."""

    __tablename__ = "consent"
    __table_args__ = (
        municipal_fk("person_id", "person"),
        Index("ix_consent_person", "municipality_code", "person_id", "scope", "recorded_at"),
    )

    person_id: Mapped[int] = mapped_column(BigInteger)
    scope: Mapped[ConsentScope] = mapped_column(Enum(ConsentScope, name="consent_scope"))
    status: Mapped[ConsentStatus] = mapped_column(Enum(ConsentStatus, name="consent_status"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    note: Mapped[str | None] = mapped_column(Text)


class EvacuationPlan(MunicipalMixin, Base):
    """個別避難計画: one current plan per person (edits update it; versions via updated_at)."""

    __tablename__ = "evacuation_plan"
    __table_args__ = (
        UniqueConstraint("municipality_code", "person_id"),
        municipal_fk("person_id", "person"),
    )

    person_id: Mapped[int] = mapped_column(BigInteger)
    supporters: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    """[{name, phone, address, relation}]"""
    destination_shelter_id: Mapped[int | None] = mapped_column(BigInteger)
    route: Mapped[WKBElement | None] = mapped_column(geometry("LINESTRING", nullable=True))
    care_notes: Mapped[str | None] = mapped_column(Text)
    emergency_contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    """[{name, phone, relation}]"""
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class DisasterModeSwitch(MunicipalMixin, Base):
    """Append-only switches of disaster mode (災害時モード), one lane per event_id (NULL: by
    hand); the latest row of each lane is in force and the mode is on while any lane is
    (support_extract.disaster_mode).

    While it is on, full extracts of the support list without consent are allowed (災害対策基本法
    49条の11 第3項). The events feature switches it on when an event is declared and off when
    it is closed; `sonae support disaster-mode` does it by hand.
    """

    __tablename__ = "disaster_mode_switch"
    __table_args__ = (Index("ix_disaster_mode_switch_at", "municipality_code", "switched_at"),)

    active: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(300))
    switched_by: Mapped[str] = mapped_column(String(100))
    switched_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
    event_id: Mapped[int | None] = mapped_column(BigInteger)
    """The declared event that switched it (None: switched by hand)."""
    affected_chome: Mapped[list[str] | None] = mapped_column(ARRAY(String(20)))
    """Where it applies: the event's chome keys; None means the whole municipality."""
