"""The live dashboard's base map: what changes only on import, drawn once per data version.

The city's own layers (outline, chome, roads, hazards) and the search places are written into
the page by folium; the thematic layers are empty groups, listed in the layer control with
their names and default visibility, that the page's script fills with rows fetched as JSON
(and refills on every refresh, without reloading the page). `window.sonaeLive` tells the
script which Leaflet objects those are.
"""

from __future__ import annotations

import folium
import geopandas as gpd
from folium.template import Template

from sonae_maps import styles, thematic
from sonae_maps.assets import ASSET_URL_PREFIX
from sonae_maps.dashboard_map import (
    DASHBOARD_CSS,
    add_search,
    city_map_without_shelters,
    layer_control_last,
)
from sonae_maps.dashboard_plugins import DistanceMeasure
from sonae_maps.elements import LeafletElement, add_page_css
from sonae_maps.layers import CityLayers
from sonae_maps.legend import Legend, LegendSection
from sonae_maps.overlays import usable

LIVE_GROUPS: tuple[tuple[str, str, bool], ...] = (
    ("support_chome", styles.LAYER_SUPPORT_CHOME, True),
    ("support_mesh", styles.LAYER_SUPPORT_MESH, False),
    ("safety_chome", styles.LAYER_SAFETY, False),
    ("damage_chome", styles.LAYER_DAMAGE_CHOME, False),
    ("shelters", styles.LAYER_SHELTER_STATUS, True),
    ("plans", styles.LAYER_PLAN_DESTINATIONS, False),
)
"""(key in the live JSON, overlay name, shown at first), in drawing order."""
LIVE_LEGEND_CLASS = "sonae-live-legend"


class LiveLayers(LeafletElement):
    """`window.sonaeLive`: the groups to fill, the chome layer whose shapes the chome-based
    layers reuse (the JSON carries chome keys, not geometries), and the line layers to keep
    in front of the filled areas."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            window.sonaeLive = {
                groups: { {%- for key, group in this.groups %}
                    {{ key|tojson }}: {{ group.get_name() }},{% endfor %}
                },
                chome: {{ this.chome.get_name() if this.chome else "null" }},
                front: [{% for layer in this.front %}{{ layer.get_name() }},{% endfor %}]
            };
        {% endmacro %}
        """
    )

    def __init__(
        self,
        groups: list[tuple[str, folium.FeatureGroup]],
        chome: folium.GeoJson | None,
        front: list[folium.GeoJson],
    ) -> None:
        super().__init__("LiveLayers")
        self.groups, self.chome, self.front = groups, chome, front


def build_dashboard_base(
    city: CityLayers,
    places: gpd.GeoDataFrame,
    *,
    safety_available: bool,
    damage_available: bool,
    asset_prefix: str = ASSET_URL_PREFIX,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
) -> folium.Map:
    """The dashboard map without data in its thematic layers; `city.chome` needs `key`."""
    dashboard = city_map_without_shelters(
        city, asset_prefix=asset_prefix, tiles_url=tiles_url, tiles_attribution=tiles_attribution
    )
    named = {
        child.layer_name: child
        for child in dashboard._children.values()
        if isinstance(child, folium.GeoJson)
    }
    groups = []
    for key, name, show in LIVE_GROUPS:
        group = folium.FeatureGroup(name=name, show=show)
        group.add_to(dashboard)
        groups.append((key, group))
    front = [named[n] for n in (styles.LAYER_ROADS, styles.LAYER_OUTLINE) if n in named]
    dashboard.add_child(LiveLayers(groups, named.get(styles.LAYER_CHOME), front))
    places = usable(places)
    if not places.empty:
        add_search(dashboard, places, asset_prefix)
    dashboard.add_child(DistanceMeasure(asset_prefix))
    # Until the first fetch: the sections that depend on which providers are registered.
    sections = initial_legend(safety_available, damage_available)
    legend = Legend(sections, position="bottomright")
    legend.css_class += f" {LIVE_LEGEND_CLASS}"
    legend.add_to(dashboard)
    add_page_css(dashboard.get_root(), DASHBOARD_CSS, "sonae_dashboard_css")
    layer_control_last(dashboard)
    return dashboard


def initial_legend(safety_available: bool, damage_available: bool) -> list[LegendSection]:
    return [
        thematic.safety_legend(safety_available),
        thematic.damage_legend(damage_available),
        thematic.shelter_legend(),
    ]
