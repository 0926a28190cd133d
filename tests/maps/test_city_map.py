"""The built city map page, checked as HTML text (the browser test checks it rendered)."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Point

from sonae_maps import (
    ASSET_URL_PREFIX,
    CityLayers,
    assets_installed,
    build_city_map,
    inline_assets,
)
from sonae_maps.classify import population_classes
from sonae_maps.layers import HAZARD_FLAG_LABELS
from sonae_maps.styles import (
    DERIVED_SCENARIO_LABEL,
    MAP_ELEMENT_ID,
    SHELTER_STYLES,
    WELFARE_STYLE,
    population_colours,
)

JS_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
BOX_HTML = re.compile(r'box\.innerHTML = ("(?:[^"\\]|\\.)*");')
CIRCLE_MARKER = re.compile(r"L\.circleMarker\(\s*\[[^\]]*\],\s*(\{.*?\})\s*\)", re.DOTALL)


def render(layers: CityLayers, **kwargs: Any) -> str:
    page: str = build_city_map(layers, **kwargs).get_root().render()
    return page


def readable(page: str) -> str:
    """The page plus every JS string literal decoded: Japanese text is \\u-escaped in scripts."""
    decoded = []
    for literal in JS_STRING.findall(page):
        try:
            decoded.append(json.loads(literal))
        except json.JSONDecodeError:
            continue  # an HTML attribute or CSS string, already readable
    return page + "\n" + "\n".join(str(text) for text in decoded)


def marker_options(page: str) -> list[dict[str, Any]]:
    return [json.loads(options) for options in CIRCLE_MARKER.findall(page)]


def empty_like(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.iloc[0:0]


def test_page_loads_only_our_leaflet(tiny_layers: CityLayers) -> None:
    page = render(tiny_layers)
    sources = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=\"([^\"]*)\"", page)
    assert sorted(sources) == [
        f"{ASSET_URL_PREFIX}/leaflet/leaflet.css",
        f"{ASSET_URL_PREFIX}/leaflet/leaflet.js",
    ]
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)
    # folium's Popup and keep-in-front code call jQuery, which the page does not load.
    assert "$(" not in page and "jQuery" not in page


def test_asset_prefix_is_configurable(tiny_layers: CityLayers) -> None:
    page = render(tiny_layers, asset_prefix="/assets/v2/")
    assert '<script src="/assets/v2/leaflet/leaflet.js"></script>' in page
    assert '<link rel="stylesheet" href="/assets/v2/leaflet/leaflet.css"/>' in page


def test_folium_defaults_are_left_alone(tiny_layers: CityLayers) -> None:
    render(tiny_layers)
    # Other folium maps in the same process (notebooks) must keep working as before.
    assert any("jquery" in url for _, url in folium.Map.default_js)


def test_layers_title_and_stable_id(tiny_layers: CityLayers) -> None:
    text = readable(render(tiny_layers))
    for name in [
        "市域",
        "町丁目 人口",
        "避難所",
        "道路",
        f"ハザード：津波（{DERIVED_SCENARIO_LABEL}）",
    ]:
        assert name in text
    assert "<title>テスト市 防災マップ（Sonae）</title>" in text
    assert f'id="{MAP_ELEMENT_ID}"' in text


def test_three_chome_get_three_population_classes(tiny_layers: CityLayers) -> None:
    classes = population_classes([100, 200, 300])
    assert [(c.low, c.high) for c in classes] == [(100, 167), (168, 233), (234, 300)]
    text = readable(render(tiny_layers))
    for colour in population_colours(3):
        assert f'"fillColor": "{colour}"' in text
    for label in ["一丁目", "人口", "世帯", "100〜167人", "234〜300人"]:
        assert label in text


def test_welfare_shelter_is_styled_apart(tiny_layers: CityLayers) -> None:
    welfare, ordinary = marker_options(render(tiny_layers))
    assert "sonae-shelter-welfare" in welfare["className"]
    assert "sonae-shelter-welfare" not in ordinary["className"]
    assert welfare["fillColor"] == WELFARE_STYLE["fillColor"]
    assert ordinary["fillColor"] == SHELTER_STYLES["emergency_site"]["fillColor"]
    assert welfare["fillColor"] != ordinary["fillColor"]
    assert welfare["color"] != ordinary["color"]
    assert welfare["weight"] > ordinary["weight"]


def test_shelter_popups_list_kind_capacity_and_flags(tiny_layers: CityLayers) -> None:
    text = readable(render(tiny_layers))
    for label in HAZARD_FLAG_LABELS.values():
        assert f"<th>{label}</th>" in text
    assert "<td>指定避難所</td>" in text and "<td>指定緊急避難場所</td>" in text
    assert "福祉避難所</div>" in text
    assert "<td>50人(推定)</td>" in text and "<td>1,200人</td>" in text
    # The emergency site is fit for earthquakes, not for floods; the welfare shelter unknown.
    assert "<th>地震</th><td>○</td>" in text and "<th>洪水</th><td>―</td>" in text
    assert "<th>洪水</th><td>不明</td>" in text


def test_derived_hazard_is_called_a_scenario(tiny_layers: CityLayers) -> None:
    text = readable(render(tiny_layers))
    assert "津波" in text and "3m以上5m未満" in text and "L2 想定最大" in text
    assert text.count(DERIVED_SCENARIO_LABEL) >= 2  # layer name and tooltip note


def test_credits_go_to_the_attribution_control(tiny_layers: CityLayers) -> None:
    page = render(tiny_layers)
    assert "attributionControl.addAttribution" in page
    assert tiny_layers.credits[0] in readable(page)


def test_empty_frames_make_no_layer(tiny_layers: CityLayers) -> None:
    bare = dataclasses.replace(
        tiny_layers,
        hazards=gpd.GeoDataFrame(),
        roads=empty_like(tiny_layers.roads),
        shelters=empty_like(tiny_layers.shelters),
    )
    text = readable(render(bare))
    assert "町丁目 人口" in text
    assert "ハザード" not in text and "道路" not in text and "避難所" not in text


def test_point_chome_become_circles_and_missing_population_is_shown(
    tiny_layers: CityLayers,
) -> None:
    chome = gpd.GeoDataFrame(
        {"name": ["甲", "乙"], "population": [120, None], "households": [50, None]},
        geometry=[Point(139.905, 35.605), Point(139.915, 35.605)],
        crs=6668,
    )
    text = readable(render(dataclasses.replace(tiny_layers, chome=chome)))
    assert "pointToLayer" in text
    assert "データなし" in text and "不明" in text


def test_tiles_need_an_attribution(tiny_layers: CityLayers) -> None:
    tiles = "/tiles/{z}/{x}/{y}.png"
    with pytest.raises(ValueError, match="tiles_attribution"):
        build_city_map(tiny_layers, tiles_url=tiles)
    text = readable(render(tiny_layers, tiles_url=tiles, tiles_attribution="地理院タイル"))
    assert tiles in text and "地理院タイル" in text


@pytest.mark.skipif(not assets_installed(), reason="run: npm install --prefix maps/assets")
def test_inline_assets_makes_a_self_contained_page(tiny_layers: CityLayers) -> None:
    page = inline_assets(render(tiny_layers))
    assert not re.search(r"<(?:script|link)\b[^>]*\b(?:src|href)=", page)
    assert "L.version" in page or "leafletjs" in page.lower()
    assert "url(images/" not in page  # layer-control icons inlined as data: URLs


def test_legend_shows_only_drawn_shelter_symbols(tiny_layers: CityLayers) -> None:
    boxes = [json.loads(html) for html in BOX_HTML.findall(render(tiny_layers))]
    legend = next(html for html in boxes if "福祉避難所" in html)
    # The only designated shelter is a welfare one: no plain 指定避難所 symbol to explain.
    assert "指定緊急避難場所</div>" in legend and "指定避難所</div>" not in legend
