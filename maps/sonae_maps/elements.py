"""Small page elements that need nothing but Leaflet.

folium's own Popup and `objects_to_stay_in_front` call jQuery (`$(...)`), which the offline
page does not load; these replacements do the same with plain Leaflet calls. Strings go
into the script through `tojson`, so quotes, backticks or `</script>` in the data cannot
break out of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from branca.element import Element, Figure, MacroElement
from folium.template import Template


class LeafletElement(MacroElement):
    """A MacroElement with a typed constructor; subclasses provide `_template`."""

    def __init__(self, name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca leaves it unannotated
        self._name = name


class BoundPopup(LeafletElement):
    """Popup (HTML) and hover tooltip (plain text) bound to the parent layer."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}
                .bindPopup({{ this.html|tojson }}, {{ this.popup_options|tojson }})
                .bindTooltip({{ this.tooltip|tojson }}, {direction: "top"});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, tooltip: str, max_width: int = 320) -> None:
        super().__init__("BoundPopup")
        self.html = html
        # Leaflet inserts tooltip strings as HTML: escape so names show literally.
        self.tooltip = escape(tooltip, quote=False)
        self.popup_options = {"maxWidth": max_width}


class Attribution(LeafletElement):
    """Data credits in the map's attribution control (bottom right)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {%- for credit in this.credits %}
            {{ this._parent.get_name() }}.attributionControl.addAttribution(
                {{ credit|tojson }}
            );
            {%- endfor %}
        {% endmacro %}
        """
    )

    def __init__(self, credits: Sequence[str]) -> None:
        super().__init__("Attribution")
        self.credits = [escape(credit, quote=False) for credit in credits if credit.strip()]


class KeepInFront(LeafletElement):
    """Bring layers back on top, in the given order, whenever an overlay is switched on."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.on("overlayadd", function () {
                {%- for layer in this.layers %}
                if ({{ this._parent.get_name() }}.hasLayer({{ layer.get_name() }})) {
                    {{ layer.get_name() }}.bringToFront();
                }
                {%- endfor %}
            });
        {% endmacro %}
        """
    )

    def __init__(self, layers: Sequence[Element]) -> None:
        super().__init__("KeepInFront")
        self.layers = list(layers)


class MetricScale(LeafletElement):
    """Scale bar in metres only (folium's control_scale adds feet and miles too)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.control.scale({imperial: false, maxWidth: 150}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__("MetricScale")


def add_page_css(figure: Element, css: str, key: str) -> None:
    """A <style> block in the page head; the same key twice adds it once."""
    assert isinstance(figure, Figure), "CSS needs the map's Figure (map.get_root())."
    figure.header.add_child(Element(f"<style>{css}</style>"), name=key)
