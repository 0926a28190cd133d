"""The resident registry (住民基本台帳) as Sonae holds it: people, their dated history, imports.

People are keyed by the municipality's 宛名番号 (address_number), never by the personal number,
which lives encrypted in its own table (security.models.MyNumberRecord).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from geoalchemy2 import WKBElement
from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Enum,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import ChildOfPersonMixin, MunicipalMixin, geometry
from sonae.database.core import Base


class ResidentKind(enum.StrEnum):
    japanese = "japanese"
    """日本人住民"""
    foreign = "foreign"
    """外国人住民"""


class Sex(enum.StrEnum):
    male = "male"
    female = "female"


class ResidentStatus(enum.StrEnum):
    resident = "resident"
    """住民"""
    moved_out = "moved_out"
    """転出"""
    deceased = "deceased"
    """死亡"""
    erased = "erased"
    """職権消除等"""


class ChangeKind(enum.StrEnum):
    """Why a person's record changed (住民異動の事由)."""

    initial = "initial"
    """初期登録: first seen in a full registry file"""
    moved_in = "moved_in"
    """転入"""
    birth = "birth"
    """出生"""
    moved_out = "moved_out"
    """転出"""
    death = "death"
    """死亡"""
    address_change = "address_change"
    """転居: moved within the city"""
    household_change = "household_change"
    """世帯変更"""
    correction = "correction"
    """職権修正 / a full file that differs from what we hold"""


class GeocodeStatus(enum.StrEnum):
    address_point = "address_point"
    """matched to a town (大字・町丁目) representative point"""
    chome = "chome"
    """matched to a chome, placed at its representative point"""
    unmatched = "unmatched"


class Person(MunicipalMixin, Base):
    """A person as the registry knows them now; the past is in PersonHistory."""

    __tablename__ = "person"
    __table_args__ = (
        # A partition holds one city: indexes that are not keys leave its code out, keys put
        # it last, so building them compares what differs first (migration 0018).
        UniqueConstraint("address_number", "municipality_code"),
        Index("ix_person_location", "location", postgresql_using="gist"),
        Index("ix_person_household", "household_number"),
        # The shelter desk matches typed or card facts from the birth date (sheltering.matching).
        Index("ix_person_birth_date", "birth_date"),
        # A city's first import loads a partition of its own (registry.partitions).
        {"postgresql_partition_by": "LIST (municipality_code)"},
    )

    address_number: Mapped[str] = mapped_column(String(15))
    """宛名番号: the city's internal person number, the only key other systems link by."""
    household_number: Mapped[str] = mapped_column(String(15))
    resident_kind: Mapped[ResidentKind] = mapped_column(Enum(ResidentKind, name="resident_kind"))
    status: Mapped[ResidentStatus] = mapped_column(Enum(ResidentStatus, name="resident_status"))
    name: Mapped[str] = mapped_column(String(100))
    name_kana: Mapped[str | None] = mapped_column(String(100))
    name_roman: Mapped[str | None] = mapped_column(String(200))
    """外国人住民: 氏名（アルファベット）"""
    former_surname: Mapped[str | None] = mapped_column(String(50))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(Enum(Sex, name="sex"))
    relation_to_head: Mapped[str] = mapped_column(String(20))
    """続柄: 世帯主, 妻, 子, …"""
    address_text: Mapped[str] = mapped_column(String(300))
    """住所 as the registry wrote it (notation variants and all)."""
    address_annex: Mapped[str | None] = mapped_column(String(200))
    """方書: building and room."""
    nationality: Mapped[str | None] = mapped_column(String(60))
    residence_status: Mapped[str | None] = mapped_column(String(60))
    resident_code: Mapped[str | None] = mapped_column(String(11))
    """住民票コード (11 digits)."""
    became_resident_on: Mapped[date | None] = mapped_column(Date)
    address_since: Mapped[date | None] = mapped_column(Date)
    status_since: Mapped[date | None] = mapped_column(Date)
    chome_key_code: Mapped[str | None] = mapped_column(String(20))
    location: Mapped[WKBElement | None] = mapped_column(geometry("POINT", nullable=True))
    geocode_status: Mapped[GeocodeStatus] = mapped_column(
        Enum(GeocodeStatus, name="geocode_status"), default=GeocodeStatus.unmatched
    )
    geocode_note: Mapped[str | None] = mapped_column(String(200))
    """Why an address did not match (never the address itself in logs)."""
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class PersonHistory(ChildOfPersonMixin, Base):
    """Append-only dated history: every change of a person's status, household or address."""

    __tablename__ = "person_history"
    __table_args__ = (
        ForeignKeyConstraint(
            ["municipality_code", "person_id"],
            ["person.municipality_code", "person.id"],
            ondelete="CASCADE",
        ),
        Index("ix_person_history_person", "person_id", "effective_on"),  # see Person
        {"postgresql_partition_by": "LIST (municipality_code)"},
    )

    person_id: Mapped[int] = mapped_column(BigInteger)
    change: Mapped[ChangeKind] = mapped_column(Enum(ChangeKind, name="change_kind"))
    effective_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ResidentStatus] = mapped_column(
        Enum(ResidentStatus, name="resident_status", create_type=False)
    )
    household_number: Mapped[str] = mapped_column(String(15))
    relation_to_head: Mapped[str] = mapped_column(String(20))
    address_text: Mapped[str] = mapped_column(String(300))
    import_id: Mapped[int | None] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class RegistryImport(MunicipalMixin, Base):
    """One registry or welfare file taken in: what it was and what came of it."""

    __tablename__ = "registry_import"

    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    """full | changes | welfare"""
    encoding: Mapped[str] = mapped_column(String(20))
    rows: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    geocoded: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
