"""Dwellings (住家) and the households living in them.

A dwelling is either a building footprint imported from a GIS file or, where a city has no
footprints, one dwelling per distinct household address. Households (世帯) are linked by
(municipality_code, household_number), the registry's household key.
"""

from __future__ import annotations

import enum
from datetime import datetime

from geoalchemy2 import WKBElement
from sqlalchemy import (
    BigInteger,
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

from sonae.database.columns import MunicipalMixin, geometry
from sonae.database.core import Base


class DwellingSource(enum.StrEnum):
    footprint = "footprint"
    """建物形状: a building polygon from a GIS file"""
    address = "address"
    """住所: one dwelling per distinct household address (no footprints for the city)"""


DWELLING_SOURCE_LABELS: dict[DwellingSource, str] = {
    DwellingSource.footprint: "建物形状",
    DwellingSource.address: "住所",
}


class StructureKind(enum.StrEnum):
    """The structure classes the damage criteria weigh parts by."""

    wooden = "wooden"
    """木造"""
    prefabricated = "prefabricated"
    """プレハブ"""
    non_wooden = "non_wooden"
    """非木造 (鉄骨造・鉄筋コンクリート造)"""


STRUCTURE_LABELS: dict[StructureKind, str] = {
    StructureKind.wooden: "木造",
    StructureKind.prefabricated: "プレハブ",
    StructureKind.non_wooden: "非木造",
}


class LocationPrecision(enum.StrEnum):
    building = "building"
    """the footprint's interior point"""
    town = "town"
    """the town (大字・町丁目) representative point: the registry geocodes no finer"""
    unknown = "unknown"


class Dwelling(MunicipalMixin, Base):
    __tablename__ = "dwelling"
    __table_args__ = (
        UniqueConstraint("municipality_code", "source", "source_ref"),
        Index("ix_dwelling_location", "location", postgresql_using="gist"),
        Index("ix_dwelling_address_key", "municipality_code", "address_key"),
        Index("ix_dwelling_footprint", "footprint", postgresql_using="gist"),
    )

    source: Mapped[DwellingSource] = mapped_column(Enum(DwellingSource, name="dwelling_source"))
    source_ref: Mapped[str] = mapped_column(String(300))
    """The building id in the imported file, or the normalised address for address dwellings."""
    address_key: Mapped[str | None] = mapped_column(String(300))
    """The normalised address (registry.normalise) households are matched by; a footprint has
    one only when its file gives an address."""
    structure: Mapped[StructureKind | None] = mapped_column(
        Enum(StructureKind, name="structure_kind")
    )
    storeys: Mapped[int | None] = mapped_column(Integer)
    chome_key_code: Mapped[str | None] = mapped_column(String(20))
    footprint: Mapped[WKBElement | None] = mapped_column(geometry("MULTIPOLYGON", nullable=True))
    location: Mapped[WKBElement | None] = mapped_column(geometry("POINT", nullable=True))
    location_precision: Mapped[LocationPrecision] = mapped_column(
        Enum(LocationPrecision, name="location_precision")
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class DwellingHousehold(MunicipalMixin, Base):
    """Which dwelling a household lives in: one dwelling per household, many households per
    dwelling (an apartment building)."""

    __tablename__ = "dwelling_household"
    __table_args__ = (
        UniqueConstraint("municipality_code", "household_number"),
        ForeignKeyConstraint(
            ["municipality_code", "dwelling_id"],
            ["dwelling.municipality_code", "dwelling.id"],
            ondelete="CASCADE",
        ),
        Index("ix_dwelling_household_dwelling", "municipality_code", "dwelling_id"),
    )

    dwelling_id: Mapped[int] = mapped_column(BigInteger)
    household_number: Mapped[str] = mapped_column(String(15))
    linked_by: Mapped[str] = mapped_column(String(30))
    """How the link was made: "address" (same normalised address) or "footprint" (point in
    polygon), or "manual"."""
    linked_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
