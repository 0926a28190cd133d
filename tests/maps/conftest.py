"""A tiny hand-made city whose map is known in advance.

Three chome squares side by side (populations 100/200/300, so three population classes),
one welfare shelter in the first and one ordinary emergency site in the third, one derived
tsunami zone in the middle square, one road across, and the outline around all three.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from sonae_maps import CityLayers
from sonae_maps.layers import HAZARD_FLAG_COLUMNS

CREDIT = "出典：テスト用データ（Sonae）"
WELFARE_NAME = "福祉センター"
ORDINARY_NAME = "中央公園"


def _shelters() -> gpd.GeoDataFrame:
    unknown_flags = dict.fromkeys(HAZARD_FLAG_COLUMNS, None)
    known_flags = {column: column in ("earthquake", "large_fire") for column in HAZARD_FLAG_COLUMNS}
    rows = [
        {
            "name": WELFARE_NAME,
            "address": "テスト市一丁目1-1",
            "kind": "designated_shelter",
            "is_welfare": True,
            "capacity": 50,
            "capacity_is_estimate": True,
            **unknown_flags,
            "geometry": Point(139.905, 35.605),
        },
        {
            "name": ORDINARY_NAME,
            "address": "テスト市三丁目3-3",
            "kind": "emergency_site",
            "is_welfare": False,
            "capacity": 1200,
            "capacity_is_estimate": False,
            **known_flags,
            "geometry": Point(139.925, 35.605),
        },
    ]
    return gpd.GeoDataFrame(rows, crs=6668)


def make_tiny_layers() -> CityLayers:
    squares = [box(139.90 + 0.01 * i, 35.60, 139.91 + 0.01 * i, 35.61) for i in range(3)]
    chome = gpd.GeoDataFrame(
        {
            "name": ["一丁目", "二丁目", "三丁目"],
            "population": [100, 200, 300],
            "households": [40, 90, 150],
        },
        geometry=squares,
        crs=6668,
    )
    hazards = gpd.GeoDataFrame(
        {
            "hazard_type": ["tsunami"],
            "scenario": ["L2 想定最大"],
            "rank": [3],
            "rank_label": ["3m以上5m未満"],
            "is_derived_scenario": [True],
        },
        geometry=[box(139.912, 35.602, 139.918, 35.608)],
        crs=6668,
    )
    roads = gpd.GeoDataFrame(
        {"highway": ["primary"]},
        geometry=[LineString([(139.90, 35.603), (139.93, 35.607)])],
        crs=6668,
    )
    outline = gpd.GeoDataFrame(geometry=[box(139.90, 35.60, 139.93, 35.61)], crs=4326)
    return CityLayers(
        municipality_code="99999",
        municipality_name="テスト市",
        outline=outline,
        chome=chome,
        shelters=_shelters(),
        hazards=hazards,
        roads=roads,
        credits=[CREDIT],
    )


@pytest.fixture
def tiny_layers() -> CityLayers:
    return make_tiny_layers()
