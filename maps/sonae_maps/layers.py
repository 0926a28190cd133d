"""The layers a city map is drawn from: plain GeoDataFrames, whatever their origin.

The server fills them from PostGIS, the notebook from files; the builders only draw.
All frames are in geographic coordinates (EPSG:6668 or EPSG:4326; they differ by far less
than a pixel at city scale).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

HAZARD_FLAG_COLUMNS: tuple[str, ...] = (
    "flood",
    "landslide",
    "storm_surge",
    "earthquake",
    "tsunami",
    "large_fire",
    "inland_flooding",
    "volcano",
)
"""The 8 per-hazard suitability flags of GSI emergency evacuation sites, in GSI order."""

HAZARD_FLAG_LABELS: dict[str, str] = {
    "flood": "洪水",
    "landslide": "崖崩れ、土石流及び地滑り",
    "storm_surge": "高潮",
    "earthquake": "地震",
    "tsunami": "津波",
    "large_fire": "大規模な火事",
    "inland_flooding": "内水氾濫",
    "volcano": "火山現象",
}


@dataclass(frozen=True)
class CityLayers:
    """Everything one city map shows.

    Columns expected (extra columns are ignored):
    - outline: geometry
    - chome: name, population, households, geometry (Polygon/MultiPolygon, or Point where a
      city has no chome polygons, as in Nishinomiya); optional key (census KEY_CODE)
    - shelters: name, address, kind ("designated_shelter" | "emergency_site"), is_welfare (bool),
      capacity (int or None), capacity_is_estimate (bool), the HAZARD_FLAG_COLUMNS (bool or None),
      geometry (Point)
    - hazards: hazard_type, scenario, rank (int), rank_label, is_derived_scenario (bool), geometry
    - roads: highway, geometry (LineString)
    """

    municipality_code: str
    municipality_name: str
    outline: gpd.GeoDataFrame
    chome: gpd.GeoDataFrame
    shelters: gpd.GeoDataFrame
    hazards: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    credits: list[str] = field(default_factory=list)
