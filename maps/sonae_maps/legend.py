"""Legend and title boxes drawn as Leaflet controls, in plain HTML/CSS.

As controls they sit inside the map container, keep their corner when the window is resized,
and do not pass clicks or scrolling through to the map. No fonts, icons or images are loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal

from folium.template import Template

from sonae_maps.elements import LeafletElement

Shape = Literal["box", "circle"]

LEGEND_CSS = """
.sonae-box { background: rgba(255, 255, 255, 0.92); border-radius: 6px;
  box-shadow: 0 1px 5px rgba(0, 0, 0, 0.35); padding: 8px 10px; color: #222;
  font-family: "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", Meiryo, sans-serif; }
.sonae-legend { font-size: 12px; line-height: 1.4; max-height: 55vh; overflow-y: auto; }
.sonae-legend h5 { font-size: 12px; margin: 6px 0 2px; }
.sonae-legend h5:first-child { margin-top: 0; }
.sonae-legend-row { display: flex; align-items: center; gap: 6px; white-space: nowrap; }
.sonae-swatch { display: inline-block; width: 14px; height: 14px; box-sizing: border-box; }
.sonae-swatch.circle { border-radius: 50%; }
.sonae-title { font-size: 15px; font-weight: bold; }
.sonae-title small { display: block; font-size: 11px; font-weight: normal; color: #555; }
"""


@dataclass(frozen=True)
class LegendItem:
    """One symbol and its label. `border_width` is in pixels."""

    label: str
    fill: str
    border: str = "#666666"
    shape: Shape = "box"
    border_width: float = 1.0

    def html(self) -> str:
        style = f"background:{self.fill};border:{self.border_width}px solid {self.border};"
        return (
            f'<div class="sonae-legend-row"><span class="sonae-swatch {self.shape}" '
            f'style="{style}"></span>{escape(self.label)}</div>'
        )


@dataclass(frozen=True)
class LegendSection:
    heading: str
    items: tuple[LegendItem, ...]

    def html(self) -> str:
        rows = "".join(item.html() for item in self.items)
        return f"<h5>{escape(self.heading)}</h5>{rows}"


class _BoxControl(LeafletElement):
    """A Leaflet control holding fixed HTML; needs LEGEND_CSS in the page head."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function () {
                var control = L.control({position: {{ this.position|tojson }}});
                control.onAdd = function () {
                    var box = L.DomUtil.create("div", {{ this.css_class|tojson }});
                    box.innerHTML = {{ this.html|tojson }};
                    L.DomEvent.disableClickPropagation(box);
                    L.DomEvent.disableScrollPropagation(box);
                    return box;
                };
                control.addTo({{ this._parent.get_name() }});
            })();
        {% endmacro %}
        """
    )

    def __init__(self, name: str, html: str, css_class: str, position: str) -> None:
        super().__init__(name)
        self.html = html
        self.css_class = f"sonae-box {css_class}"
        self.position = position


class Legend(_BoxControl):
    """The map legend, bottom left; sections without items are left out."""

    def __init__(self, sections: Sequence[LegendSection], position: str = "bottomleft") -> None:
        html = "".join(section.html() for section in sections if section.items)
        super().__init__("Legend", html, "sonae-legend", position)


class MapTitle(_BoxControl):
    """Municipality name and subtitle, top left."""

    def __init__(self, title: str, subtitle: str, position: str = "topleft") -> None:
        html = f"{escape(title)}<small>{escape(subtitle)}</small>"
        super().__init__("MapTitle", html, "sonae-title", position)
