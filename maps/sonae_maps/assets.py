"""Browser assets served by Sonae itself, so maps work on closed networks (LGWAN).

Leaflet is installed from npm at deployment time (`npm install --prefix maps/assets`,
pinned in maps/assets/package.json) rather than committed. The server mounts `vendor_dir()`
at `{ASSET_URL_PREFIX}/leaflet`; maps built here reference nothing else outside the page.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import folium

from sonae_maps.styles import MAP_ELEMENT_ID

ASSET_URL_PREFIX = "/static/vendor"
INSTALL_HINT = "npm install --prefix maps/assets --no-audit --no-fund"

_ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"


VENDOR_PACKAGES: dict[str, str] = {
    "leaflet": "leaflet/dist",
    "polylinemeasure": "leaflet.polylinemeasure",
    "leaflet-search": "leaflet-search",  # dist/ and the images/ its CSS links as ../images
    "vectorgrid": "leaflet.vectorgrid/dist",
}
"""URL name under ASSET_URL_PREFIX → directory under maps/assets/node_modules (pinned in
package.json). The server mounts each; pages built here reference nothing else."""


def vendor_dir(name: str = "leaflet") -> Path:
    """A vendored package's dist directory; by default Leaflet's (leaflet.js, leaflet.css)."""
    return _ASSETS_DIR / "node_modules" / VENDOR_PACKAGES[name]


def vendor_url(name: str, file: str, asset_prefix: str = ASSET_URL_PREFIX) -> str:
    return f"{asset_prefix.rstrip('/')}/{name}/{file}"


def assets_installed() -> bool:
    return all((vendor_dir() / name).is_file() for name in ("leaflet.js", "leaflet.css"))


def leaflet_js_url(asset_prefix: str = ASSET_URL_PREFIX) -> str:
    return f"{asset_prefix.rstrip('/')}/leaflet/leaflet.js"


def leaflet_css_url(asset_prefix: str = ASSET_URL_PREFIX) -> str:
    return f"{asset_prefix.rstrip('/')}/leaflet/leaflet.css"


class OfflineMap(folium.Map):
    """A folium Map that loads only our Leaflet copy: no jQuery, Bootstrap or icon fonts.

    folium's class-level default_js/default_css point at CDNs. They are shadowed here by
    fresh per-instance lists, so folium's shared module-level lists are never modified.
    """

    def __init__(self, *, asset_prefix: str = ASSET_URL_PREFIX, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.default_js = [("leaflet", leaflet_js_url(asset_prefix))]
        self.default_css = [("leaflet_css", leaflet_css_url(asset_prefix))]

    def get_name(self) -> str:
        # Stable id of the map <div> (and name of its JS variable) instead of a random one.
        return MAP_ELEMENT_ID


def inline_assets(html: str, asset_prefix: str = ASSET_URL_PREFIX) -> str:
    """The page with Leaflet embedded, for viewing without a server (file://, notebooks).

    Served pages should keep the links: the browser then caches Leaflet once.
    """
    if not assets_installed():
        raise FileNotFoundError(f"Leaflet not found in {vendor_dir()}; run `{INSTALL_HINT}`")
    script = (vendor_dir() / "leaflet.js").read_text(encoding="utf-8")
    style = _css_with_inline_images((vendor_dir() / "leaflet.css").read_text(encoding="utf-8"))
    js_tag = f'<script src="{leaflet_js_url(asset_prefix)}"></script>'
    css_tag = f'<link rel="stylesheet" href="{leaflet_css_url(asset_prefix)}"/>'
    if js_tag not in html or css_tag not in html:
        raise ValueError(f"The page does not link Leaflet under {asset_prefix!r}")
    html = html.replace(js_tag, f"<script>{script}</script>")
    return html.replace(css_tag, f"<style>{style}</style>")


def _css_with_inline_images(css: str) -> str:
    """Replace leaflet.css's url(images/x.png) (layer-control icon) by data: URLs."""

    def to_data_url(match: re.Match[str]) -> str:
        image = vendor_dir() / "images" / match.group(1)
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", to_data_url, css)


_VENDOR_TAG = re.compile(
    r'<script src="(?P<js>[^"]+\.js)"></script>|<link rel="stylesheet" href="(?P<css>[^"]+\.css)"/>'
)
_CSS_URL = re.compile(r"url\(['\"]?(?!data:)([\w./@-]+\.(?:png|gif|svg))['\"]?\)")
_MIME = {"png": "image/png", "gif": "image/gif", "svg": "image/svg+xml"}


def inline_all_assets(html: str, asset_prefix: str = ASSET_URL_PREFIX) -> str:
    """Like inline_assets, for every vendored package the page links (measure, search…).

    Links outside asset_prefix are left alone; a linked vendored file that is missing raises.
    """
    prefix = asset_prefix.rstrip("/") + "/"

    def inline(match: re.Match[str]) -> str:
        url = match.group("js") or match.group("css")
        if not url.startswith(prefix):
            return match.group(0)
        name, _, file = url[len(prefix) :].partition("/")
        path = vendor_dir(name) / file
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing; run `{INSTALL_HINT}`")
        text = path.read_text(encoding="utf-8")
        if match.group("js"):
            return f"<script>{text}</script>"
        return f"<style>{_css_with_data_urls(text, path.parent)}</style>"

    return _VENDOR_TAG.sub(inline, html)


def _css_with_data_urls(css: str, folder: Path) -> str:
    def to_data_url(match: re.Match[str]) -> str:
        image = (folder / match.group(1)).resolve()
        if not image.is_file():
            return match.group(0)
        mime = _MIME[image.suffix.lstrip(".")]
        return f"url(data:{mime};base64,{base64.b64encode(image.read_bytes()).decode('ascii')})"

    return _CSS_URL.sub(to_data_url, css)


SERVED_SUFFIXES = frozenset({".js", ".css", ".png", ".gif", ".svg", ".map"})
"""What a vendored package may serve: scripts, styles and the images its CSS links. Never its
demo or example pages (some load Leaflet from a CDN, which LGWAN cannot reach)."""
