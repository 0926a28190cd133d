"""Temporary housing (応急仮設住宅): sites and leased units, applications, allocation runs.

A built site (建設型) has many units; a leased unit (賃貸型・みなし仮設) is a site of one unit.
The tenancy lives on the application: one application, at most one unit, move-in, move-out.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from geoalchemy2 import WKBElement
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from sonae.damage.levels import DamageLevel
from sonae.database.columns import MunicipalMixin, geometry, municipal_fk
from sonae.database.core import Base


class SiteKind(enum.StrEnum):
    built = "built"
    """建設型応急住宅"""
    leased = "leased"
    """賃貸型応急住宅（みなし仮設）"""


SITE_KIND_LABELS: dict[SiteKind, str] = {
    SiteKind.built: "建設型応急住宅",
    SiteKind.leased: "賃貸型応急住宅（みなし仮設）",
}


class HousingStatus(enum.StrEnum):
    received = "received"
    """受付"""
    waiting = "waiting"
    """待機 (not allocated in a run; stays in the next one)"""
    allocated = "allocated"
    """入居決定"""
    moved_in = "moved_in"
    """入居中"""
    moved_out = "moved_out"
    """退去"""
    rejected = "rejected"
    """却下"""
    withdrawn = "withdrawn"
    """取下げ・辞退"""


HOUSING_STATUS_LABELS: dict[HousingStatus, str] = {
    HousingStatus.received: "受付",
    HousingStatus.waiting: "待機",
    HousingStatus.allocated: "入居決定",
    HousingStatus.moved_in: "入居中",
    HousingStatus.moved_out: "退去",
    HousingStatus.rejected: "却下",
    HousingStatus.withdrawn: "取下げ・辞退",
}


class HousingSite(MunicipalMixin, Base):
    __tablename__ = "housing_site"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        Index("ix_housing_site_location", "location", postgresql_using="gist"),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[SiteKind] = mapped_column(Enum(SiteKind, name="housing_site_kind"))
    name: Mapped[str] = mapped_column(String(200))
    address_text: Mapped[str | None] = mapped_column(String(300))
    chome_key_code: Mapped[str | None] = mapped_column(String(20))
    """The chome the site stands in (neighbours from that chome are placed here first)."""
    location: Mapped[WKBElement | None] = mapped_column(geometry("POINT", nullable=True))
    units: Mapped[int] = mapped_column(Integer)
    barrier_free_units: Mapped[int] = mapped_column(Integer, default=0)
    vulnerable_cap: Mapped[int | None] = mapped_column(Integer)
    """Most priority households placed here; None: allocation.default_vulnerable_cap."""
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class HousingApplication(MunicipalMixin, Base):
    __tablename__ = "housing_application"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        municipal_fk("site_id", "housing_site"),
        Index(
            "ix_housing_application_household", "municipality_code", "event_id", "household_number"
        ),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    household_number: Mapped[str] = mapped_column(String(15))
    damage_level: Mapped[DamageLevel] = mapped_column(
        Enum(DamageLevel, name="damage_level", create_type=False)
    )
    certificate_serial: Mapped[str] = mapped_column(String(40))
    demolition: Mapped[bool] = mapped_column(Boolean, default=False)
    """大規模半壊・半壊 that must be demolished (解体): eligible like 全壊."""
    cannot_secure_housing: Mapped[bool] = mapped_column(Boolean)
    """自らの資力では住家を確保できない: recorded by staff at the counter."""
    housing_note: Mapped[str | None] = mapped_column(Text)
    needs_barrier_free: Mapped[bool] = mapped_column(Boolean, default=False)
    chome_key_code: Mapped[str | None] = mapped_column(String(20))
    """Where the household lived (from the registry at application): its neighbours."""
    applied_on: Mapped[date] = mapped_column(Date)
    status: Mapped[HousingStatus] = mapped_column(Enum(HousingStatus, name="housing_status"))
    site_id: Mapped[int | None] = mapped_column(BigInteger)
    barrier_free_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[bool | None] = mapped_column(Boolean)
    """Set by the allocation run that placed the household (counts against a site's cap)."""
    moved_in_on: Mapped[date | None] = mapped_column(Date)
    limit_on: Mapped[date | None] = mapped_column(Date)
    """Last day of the 2-year period (災害救助法) counted from move-in."""
    moved_out_on: Mapped[date | None] = mapped_column(Date)
    received_by: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class HousingApplicationHistory(MunicipalMixin, Base):
    """Append-only: every status change of a housing application."""

    __tablename__ = "housing_application_history"
    __table_args__ = (
        municipal_fk("application_id", "housing_application"),
        Index("ix_housing_history_application", "municipality_code", "application_id"),
    )

    application_id: Mapped[int] = mapped_column(BigInteger)
    from_status: Mapped[HousingStatus | None] = mapped_column(
        Enum(HousingStatus, name="housing_status", create_type=False)
    )
    to_status: Mapped[HousingStatus] = mapped_column(
        Enum(HousingStatus, name="housing_status", create_type=False)
    )
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class HousingAllocationRun(MunicipalMixin, Base):
    """One run of the allocation: its seed, its inputs' size and the lottery draw, recorded."""

    __tablename__ = "housing_allocation_run"
    __table_args__ = (municipal_fk("event_id", "disaster_event"),)

    event_id: Mapped[int] = mapped_column(BigInteger)
    seed: Mapped[int] = mapped_column(BigInteger)
    as_of: Mapped[date] = mapped_column(Date)
    """The date ages were computed at."""
    applicants: Mapped[int] = mapped_column(Integer)
    allocated: Mapped[int] = mapped_column(Integer)
    lottery_pool: Mapped[list[int]] = mapped_column(ARRAY(BigInteger))
    """Application ids of the tier that was drawn, in drawn order."""
    policy: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """The sites' free units and caps as the run saw them."""
    run_by: Mapped[str] = mapped_column(String(100))
    run_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class HousingDecision(MunicipalMixin, Base):
    """One household's outcome in one run, with the reason given to it (Japanese)."""

    __tablename__ = "housing_decision"
    __table_args__ = (
        municipal_fk("run_id", "housing_allocation_run"),
        municipal_fk("application_id", "housing_application"),
        Index("ix_housing_decision_run", "municipality_code", "run_id"),
    )

    run_id: Mapped[int] = mapped_column(BigInteger)
    application_id: Mapped[int] = mapped_column(BigInteger)
    site_id: Mapped[int | None] = mapped_column(BigInteger)
    barrier_free_unit: Mapped[bool] = mapped_column(Boolean)
    priority: Mapped[bool] = mapped_column(Boolean)
    lottery_rank: Mapped[int | None] = mapped_column(Integer)
    waiting_rank: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
