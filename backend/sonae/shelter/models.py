from __future__ import annotations

import enum

from geoalchemy2 import WKBElement
from sqlalchemy import Boolean, Enum, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin, geometry
from sonae.database.core import Base


class ShelterKind(enum.StrEnum):
    designated_shelter = "designated_shelter"
    """指定避難所: where people stay."""
    emergency_site = "emergency_site"
    """指定緊急避難場所: where people flee to, flagged per hazard."""


SHELTER_KIND_LABELS = {
    ShelterKind.designated_shelter: "指定避難所",
    ShelterKind.emergency_site: "指定緊急避難場所",
}

HAZARD_FLAGS: tuple[str, ...] = (
    "flood",
    "landslide",
    "storm_surge",
    "earthquake",
    "tsunami",
    "large_fire",
    "inland_flooding",
    "volcano",
)
"""The 8 GSI per-hazard suitability flags, in the order of the GSI files."""


class Shelter(MunicipalMixin, Base):
    """A designated shelter or an emergency evacuation site (GSI format).

    The 8 flags are None where the source does not say (GSI designated-shelter files carry no
    flags). capacity is the official figure; estimated_capacity comes from the editable rules in
    shelter_capacity_rule when the official one is missing.
    """

    __tablename__ = "shelter"
    __table_args__ = (
        UniqueConstraint("municipality_code", "kind", "source_id"),
        Index("ix_shelter_point", "point", postgresql_using="gist"),
    )

    source_id: Mapped[str] = mapped_column(String(40))
    """共通ID of the GSI data (or the id column mapped at import)."""
    kind: Mapped[ShelterKind] = mapped_column(Enum(ShelterKind, name="shelter_kind"))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    is_welfare: Mapped[bool] = mapped_column(Boolean, default=False)
    """受入対象者 = 要配慮者: a welfare shelter (福祉避難所)."""
    flood: Mapped[bool | None] = mapped_column(Boolean)
    landslide: Mapped[bool | None] = mapped_column(Boolean)
    storm_surge: Mapped[bool | None] = mapped_column(Boolean)
    earthquake: Mapped[bool | None] = mapped_column(Boolean)
    tsunami: Mapped[bool | None] = mapped_column(Boolean)
    large_fire: Mapped[bool | None] = mapped_column(Boolean)
    inland_flooding: Mapped[bool | None] = mapped_column(Boolean)
    volcano: Mapped[bool | None] = mapped_column(Boolean)
    capacity: Mapped[int | None] = mapped_column(Integer)
    estimated_capacity: Mapped[int | None] = mapped_column(Integer)
    capacity_rule: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    point: Mapped[WKBElement] = mapped_column(geometry("POINT"))


class ShelterCapacityRule(MunicipalMixin, Base):
    """An editable estimate: shelters whose name matches the pattern hold about this many people.

    Rules are tried by ascending priority; the first match wins. They are estimates to plan with,
    not official capacities, and are shown as such.
    """

    __tablename__ = "shelter_capacity_rule"
    __table_args__ = (UniqueConstraint("municipality_code", "name"),)

    name: Mapped[str] = mapped_column(String(100))
    priority: Mapped[int] = mapped_column(Integer)
    name_pattern: Mapped[str] = mapped_column(String(200))
    """A regular expression matched against the shelter's name (Python re.search)."""
    capacity: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(Text)
