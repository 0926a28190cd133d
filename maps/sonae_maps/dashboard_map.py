"""The headquarters dashboard map: the city map plus every department's thematic layer.

Urayasu style (統合型GIS): one base of the city's own layers, thematic layers toggled over it.
Everything drawn here is aggregated (counts per chome or 250 m mesh, shelters), so the same
map can be exported for a briefing; person-level layers come as vector tiles in the served
page only (backend/sonae/dashboard/static/dashboard.js).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import folium
import geopandas as gpd
from folium.features import GeoJsonTooltip

from sonae_maps import styles, thematic
from sonae_maps.assets import ASSET_URL_PREFIX
from sonae_maps.city_map import build_city_map
from sonae_maps.dashboard_plugins import DistanceMeasure, OfflineSearch
from sonae_maps.elements import BoundPopup, add_page_css
from sonae_maps.layers import CityLayers
from sonae_maps.legend import Legend, LegendSection
from sonae_maps.overlays import _geojson, usable

SUPPRESSED = thematic.SUPPRESSED
NOT_AVAILABLE = thematic.NOT_AVAILABLE
DASHBOARD_CSS = f"""
.sonae-plan-destination {{ background: {styles.PLAN_DESTINATION_COLOUR}; border: 1px solid #fff;
  box-sizing: border-box; opacity: 0.9; }}
"""


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


def city_map_without_shelters(
    city: CityLayers, *, asset_prefix: str, tiles_url: str | None, tiles_attribution: str | None
) -> folium.Map:
    """The shared base: the dashboard draws shelters itself, sized by occupancy."""
    return build_city_map(
        dataclasses.replace(city, shelters=city.shelters.iloc[0:0]),
        asset_prefix=asset_prefix,
        tiles_url=tiles_url,
        tiles_attribution=tiles_attribution,
    )


def build_dashboard_map(
    city: CityLayers,
    thematic: ThematicLayers,
    *,
    asset_prefix: str = ASSET_URL_PREFIX,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
) -> folium.Map:
    """The city map (without its plain shelter layer) with the thematic layers on top."""
    dashboard = city_map_without_shelters(
        city, asset_prefix=asset_prefix, tiles_url=tiles_url, tiles_attribution=tiles_attribution
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
        add_search(dashboard, places, asset_prefix)
    dashboard.add_child(DistanceMeasure(asset_prefix))
    Legend(sections, position="bottomright").add_to(dashboard)
    add_page_css(dashboard.get_root(), DASHBOARD_CSS, "sonae_dashboard_css")
    layer_control_last(dashboard)
    return dashboard


def layer_control_last(dashboard: folium.Map) -> None:
    """The layer control's script names its layers: it must come after the ones added here."""
    for key, child in list(dashboard._children.items()):
        if isinstance(child, folium.LayerControl):
            del dashboard._children[key]
            dashboard.add_child(child, name=key)


def _add_counts(
    dashboard: folium.Map, frame: gpd.GeoDataFrame, name: str, by_chome: bool
) -> LegendSection:
    styled = thematic.counts(list(frame["count"]), name)
    label = frame["name"] if by_chome else frame["mesh_code"]
    table = gpd.GeoDataFrame(
        {"label": label.astype(str), "shown": styled.shown, "colour": styled.colours},
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
    return styled.legend


def _add_safety(dashboard: folium.Map, frame: gpd.GeoDataFrame | None) -> LegendSection:
    if frame is None or usable(frame).empty:
        return thematic.safety_legend(False)
    frame = usable(frame)
    styled = thematic.safety(list(frame["confirmed"]), list(frame["total"]))
    table = gpd.GeoDataFrame(
        {"name": frame["name"].astype(str), "shown": styled.shown, "colour": styled.colours},
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
    return styled.legend


def _add_damage(dashboard: folium.Map, frame: gpd.GeoDataFrame | None) -> LegendSection:
    """Damaged dwellings per chome, tooltip with the count per level; colour = worst level."""
    levels = styles.DAMAGE_LEVELS
    if frame is None or usable(frame).empty:
        return thematic.damage_legend(False)
    frame = usable(frame)
    records = frame.to_dict("records")
    table = gpd.GeoDataFrame(
        [thematic.damage_labels(row) for row in records], geometry=frame.geometry
    )
    table.insert(0, "name", frame["name"].astype(str))
    table["colour"] = [thematic.worst_colour(row) for row in records]
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
    return thematic.damage_legend(True)


def _add_shelters(dashboard: folium.Map, shelters: gpd.GeoDataFrame) -> LegendSection:
    """Circles sized by capacity (area ∝ people) and coloured by occupancy ÷ capacity."""
    group = folium.FeatureGroup(name=styles.LAYER_SHELTER_STATUS)
    group.add_to(dashboard)
    for shelter in shelters.to_dict("records"):
        point = shelter["geometry"].representative_point()
        spec = thematic.shelter_marker(shelter, point.y, point.x)
        marker = folium.CircleMarker(
            location=[spec["lat"], spec["lon"]],
            radius=spec["radius"],
            color=spec["color"],
            weight=spec["weight"],
            fill_color=spec["fill_color"],
            fill_opacity=0.9,
            class_name=spec["class_name"],
        )
        BoundPopup(thematic.shelter_html(spec["name"], spec["rows"]), spec["name"]).add_to(marker)
        marker.add_to(group)
    return thematic.shelter_legend()


def _add_plan_destinations(dashboard: folium.Map, shelters: gpd.GeoDataFrame) -> None:
    """Shelters named as destination by individual evacuation plans, sized by their count.

    Squares are plain Leaflet div icons: folium's RegularPolygonMarker would fetch
    leaflet-dvf from a CDN, which a closed municipal network cannot reach.
    """
    group = folium.FeatureGroup(name=styles.LAYER_PLAN_DESTINATIONS, show=False)
    group.add_to(dashboard)
    for shelter in shelters.to_dict("records"):
        point = shelter["geometry"].representative_point()
        spec = thematic.plan_marker(shelter, point.y, point.x)
        if spec is None:
            continue
        side = round(spec["radius"] * 1.4)
        folium.Marker(
            location=[spec["lat"], spec["lon"]],
            icon=folium.DivIcon(
                icon_size=(side, side),
                icon_anchor=(side // 2, side // 2),
                class_name="sonae-plan-destination",
            ),
            tooltip=spec["tooltip"],
        ).add_to(group)


def add_search(dashboard: folium.Map, places: gpd.GeoDataFrame, asset_prefix: str) -> None:
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
