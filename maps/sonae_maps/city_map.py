"""The city map: CityLayers in, a self-sufficient folium Map out.

The page loads Leaflet from our own server and nothing else; without `tiles_url` the city's
own layers (outline, chome, roads) are the base map, so it also works with no tile server.
"""

from __future__ import annotations

from html import escape

import folium
import geopandas as gpd
from branca.element import Element, Figure

from sonae_maps import styles
from sonae_maps.assets import ASSET_URL_PREFIX, OfflineMap
from sonae_maps.elements import Attribution, KeepInFront, MetricScale, add_page_css
from sonae_maps.layers import CityLayers
from sonae_maps.legend import LEGEND_CSS, Legend, LegendSection, MapTitle
from sonae_maps.overlays import (
    add_chome,
    add_hazards,
    add_outline,
    add_roads,
    add_shelters,
    usable,
)

MAP_SUBTITLE = "防災マップ（Sonae）"
JAPAN_CENTRE = (36.0, 138.0)
"""Only used when every frame is empty, so the page still opens somewhere sensible."""

PAGE_CSS = f"""
#{styles.MAP_ELEMENT_ID}.leaflet-container {{ background: {styles.BACKGROUND_COLOUR}; }}
#{styles.MAP_ELEMENT_ID} .leaflet-control-layers {{ font-size: 13px; }}
.sonae-popup h4 {{ margin: 0 0 4px; font-size: 14px; }}
.sonae-popup table {{ border-collapse: collapse; font-size: 12px; }}
.sonae-popup th {{ text-align: left; font-weight: normal; color: #555; padding: 1px 8px 1px 0; }}
.sonae-popup-subhead {{ margin-top: 6px; font-size: 12px; font-weight: bold; }}
.sonae-welfare {{ display: inline-block; margin-bottom: 4px; padding: 1px 6px; color: #fff;
  background: {styles.WELFARE_STYLE["fillColor"]}; border-radius: 3px; font-size: 12px; }}
"""


def build_city_map(
    layers: CityLayers,
    *,
    asset_prefix: str = ASSET_URL_PREFIX,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
) -> folium.Map:
    """Map of one city: outline, chome population, hazards, roads and shelters.

    Serve `result.get_root().render()`; it references only
    `{asset_prefix}/leaflet/leaflet.js` and `.css`. Tiles, when given, must come with their
    attribution (tile providers such as GSI require it).
    """
    outline, chome, shelters = usable(layers.outline), usable(layers.chome), usable(layers.shelters)
    hazards, roads = usable(layers.hazards), usable(layers.roads)
    city_map = _new_map(layers, asset_prefix, tiles_url, tiles_attribution)

    # Order of addition is drawing order: areas at the bottom, lines, then shelters on top.
    sections: list[LegendSection] = []
    front_layers: list[Element] = []
    if not chome.empty:
        sections.append(add_chome(city_map, chome))
    if not hazards.empty:
        sections.extend(add_hazards(city_map, hazards))
    if not roads.empty and (road_layer := add_roads(city_map, roads)) is not None:
        front_layers.append(road_layer)
    if not outline.empty:
        front_layers.append(add_outline(city_map, outline))
    if not shelters.empty:
        shelter_group, shelter_section = add_shelters(city_map, shelters)
        sections.insert(0, shelter_section)
        front_layers.append(shelter_group)
    # An overlay switched back on is drawn on top; restore the order above.
    city_map.add_child(KeepInFront(front_layers))

    folium.LayerControl(collapsed=False).add_to(city_map)
    Legend(sections).add_to(city_map)
    Attribution(layers.credits).add_to(city_map)
    # The city and its shelters (a few lie just outside the boundary); roads and hazard data
    # may reach far beyond. Padding keeps edge markers clear of the attribution bar.
    area = [outline, shelters] if not outline.empty else [chome, shelters, hazards, roads]
    city_map.fit_bounds(_bounds(area), padding_top_left=(24, 24), padding_bottom_right=(24, 40))
    return city_map


def _new_map(
    layers: CityLayers, asset_prefix: str, tiles_url: str | None, tiles_attribution: str | None
) -> OfflineMap:
    city_map = OfflineMap(
        asset_prefix=asset_prefix,
        location=JAPAN_CENTRE,
        zoom_start=12,
        tiles=None,
        zoom_control="bottomright",
    )
    # Without a tile layer nothing caps the zoom; Leaflet would zoom in forever. Quarter zoom
    # steps let fitBounds fill the window instead of leaving the city at half size.
    city_map.options.update(minZoom=8, maxZoom=19, zoomSnap=0.25, zoomDelta=0.5)
    if tiles_url is not None:
        if not tiles_attribution:
            raise ValueError("tiles_url needs tiles_attribution (e.g. 地理院タイル)")
        folium.TileLayer(
            tiles=tiles_url, attr=tiles_attribution, max_zoom=19, control=False
        ).add_to(city_map)
    figure = city_map.get_root()
    assert isinstance(figure, Figure)  # folium.Map always creates its Figure
    figure.title = escape(f"{layers.municipality_name} {MAP_SUBTITLE}")
    add_page_css(figure, PAGE_CSS + LEGEND_CSS, "sonae_page_css")
    city_map.add_child(MetricScale())
    MapTitle(layers.municipality_name, MAP_SUBTITLE).add_to(city_map)
    return city_map


def _bounds(frames: list[gpd.GeoDataFrame]) -> list[list[float]]:
    """[[south, west], [north, east]] around all non-empty frames."""
    boxes = [frame.total_bounds for frame in frames if not frame.empty]
    if not boxes:
        lat, lon = JAPAN_CENTRE
        return [[lat - 1, lon - 1], [lat + 1, lon + 1]]
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return [[float(south), float(west)], [float(north), float(east)]]
