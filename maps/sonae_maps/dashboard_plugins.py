"""The dashboard's Leaflet plugins, served by Sonae itself (LGWAN: no CDN)."""

from __future__ import annotations

import folium
from folium.elements import JSCSSMixin
from folium.plugins import Search
from folium.template import Template

from sonae_maps.assets import ASSET_URL_PREFIX, vendor_url
from sonae_maps.elements import LeafletElement

MEASURE_JS = "Leaflet.PolylineMeasure.js"
MEASURE_CSS = "Leaflet.PolylineMeasure.css"


class DistanceMeasure(JSCSSMixin, LeafletElement):
    """A distance measure (Leaflet.PolylineMeasure, served by us), in metres, labels in Japanese.

    Not folium's MeasureControl: its leaflet-measure compiles lodash templates at run time,
    which the page's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.control.polylineMeasure({{ this.options|tojson }})
                .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, asset_prefix: str = ASSET_URL_PREFIX) -> None:
        super().__init__("DistanceMeasure")
        self.options = {
            "position": "topleft",
            "unit": "kilometres",
            "showBearings": False,
            "clearMeasurementsOnStop": False,
            "showClearControl": True,
            "measureControlTitleOn": "距離を測る",
            "measureControlTitleOff": "計測を終える",
            "clearControlTitle": "計測を消す",
            "tooltipTextFinish": "クリックで終了<br>",
            "tooltipTextDelete": "Shift+クリックで点を削除",
            "tooltipTextMove": "ドラッグで移動<br>",
            "tooltipTextResume": "<br>Ctrl+クリックで再開",
            "tooltipTextAdd": "Ctrl+クリックで点を追加",
        }
        self.default_js = [
            ("polyline_measure_js", vendor_url("polylinemeasure", MEASURE_JS, asset_prefix))
        ]
        self.default_css = [
            ("polyline_measure_css", vendor_url("polylinemeasure", MEASURE_CSS, asset_prefix))
        ]


class OfflineSearch(Search):
    """folium's Search (leaflet-search) with the plugin served by us."""

    def __init__(self, layer: folium.GeoJson, asset_prefix: str = ASSET_URL_PREFIX) -> None:
        super().__init__(  # type: ignore[no-untyped-call]  # folium leaves it unannotated
            layer,
            search_label="label",
            search_zoom=16,
            placeholder="住所・町丁目を検索",
            position="topleft",
            collapsed=False,
        )
        self.default_js = [
            (
                "Leaflet.Search.js",
                vendor_url("leaflet-search", "dist/leaflet-search.min.js", asset_prefix),
            )
        ]
        self.default_css = [
            (
                "Leaflet.Search.css",
                vendor_url("leaflet-search", "dist/leaflet-search.min.css", asset_prefix),
            )
        ]
