"""The city map in headless Chromium, served the way the server serves it, with no Internet.

The page and a copy of the vendored Leaflet are served from a temporary directory on
127.0.0.1; every request the page makes is recorded and must stay on that host.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS
from sonae_maps import ASSET_URL_PREFIX, CityLayers, assets_installed, build_city_map, vendor_dir

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "city_map_browser.png"
# 3 chome + 1 hazard zone + 1 road network + 1 outline + 2 shelter markers, all SVG paths.
EXPECTED_PATHS = 8
KINDS = ("chome", "hazard", "roads", "outline", "shelter")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class LoadedMap:
    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _serve_site(root: Path) -> tuple[ThreadingHTTPServer, threading.Thread]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def _write_site(root: Path, layers: CityLayers) -> None:
    (root / "index.html").write_text(build_city_map(layers).get_root().render(), encoding="utf-8")
    shutil.copytree(vendor_dir(), root / ASSET_URL_PREFIX.strip("/") / "leaflet")


def _record_http_error(loaded: LoadedMap, response: Any) -> None:
    if response.status >= 400:
        loaded.failed.append(f"{response.status} {response.url}")


@pytest.fixture
def loaded_map(tmp_path: Path, tiny_layers: CityLayers) -> Iterator[LoadedMap]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium not found at /usr/bin/chromium: apt-get install chromium")
    if not assets_installed():
        pytest.skip(
            "Leaflet not installed: npm install --prefix maps/assets "
            "(and apt-get install chromium for this test)"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    _write_site(tmp_path, tiny_layers)
    server, thread = _serve_site(tmp_path)
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            loaded = LoadedMap(page)
            context.on("request", lambda request: loaded.requests.append(request.url))
            page.on("pageerror", lambda error: loaded.errors.append(str(error)))
            page.on("requestfailed", lambda request: loaded.failed.append(request.url))
            page.on("response", partial(_record_http_error, loaded))
            page.goto(f"http://127.0.0.1:{server.server_port}/index.html", wait_until="load")
            page.wait_for_selector(".leaflet-overlay-pane path")
            yield loaded
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_map_renders_offline(loaded_map: LoadedMap, tiny_layers: CityLayers) -> None:
    page = loaded_map.page
    assert page.locator(".leaflet-overlay-pane path").count() == EXPECTED_PATHS
    pane = page.locator(".leaflet-overlay-pane")
    counts = {kind: pane.locator(f"path.sonae-{kind}").count() for kind in KINDS}
    assert counts == {"chome": 3, "hazard": 1, "roads": 1, "outline": 1, "shelter": 2}
    assert page.locator(".sonae-legend").is_visible()
    assert "町丁目 人口" in page.locator(".sonae-legend").inner_text()
    attribution = page.locator(".leaflet-control-attribution")
    assert attribution.is_visible()
    assert tiny_layers.credits[0] in attribution.inner_text()
    assert "テスト市" in page.locator(".sonae-title").inner_text()
    assert "避難所" in page.locator(".leaflet-control-layers").inner_text()

    welfare_name = tiny_layers.shelters.loc[tiny_layers.shelters["is_welfare"], "name"].item()
    page.locator("path.sonae-shelter-welfare").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    assert welfare_name in popup.inner_text()
    assert "福祉避難所" in popup.inner_text()

    # Move off the marker (its tooltip hides the popup's tip) and let the popup fade in.
    page.mouse.move(640, 790)
    page.wait_for_function(
        "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    hosts = {urlparse(url).hostname for url in loaded_map.requests}
    assert hosts == {"127.0.0.1"}, loaded_map.requests
    assert loaded_map.errors == []
    assert [url for url in loaded_map.failed if not url.endswith("/favicon.ico")] == []
