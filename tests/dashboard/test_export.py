"""Briefing exports: one self-contained HTML file (counts only), and its PNG drawn by Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from browser import CHROMIUM, MISSING_CHROMIUM
from dashboard_rows import URAYASU, ListedTown
from sonae.dashboard.export import export_html, html_to_png
from sonae_maps import assets_installed


@pytest.fixture
def page(session: Session, listed_town: ListedTown) -> str:
    if not assets_installed():
        pytest.skip("map assets missing: run make install")
    return export_html(session=session, municipality_code=URAYASU)


def test_html_export_stands_alone_and_holds_counts_only(page: str) -> None:
    # Nothing to fetch: no script or stylesheet link, no image URL but data: ones.
    assert re.findall(r'<script[^>]+src=|<link[^>]+href=|url\(["\']?(?:https?:|/)', page) == []
    assert "L.control.polylineMeasure" in page and "L.Control.Search" in page
    assert shows(page, "要支援者数（町丁目）") and shows(page, "3未満")  # the chome of 2
    assert not shows(page, "試験")  # no name of the listed people
    assert shows(page, "要支援者名簿 7人")


def shows(page: str, text: str) -> bool:
    """Text in the page as HTML or inside a script (where folium writes it JSON-escaped)."""
    return text in page or json.dumps(text)[1:-1] in page


@pytest.mark.browser
def test_png_export(page: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        print(MISSING_CHROMIUM)
        pytest.skip(MISSING_CHROMIUM)
    out = tmp_path / "dashboard.png"
    html_to_png(page, out, width=800, height=600)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 20_000  # a drawn map, not a blank page
