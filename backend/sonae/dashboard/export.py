"""The dashboard map as a standalone file for briefings: HTML (everything inlined) or PNG.

Exports hold counts only (small counts suppressed), whoever runs them: a briefing file is
printed, mailed and projected, so it must be safe for anyone who may see it. The PNG is the
HTML drawn by headless Chromium (Debian's chromium, driven by Playwright), with no network.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from sonae.dashboard.figures import chosen_event_id, figures
from sonae.dashboard.layers import thematic_layers
from sonae.dashboard.schemas import Figures
from sonae.japan_time import JST
from sonae.web.layers import city_layers
from sonae_maps.assets import inline_all_assets
from sonae_maps.dashboard_map import build_dashboard_map
from sonae_maps.legend import MapTitle

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def export_html(*, session: Session, municipality_code: str, event_id: int | None = None) -> str:
    """The map and figures of the event chosen (None: the dashboard's default event)."""
    # Resolved once, so the map and the title are of the same event even if one is declared
    # while the export runs.
    event_id = chosen_event_id(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    city = city_layers(session=session, municipality_code=municipality_code)
    thematic = thematic_layers(
        session=session,
        municipality_code=municipality_code,
        people_visible=False,
        event_id=event_id,
    )
    dashboard = build_dashboard_map(city, thematic)
    summary = figures(session=session, municipality_code=municipality_code, event_id=event_id)
    MapTitle(f"{city.municipality_name} 災害対策本部 状況図", _summary(summary)).add_to(dashboard)
    return inline_all_assets(dashboard.get_root().render())


def _summary(data: Figures) -> str:
    when = data.as_of.astimezone(JST).strftime("%Y年%m月%d日 %H:%M 現在")
    event = f"{data.event.name}（{data.event.phase_label}）" if data.event else "平常時"
    listed = "未作成" if data.support_list_size is None else f"{data.support_list_size:,}人"
    slots = " ・ ".join(
        f"{slot.label} "
        + (
            ", ".join(f"{x.label}{x.value:,}{x.unit}" for x in slot.lines)
            if slot.available
            else slot.status
        )
        for slot in data.slots
    )
    return f"{when} ・ {event} ・ 要支援者名簿 {listed} ・ {slots}"


def html_to_png(html: str, out: Path, *, width: int = 1600, height: int = 1100) -> None:
    """Draw the page in headless Chromium and save a screenshot; nothing leaves the machine."""
    if not CHROMIUM.exists():
        raise FileNotFoundError("PNG export needs Chromium: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # a dev dependency; the server does not need it
        raise FileNotFoundError("PNG export needs playwright: pip install playwright") from exc
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "dashboard.html"
        page_file.write_text(html, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": width, "height": height})
            # Offline by construction: any request that is not the file itself is refused.
            context.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith("file://") else route.abort()
                ),
            )
            page = context.new_page()
            page.goto(page_file.as_uri(), wait_until="load")
            page.wait_for_selector(".leaflet-overlay-pane path")
            page.wait_for_timeout(300)  # let Leaflet's fade-in finish
            page.screenshot(path=str(out))
            browser.close()
