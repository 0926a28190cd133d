"""The headquarters dashboard map: the city map plus every department's thematic layer.

Urayasu style (統合型GIS): one base of the city's own layers, thematic layers toggled over it.
Everything drawn here is aggregated (counts per chome or 250 m mesh, shelters), so the same
map can be exported for a briefing; person-level layers come as vector tiles in the served
page only (backend/sonae/dashboard/static/dashboard.js).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.features import GeoJsonTooltip

from sonae_maps import styles
from sonae_maps.assets import ASSET_URL_PREFIX
from sonae_maps.city_map import build_city_map
from sonae_maps.dashboard_plugins import DistanceMeasure, OfflineSearch
from sonae_maps.elements import BoundPopup
from sonae_maps.layers import CityLayers
from sonae_maps.legend import Legend, LegendItem, LegendSection
from sonae_maps.overlays import _geojson, usable
from sonae_maps.popups import display_text

SUPPRESSED = "3未満"
NOT_AVAILABLE = "未集計"


@dataclass(frozen=True)
class ThematicLayers:
    """The dashboard's aggregated layers. Columns (extra ones are ignored):

    - support_chome: name, count (int, or None when suppressed), geometry (chome polygon/point)
    - support_mesh: mesh_code, count (int or None), geometry (the mesh square)
    - safety_chome: name, confirmed, total (None when suppressed), geometry; None = no provider
    - shelters: name, kind, is_welfare, capacity, occupancy (None until shelter operations
      report it), is_open (None likewise), plans (count of plans naming it, None suppressed),
      geometry
    - damage_chome: name, total, one column per styles.DAMAGE_LEVELS (None suppressed),
      geometry; None = no damage provider
    - places: label, geometry (points): what the search box finds (chome, towns)
    """

    support_chome: gpd.GeoDataFrame
    support_mesh: gpd.GeoDataFrame
    shelters: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    safety_chome: gpd.GeoDataFrame | None = None
    damage_chome: gpd.GeoDataFrame | None = None
    notes: list[str] = field(default_factory=list)


def build_dashboard_map(
    city: CityLayers,
    thematic: ThematicLayers,
    *,
    asset_prefix: str = ASSET_URL_PREFIX,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
) -> folium.Map:
    """The city map (without its plain shelter layer) with the thematic layers on top."""
    base = dataclasses.replace(city, shelters=city.shelters.iloc[0:0])
    dashboard = build_city_map(
        base, asset_prefix=asset_prefix, tiles_url=tiles_url, tiles_attribution=tiles_attribution
    )
    sections: list[LegendSection] = []
    support_chome, support_mesh = usable(thematic.support_chome), usable(thematic.support_mesh)
    if not support_chome.empty:
        sections.append(_add_counts(dashboard, support_chome, styles.LAYER_SUPPORT_CHOME, True))
    if not support_mesh.empty:
        sections.append(_add_counts(dashboard, support_mesh, styles.LAYER_SUPPORT_MESH, False))
    sections.append(_add_safety(dashboard, thematic.safety_chome))
    sections.append(_add_damage(dashboard, thematic.damage_chome))
    shelters = usable(thematic.shelters)
    if not shelters.empty:
        sections.append(_add_shelters(dashboard, shelters))
        _add_plan_destinations(dashboard, shelters)
    places = usable(thematic.places)
    if not places.empty:
        _add_search(dashboard, places, asset_prefix)
    dashboard.add_child(DistanceMeasure(asset_prefix))
    Legend(sections, position="bottomright").add_to(dashboard)
    _layer_control_last(dashboard)
    return dashboard


def _layer_control_last(dashboard: folium.Map) -> None:
    """The layer control's script names its layers: it must come after the ones added here."""
    for key, child in list(dashboard._children.items()):
        if isinstance(child, folium.LayerControl):
            del dashboard._children[key]
            dashboard.add_child(child, name=key)


def _classes(values: list[float], ramp: tuple[str, ...]) -> list[tuple[float, float, str]]:
    """Up to len(ramp) quantile classes (low, high, colour) of the positive values."""
    known = np.array([v for v in values if v > 0], dtype=float)
    if known.size == 0:
        return []
    count = min(len(ramp), len(np.unique(known)))
    edges = sorted({round(float(q)) for q in np.quantile(known, np.linspace(0, 1, count + 1))})
    if len(edges) == 1:
        edges = edges * 2
    step = (len(ramp) - 1) / max(len(edges) - 2, 1)
    return [
        (edges[i] if i == 0 else edges[i] + 1, edges[i + 1], ramp[round(i * step)])
        for i in range(len(edges) - 1)
    ]


def _colour(value: float | None, classes: list[tuple[float, float, str]]) -> str:
    if value is None:
        return styles.SUPPRESSED_COLOUR
    if value <= 0 or not classes:
        return "#ffffff"
    return next((c for _, high, c in classes if value <= high), classes[-1][2])


def _add_counts(
    dashboard: folium.Map, frame: gpd.GeoDataFrame, name: str, by_chome: bool
) -> LegendSection:
    counts = [None if pd.isna(v) else float(v) for v in frame["count"]]
    classes = _classes([v for v in counts if v is not None], styles.COUNT_RAMP)
    label = frame["name"] if by_chome else frame["mesh_code"]
    table = gpd.GeoDataFrame(
        {
            "label": label.astype(str),
            "shown": [SUPPRESSED if v is None else f"{int(v):,}人" for v in counts],
            "colour": [_colour(v, classes) for v in counts],
        },
        geometry=frame.geometry,
    )
    is_points = bool(frame.geom_type.isin(["Point"]).any())
    css = "sonae-support-chome" if by_chome else "sonae-support-mesh"
    folium.GeoJson(
        _geojson(table),
        name=name,
        show=by_chome,
        marker=folium.CircleMarker(radius=6) if is_points else None,
        style_function=lambda f: {
            "color": "#54278f",
            "weight": 0.6,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.7,
            "className": css,
        },
        tooltip=GeoJsonTooltip(
            fields=["label", "shown"], aliases=["町丁目" if by_chome else "メッシュ", "要支援者"]
        ),
    ).add_to(dashboard)
    items = [LegendItem(f"{int(lo):,}〜{int(hi):,}人", c) for lo, hi, c in classes]
    if any(v is None for v in counts):
        items.append(LegendItem(f"{SUPPRESSED}（秘匿）", styles.SUPPRESSED_COLOUR))
    return LegendSection(name, tuple(items))


def _add_safety(dashboard: folium.Map, frame: gpd.GeoDataFrame | None) -> LegendSection:
    if frame is None or usable(frame).empty:
        return LegendSection(
            f"{styles.LAYER_SAFETY}：{NOT_AVAILABLE}", (LegendItem("―", "#ffffff"),)
        )
    frame = usable(frame)
    shares: list[float | None] = []
    shown: list[str] = []
    for confirmed, total in zip(frame["confirmed"], frame["total"], strict=True):
        if total is None or pd.isna(total) or total == 0:
            shares.append(None)
            shown.append(SUPPRESSED if total is None or pd.isna(total) else "対象なし")
            continue
        shares.append(float(confirmed) / float(total))
        shown.append(f"{int(confirmed):,} / {int(total):,}人")
    ramp = styles.SAFETY_RAMP
    table = gpd.GeoDataFrame(
        {
            "name": frame["name"].astype(str),
            "shown": shown,
            "colour": [
                styles.SUPPRESSED_COLOUR if s is None else ramp[min(int(s * 5), 4)] for s in shares
            ],
        },
        geometry=frame.geometry,
    )
    folium.GeoJson(
        _geojson(table),
        name=styles.LAYER_SAFETY,
        show=False,
        style_function=lambda f: {
            "color": "#555555",
            "weight": 0.6,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.7,
            "className": "sonae-safety",
        },
        tooltip=GeoJsonTooltip(fields=["name", "shown"], aliases=["町丁目", "確認済"]),
    ).add_to(dashboard)
    labels = ("0〜20%", "20〜40%", "40〜60%", "60〜80%", "80〜100%")
    return LegendSection(
        styles.LAYER_SAFETY, tuple(LegendItem(t, c) for t, c in zip(labels, ramp, strict=True))
    )


def _add_damage(dashboard: folium.Map, frame: gpd.GeoDataFrame | None) -> LegendSection:
    """Damaged dwellings per chome, tooltip with the count per level; colour = worst level."""
    levels = styles.DAMAGE_LEVELS
    legend = tuple(
        LegendItem(styles.DAMAGE_LEVEL_LABELS[level], styles.DAMAGE_LEVEL_COLOURS[level])
        for level in levels
    )
    if frame is None or usable(frame).empty:
        return LegendSection(f"{styles.LAYER_DAMAGE_CHOME}：{NOT_AVAILABLE}", legend)
    frame = usable(frame)
    table = gpd.GeoDataFrame({"name": frame["name"].astype(str)}, geometry=frame.geometry)
    for level in levels:
        table[level] = [
            SUPPRESSED if v is None or pd.isna(v) else f"{int(v):,}" for v in frame[level]
        ]
    table["colour"] = [_worst_colour(row) for row in frame.to_dict("records")]
    folium.GeoJson(
        _geojson(table),
        name=styles.LAYER_DAMAGE_CHOME,
        show=False,
        style_function=lambda f: {
            "color": "#555555",
            "weight": 0.6,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.7,
            "className": "sonae-damage-chome",
        },
        tooltip=GeoJsonTooltip(
            fields=["name", *levels],
            aliases=["町丁目", *(styles.DAMAGE_LEVEL_LABELS[level] for level in levels)],
        ),
    ).add_to(dashboard)
    return LegendSection(f"{styles.LAYER_DAMAGE_CHOME}（最も重い被害）", legend)


def _worst_colour(row: dict[str, Any]) -> str:
    for level in styles.DAMAGE_LEVELS:
        value = row.get(level)
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return styles.SUPPRESSED_COLOUR  # a suppressed worse level may hide behind it
        if value > 0:
            return styles.DAMAGE_LEVEL_COLOURS[level]
    return "#ffffff"


def _add_shelters(dashboard: folium.Map, shelters: gpd.GeoDataFrame) -> LegendSection:
    """Circles sized by capacity (area ∝ people) and coloured by occupancy ÷ capacity."""
    group = folium.FeatureGroup(name=styles.LAYER_SHELTER_STATUS)
    group.add_to(dashboard)
    for shelter in shelters.to_dict("records"):
        capacity = _int_or_none(shelter.get("capacity"))
        occupancy = _int_or_none(shelter.get("occupancy"))
        ratio = occupancy / capacity if occupancy is not None and capacity else None
        welfare = bool(shelter.get("is_welfare"))
        point = shelter["geometry"].representative_point()
        marker = folium.CircleMarker(
            location=[point.y, point.x],
            radius=4 + min(14.0, (capacity or 0) ** 0.5 / 3),
            color=styles.WELFARE_STYLE["color"] if welfare else "#ffffff",
            weight=3 if welfare else 1.5,
            fill_color=styles.occupancy_colour(ratio),
            fill_opacity=0.9,
            class_name="sonae-shelter-status" + (" sonae-shelter-welfare" if welfare else ""),
        )
        BoundPopup(
            _shelter_html(shelter, capacity, occupancy), display_text(shelter["name"])
        ).add_to(marker)
        marker.add_to(group)
    items = [
        LegendItem(label, colour, shape="circle") for _, colour, label in styles.OCCUPANCY_RAMP
    ]
    items.append(
        LegendItem("収容人数のみ（運営情報なし）", styles.CAPACITY_ONLY_COLOUR, shape="circle")
    )
    items.append(
        LegendItem(styles.WELFARE_LABEL, "#ffffff", styles.WELFARE_STYLE["color"], "circle", 3)
    )
    return LegendSection(f"{styles.LAYER_SHELTER_STATUS}（円の大きさ＝収容人数）", tuple(items))


def _shelter_html(shelter: dict[str, Any], capacity: int | None, occupancy: int | None) -> str:
    from html import escape

    kind = styles.SHELTER_KIND_LABELS.get(str(shelter.get("kind")), "")
    is_open = shelter.get("is_open")
    status = "―" if is_open is None or pd.isna(is_open) else ("開設" if is_open else "未開設")
    rows = [
        ("種別", styles.WELFARE_LABEL if shelter.get("is_welfare") else kind),
        ("収容人数", "不明" if capacity is None else f"{capacity:,}人"),
        ("開設状況", status),
        ("避難者数", NOT_AVAILABLE if occupancy is None else f"{occupancy:,}人"),
        ("計画上の避難先", _plans_label(shelter.get("plans"))),
    ]
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    name = escape(display_text(shelter.get("name")))
    return f'<div class="sonae-popup"><h4>{name}</h4><table>{body}</table></div>'


def _plans_label(plans: Any) -> str:
    if plans is None or (isinstance(plans, float) and np.isnan(plans)):
        return SUPPRESSED
    return f"{int(plans):,}人"


def _add_plan_destinations(dashboard: folium.Map, shelters: gpd.GeoDataFrame) -> None:
    """Shelters named as destination by individual evacuation plans, sized by their count."""
    group = folium.FeatureGroup(name=styles.LAYER_PLAN_DESTINATIONS, show=False)
    group.add_to(dashboard)
    for shelter in shelters.to_dict("records"):
        plans = shelter.get("plans")
        if plans is not None and not pd.isna(plans) and int(plans) == 0:
            continue
        point = shelter["geometry"].representative_point()
        folium.RegularPolygonMarker(
            location=[point.y, point.x],
            number_of_sides=4,
            radius=6 + min(12.0, (0 if plans is None or pd.isna(plans) else int(plans)) ** 0.5),
            color="#ffffff",
            weight=1,
            fill_color=styles.PLAN_DESTINATION_COLOUR,
            fill_opacity=0.9,
            tooltip=f"{display_text(shelter['name'])}：計画 {_plans_label(plans)}",
        ).add_to(group)


def _add_search(dashboard: folium.Map, places: gpd.GeoDataFrame, asset_prefix: str) -> None:
    table = gpd.GeoDataFrame({"label": places["label"].astype(str)}, geometry=places.geometry)
    layer = folium.GeoJson(
        _geojson(table),
        name=styles.LAYER_SEARCH,
        show=False,
        control=False,
        marker=folium.CircleMarker(radius=0, opacity=0, fill_opacity=0),
    )
    layer.add_to(dashboard)
    OfflineSearch(layer, asset_prefix).add_to(dashboard)


def _int_or_none(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
