from __future__ import annotations

import enum

from geoalchemy2 import WKBElement
from sqlalchemy import (
    BigInteger,
    Boolean,
    Enum,
    ForeignKeyConstraint,
    Index,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin, geometry
from sonae.database.core import Base


class HazardType(enum.StrEnum):
    flood = "flood"
    tsunami = "tsunami"
    storm_surge = "storm_surge"
    inland_flooding = "inland_flooding"
    landslide = "landslide"
    liquefaction = "liquefaction"


HAZARD_TYPE_LABELS = {
    HazardType.flood: "洪水",
    HazardType.tsunami: "津波",
    HazardType.storm_surge: "高潮",
    HazardType.inland_flooding: "内水氾濫",
    HazardType.landslide: "土砂災害",
    HazardType.liquefaction: "液状化",
}

SHELTER_FLAG_FOR_HAZARD = {
    HazardType.flood: "flood",
    HazardType.tsunami: "tsunami",
    HazardType.storm_surge: "storm_surge",
    HazardType.inland_flooding: "inland_flooding",
    HazardType.landslide: "landslide",
    # Liquefaction has no GSI flag of its own: the earthquake flag is the one that fits.
    HazardType.liquefaction: "earthquake",
}


class HazardZone(MunicipalMixin, Base):
    """One polygon of a hazard map: a hazard type, a scenario and an ordinal rank.

    is_derived_scenario marks zones this project built itself (for example Urayasu's
    liquefaction scenario) as opposed to an official hazard map.
    """

    __tablename__ = "hazard_zone"
    __table_args__ = (Index("ix_hazard_zone_geom", "geom", postgresql_using="gist"),)

    hazard_type: Mapped[HazardType] = mapped_column(Enum(HazardType, name="hazard_type"))
    scenario: Mapped[str] = mapped_column(String(200))
    rank: Mapped[int] = mapped_column(SmallInteger)
    rank_label: Mapped[str] = mapped_column(String(100))
    is_derived_scenario: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(300))
    source_feature_id: Mapped[str | None] = mapped_column(String(100))
    geom: Mapped[WKBElement] = mapped_column(geometry("MULTIPOLYGON"))


class HazardZonePart(MunicipalMixin, Base):
    """The zones cut by ST_Subdivide into small pieces: point-in-zone joins use these."""

    __tablename__ = "hazard_zone_part"
    __table_args__ = (
        ForeignKeyConstraint(
            ["municipality_code", "zone_id"],
            ["hazard_zone.municipality_code", "hazard_zone.id"],
            ondelete="CASCADE",
        ),
        Index("ix_hazard_zone_part_geom", "geom", postgresql_using="gist"),
    )

    zone_id: Mapped[int] = mapped_column(BigInteger)
    hazard_type: Mapped[HazardType] = mapped_column(
        Enum(HazardType, name="hazard_type", create_type=False)
    )
    rank: Mapped[int] = mapped_column(SmallInteger)
    geom: Mapped[WKBElement] = mapped_column(geometry("POLYGON"))
