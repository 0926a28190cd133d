"""Fill the map's CityLayers from PostGIS."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from sonae.chome.models import Chome
from sonae.database.core import STORAGE_SRID
from sonae.hazard.models import HazardZone
from sonae.municipality import service as municipality_service
from sonae.municipality.models import Municipality
from sonae.road.models import RoadEdge
from sonae.shelter.models import HAZARD_FLAGS, Shelter
from sonae_maps import CityLayers

DISPLAY_SIMPLIFY_DEGREES = 0.00001
"""About 1 m: invisible at city zoom, and it keeps the page light."""

MAP_CREDITS = [
    "国土地理院 指定緊急避難場所・指定避難所データ",
    "e-Stat 国勢調査 小地域境界 2020・2015 小地域集計 (総務省統計局)",
    "国土数値情報 行政区域 (国土交通省)",
    "Geolonia 住所データ (CC BY 4.0), 位置参照情報 (国土交通省)",
    "© OpenStreetMap contributors (ODbL)",
    "3D都市モデル PLATEAU (国土交通省)",
]


def _frame(session: Session, query: Select[*tuple[Any, ...]]) -> gpd.GeoDataFrame:
    return gpd.read_postgis(query, session.connection(), geom_col="geometry", crs=STORAGE_SRID)


def city_layers(*, session: Session, municipality_code: str) -> CityLayers:
    municipality = municipality_service.get(session=session, code=municipality_code)
    code = municipality.code
    return CityLayers(
        municipality_code=code,
        municipality_name=municipality.name,
        outline=_frame(
            session,
            select(Municipality.name, Municipality.outline.label("geometry")).where(
                Municipality.code == code, Municipality.outline.is_not(None)
            ),
        ),
        chome=_frame(
            session,
            select(
                Chome.key_code.label("key"),
                Chome.name,
                Chome.population,
                Chome.households,
                func.coalesce(Chome.boundary, Chome.point).label("geometry"),
            ).where(Chome.municipality_code == code),
        ),
        shelters=_frame(
            session,
            select(
                Shelter.name,
                Shelter.address,
                Shelter.kind,
                Shelter.is_welfare,
                func.coalesce(Shelter.capacity, Shelter.estimated_capacity).label("capacity"),
                (Shelter.capacity.is_(None) & Shelter.estimated_capacity.is_not(None)).label(
                    "capacity_is_estimate"
                ),
                *(getattr(Shelter, flag) for flag in HAZARD_FLAGS),
                Shelter.point.label("geometry"),
            )
            .where(Shelter.municipality_code == code)
            .order_by(Shelter.id),
        ),
        hazards=_frame(
            session,
            select(
                HazardZone.hazard_type,
                HazardZone.scenario,
                HazardZone.rank,
                HazardZone.rank_label,
                HazardZone.is_derived_scenario,
                func.ST_SimplifyPreserveTopology(HazardZone.geom, DISPLAY_SIMPLIFY_DEGREES).label(
                    "geometry"
                ),
            )
            .where(HazardZone.municipality_code == code)
            .order_by(HazardZone.rank),
        ),
        roads=_frame(
            session,
            select(
                RoadEdge.highway,
                func.ST_SimplifyPreserveTopology(RoadEdge.geom, DISPLAY_SIMPLIFY_DEGREES).label(
                    "geometry"
                ),
            ).where(RoadEdge.municipality_code == code),
        ),
        credits=MAP_CREDITS,
    )
