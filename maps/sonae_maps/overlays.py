"""One function per map layer: turn a CityLayers frame into folium overlays.

Layers with a legend return their section, so the legend only explains what is drawn; line
layers return the folium layer, which the map keeps in front of the areas.
Frames arrive in EPSG:6668/4326 and are handed to Leaflet as WGS 84 GeoJSON.
"""

from __future__ import annotations

import json
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from folium.features import GeoJsonTooltip

from sonae_maps import styles
from sonae_maps.classify import PopulationClass, class_index, population_classes
from sonae_maps.elements import BoundPopup
from sonae_maps.legend import LegendItem, LegendSection, Shape
from sonae_maps.popups import display_text, is_welfare, shelter_popup_html

COORDINATE_DECIMALS = 6
"""About 0.1 m: finer digits only make the page heavier."""


def usable(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rows with a drawable geometry, in WGS 84 (frames without a CRS are taken as such)."""
    if frame.empty:  # possibly a bare GeoDataFrame() without even a geometry column
        return frame
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    frame = frame.set_crs(4326) if frame.crs is None else frame.to_crs(4326)
    return frame.reset_index(drop=True)


def add_outline(city_map: folium.Map, outline: gpd.GeoDataFrame) -> folium.GeoJson:
    layer = folium.GeoJson(
        _geojson(outline[["geometry"]]),
        name=styles.LAYER_OUTLINE,
        style_function=lambda _feature: {**styles.OUTLINE_STYLE, "className": "sonae-outline"},
        interactive=False,
    )
    layer.add_to(city_map)
    return layer


def add_chome(city_map: folium.Map, chome: gpd.GeoDataFrame) -> LegendSection:
    """Population choropleth; chome given as points become sized and coloured circles."""
    populations = _numbers(chome["population"])
    classes = population_classes(populations)
    indices = [class_index(v, classes) for v in populations]
    households = chome["households"] if "households" in chome else [None] * len(chome)
    table = gpd.GeoDataFrame(
        {
            "name": chome["name"].fillna("").astype(str),
            "population": [_count_label(v) for v in chome["population"]],
            "households": [_count_label(v) for v in households],
            # object dtype: a None among ints would otherwise turn every index into a float.
            "population_class": pd.Series(indices, dtype="object"),
        },
        geometry=chome.geometry,
    )
    if "key" in chome:  # census KEY_CODE: the live dashboard joins its counts on it
        table["key"] = chome["key"].astype(str)
    has_points = bool(chome.geom_type.isin(["Point", "MultiPoint"]).any())
    folium.GeoJson(
        _geojson(table),
        name=styles.LAYER_CHOME,
        style_function=lambda feature: _chome_style(feature, classes),
        highlight_function=lambda _feature: {"weight": 3, "color": "#222222"},
        marker=folium.CircleMarker(radius=5) if has_points else None,
        tooltip=GeoJsonTooltip(
            fields=["name", "population", "households"], aliases=["町丁目", "人口", "世帯"]
        ),
    ).add_to(city_map)
    return _chome_legend(classes, None in indices, "circle" if has_points else "box")


def _chome_legend(classes: list[PopulationClass], has_unknown: bool, shape: Shape) -> LegendSection:
    border = styles.CHOME_LINE_COLOUR
    items = [LegendItem(c.label, c.colour, border, shape) for c in classes]
    if has_unknown:
        items.append(LegendItem("データなし", styles.NO_DATA_COLOUR, border, shape))
    return LegendSection(styles.LAYER_CHOME, tuple(items))


def add_hazards(city_map: folium.Map, hazards: gpd.GeoDataFrame) -> list[LegendSection]:
    """One overlay per hazard type (and per official/derived), coloured by rank."""
    sections, line_colour = [], styles.HAZARD_LINE_COLOUR
    derived = hazards["is_derived_scenario"].fillna(False).astype(bool)
    for (hazard_type, is_derived), group in hazards.groupby([hazards["hazard_type"], derived]):
        name = styles.hazard_layer_name(str(hazard_type), bool(is_derived))
        _add_hazard_layer(city_map, group, name, bool(is_derived))
        ranks = group.drop_duplicates("rank").sort_values("rank")
        items = tuple(
            LegendItem(str(row.rank_label), styles.hazard_colour(int(row.rank)), line_colour)
            for row in ranks.itertuples()
        )
        sections.append(LegendSection(name, items))
    return sections


def _add_hazard_layer(
    city_map: folium.Map, group: gpd.GeoDataFrame, name: str, is_derived: bool
) -> None:
    table = gpd.GeoDataFrame(
        {
            "type_label": [styles.HAZARD_TYPE_LABELS.get(t, t) for t in group["hazard_type"]],
            "scenario": group["scenario"].fillna("").astype(str),
            "rank": group["rank"].astype(int),
            "rank_label": group["rank_label"].fillna("").astype(str),
        },
        geometry=group.geometry,
    )
    fields, aliases = ["type_label", "scenario", "rank_label"], ["種別", "想定", "ランク"]
    if is_derived:
        table["note"] = styles.DERIVED_SCENARIO_LABEL
        fields, aliases = [*fields, "note"], [*aliases, "注記"]
    folium.GeoJson(
        _geojson(table),
        name=name,
        style_function=lambda feature: _hazard_style(feature, is_derived),
        tooltip=GeoJsonTooltip(fields=fields, aliases=aliases),
    ).add_to(city_map)


def add_roads(city_map: folium.Map, roads: gpd.GeoDataFrame) -> folium.GeoJson | None:
    """All roads as one MultiLineString: one SVG path instead of thousands of layers."""
    parts = shapely.get_parts(roads.geometry.values)
    lines = [part for part in parts if part.geom_type == "LineString"]
    if not lines:
        return None
    network = gpd.GeoDataFrame(geometry=[shapely.multilinestrings(lines)], crs=4326)
    layer = folium.GeoJson(
        _geojson(network),
        name=styles.LAYER_ROADS,
        style_function=lambda _feature: {**styles.ROAD_STYLE, "className": "sonae-roads"},
        # Not interactive: roads never catch the mouse meant for chome or shelters below.
        interactive=False,
    )
    layer.add_to(city_map)
    return layer


def add_shelters(
    city_map: folium.Map, shelters: gpd.GeoDataFrame
) -> tuple[folium.FeatureGroup, LegendSection]:
    """Shelters as circle markers with popups; welfare shelters stand out."""
    group = folium.FeatureGroup(name=styles.LAYER_SHELTERS)
    group.add_to(city_map)
    for shelter in shelters.to_dict("records"):
        point = shelter["geometry"].representative_point()
        marker = folium.CircleMarker(
            location=[point.y, point.x], **_shelter_style(shelter), class_name=_css(shelter)
        )
        BoundPopup(shelter_popup_html(shelter), display_text(shelter.get("name"))).add_to(marker)
        marker.add_to(group)
    return group, LegendSection("避難所", _shelter_legend(shelters))


def _shelter_style(shelter: dict[str, Any]) -> styles.Style:
    if is_welfare(shelter):
        return styles.WELFARE_STYLE
    return styles.SHELTER_STYLES.get(
        str(shelter.get("kind")), styles.SHELTER_STYLES["emergency_site"]
    )


def _css(shelter: dict[str, Any]) -> str:
    """CSS classes of a marker's SVG path, so pages and tests can address shelter kinds.

    Every layer's paths carry a class (sonae-chome, sonae-hazard, sonae-roads, ...) likewise.
    """
    classes = ["sonae-shelter", f"sonae-shelter-{shelter.get('kind')}"]
    return " ".join([*classes, "sonae-shelter-welfare"] if is_welfare(shelter) else classes)


def _shelter_legend(shelters: gpd.GeoDataFrame) -> tuple[LegendItem, ...]:
    """Only the symbols on the map: welfare shelters do not show their kind's symbol."""
    welfare = [is_welfare(row) for row in shelters.to_dict("records")]
    drawn_kinds = set(shelters.loc[[not w for w in welfare], "kind"].astype(str))
    items = [
        _circle_item(styles.SHELTER_KIND_LABELS[kind], style)
        for kind, style in styles.SHELTER_STYLES.items()
        if kind in drawn_kinds
    ]
    if any(welfare):
        items.append(_circle_item(styles.WELFARE_LABEL, styles.WELFARE_STYLE))
    return tuple(items)


def _circle_item(label: str, style: styles.Style) -> LegendItem:
    # Legend rings are drawn dark even for white-ringed markers, or they vanish on white.
    border = "#555555" if style["color"] == "#ffffff" else style["color"]
    return LegendItem(label, style["fillColor"], border, "circle", style["weight"])


def _chome_style(feature: dict[str, Any], classes: list[PopulationClass]) -> styles.Style:
    index = feature["properties"]["population_class"]
    colour = styles.NO_DATA_COLOUR if index is None else classes[index].colour
    radius = styles.CHOME_POINT_RADII[min(index or 0, len(styles.CHOME_POINT_RADII) - 1)]
    return {
        "color": styles.CHOME_LINE_COLOUR,
        "weight": 0.8,
        "fillColor": colour,
        "fillOpacity": styles.CHOME_FILL_OPACITY,
        "className": "sonae-chome",
        "radius": radius,
    }


def _hazard_style(feature: dict[str, Any], is_derived: bool) -> styles.Style:
    style: styles.Style = {
        "color": styles.HAZARD_LINE_COLOUR,
        "weight": 0.5,
        "fillColor": styles.hazard_colour(int(feature["properties"]["rank"])),
        "fillOpacity": styles.HAZARD_FILL_OPACITY,
        "className": "sonae-hazard",
    }
    # Sonae's own scenarios get a dashed edge, so they never pass for official maps.
    return {**style, "weight": 1.2, "dashArray": "4 3"} if is_derived else style


def _geojson(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """GeoJSON dict with plain JSON values (NaN becomes null, numpy types become numbers)."""
    frame = frame.reset_index(drop=True)
    frame.geometry = shapely.set_precision(
        frame.geometry.values, 10**-COORDINATE_DECIMALS, mode="pointwise"
    )
    result: dict[str, Any] = json.loads(frame.to_json(drop_id=False))
    return result


def _numbers(values: Any) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in values]


def _count_label(value: Any) -> str:
    return "不明" if value is None or pd.isna(value) else f"{int(value):,}"
