"""Vendored npm packages serve their scripts and styles, never their demo pages (CDN links)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sonae_maps import vendor_dir


def test_scripts_are_served_and_demo_pages_are_not(client: TestClient) -> None:
    # The package ships demo pages that load Leaflet from a CDN; they exist on disk...
    assert (vendor_dir("polylinemeasure") / "demo1.html").is_file()
    assert (vendor_dir("leaflet-search") / "examples").is_dir()
    # ...but only what our pages use is served.
    script = client.get("/static/vendor/polylinemeasure/Leaflet.PolylineMeasure.js")
    assert script.status_code == 200 and b"PolylineMeasure" in script.content
    assert client.get("/static/vendor/polylinemeasure/demo1.html").status_code == 404
    assert client.get("/static/vendor/leaflet-search/index.html").status_code == 404
    assert (
        client.get("/static/vendor/leaflet-search/dist/leaflet-search.min.css").status_code == 200
    )
