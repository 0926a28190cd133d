"""Vendored npm packages serve their scripts and styles, never demo pages or docs (CDN links)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sonae_maps import vendor_dir


def test_scripts_are_served_and_demo_pages_are_not(client: TestClient) -> None:
    # The packages ship demo pages that load Leaflet from a CDN: `make install` removes them...
    node_modules = vendor_dir("polylinemeasure").parent
    assert node_modules.name == "node_modules" and vendor_dir("leaflet-search").is_dir()
    assert not list(node_modules.rglob("*.html"))
    # Nor their READMEs and doc templates (they link CDNs too); licences are kept.
    docs = [*node_modules.rglob("*.md"), *node_modules.rglob("*.hbs")]
    assert [p.name for p in docs if not p.name.lower().startswith(("license", "licence"))] == []
    assert (node_modules / "topojson-client" / "LICENSE.md").is_file()
    # ...and only what our pages use is served.
    script = client.get("/static/vendor/polylinemeasure/Leaflet.PolylineMeasure.js")
    assert script.status_code == 200 and b"PolylineMeasure" in script.content
    assert client.get("/static/vendor/polylinemeasure/demo1.html").status_code == 404
    assert client.get("/static/vendor/leaflet-search/index.html").status_code == 404
    assert (
        client.get("/static/vendor/leaflet-search/dist/leaflet-search.min.css").status_code == 200
    )
