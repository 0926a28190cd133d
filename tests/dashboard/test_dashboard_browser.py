"""The dashboard as headquarters sees it: a real server, headless Chromium, no outside request.

A support list of 7 people (tests/dashboard_rows.py) is committed for this module and removed
after it, because the server's own sessions cannot see a test's transaction.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import uvicorn
from damage.factory import make_event
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from browser import CHROMIUM, CHROMIUM_ARGS, MISSING_CHROMIUM
from dashboard_rows import BIG_SPOT, URAYASU, ListedTown, make_listed_town
from sonae.chome.models import Chome
from sonae.config import PROJECT_ROOT
from sonae.dashboard import providers
from sonae.dashboard.providers import FigureLine, FigureSlot, SafetyCounts
from sonae.database.core import session_factory, transaction
from sonae.event.models import DisasterEvent, EventHazard
from sonae.main import create_app
from sonae.registry.models import Person
from sonae.security import users
from sonae.security.models import AppUser
from sonae.security.roles import Role
from sonae.shelter.models import Shelter
from sonae.support.models import SupportListBuild, SupportRuleSet
from sonae_maps import assets_installed

pytestmark = pytest.mark.browser
SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def town(engine: Engine) -> Iterator[ListedTown]:
    with transaction(engine) as db:
        listed = make_listed_town(db)
    yield listed
    with transaction(engine) as db:
        db.execute(delete(SupportListBuild).where(SupportListBuild.built_by == "test"))
        db.execute(delete(SupportRuleSet).where(SupportRuleSet.created_by == "test"))
        ids = [*listed.big_ids, *listed.small_ids, listed.unlisted_id]
        db.execute(delete(Person).where(Person.municipality_code == URAYASU, Person.id.in_(ids)))


@pytest.fixture(scope="module")
def server(engine: Engine, town: ListedTown) -> Iterator[str]:
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        print(MISSING_CHROMIUM)
        pytest.skip(MISSING_CHROMIUM)
    if not assets_installed():
        pytest.skip("map assets missing: run make install (npm fetches Leaflet and its plugins)")
    port = _free_port()
    config = uvicorn.Config(
        create_app(sessions=session_factory(engine)),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def hq_login(engine: Engine) -> Iterator[tuple[str, str]]:
    username, password = f"dash-hq-{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    with transaction(engine) as db:
        users.create_user(
            session=db,
            new=users.NewUser(
                username=username, municipality_code=URAYASU, roles=[Role.hq], password=password
            ),
        )
    yield username, password
    with transaction(engine) as db:
        db.execute(delete(AppUser).where(AppUser.username == username))


def _count(engine: Engine, model: Any) -> int:
    with Session(engine) as db:
        n = db.scalar(
            select(func.count()).select_from(model).where(model.municipality_code == URAYASU)
        )
        return int(n or 0)


def test_dashboard_draws_refreshes_and_shows_people_to_hq(
    server: str,
    engine: Engine,
    town: ListedTown,
    hq_login: tuple[str, str],
    tmp_path: Path,
) -> None:
    from playwright.sync_api import sync_playwright

    chome_count, shelter_count = _count(engine, Chome), _count(engine, Shelter)
    requests: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 950})
        page.on("request", lambda request: requests.append(request.url))
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on(
            "response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(f"{server}/login?next=/dashboard/{URAYASU}%3Frefresh%3D2")
        page.fill("#username", hq_login[0])
        page.fill("#password", hq_login[1])
        page.click("button[type=submit]")
        page.wait_for_selector("path.sonae-support-chome")
        page.wait_for_function(
            "() => window.sonaeDashboard && window.sonaeDashboard.refreshes >= 1"
        )

        drawn = page.evaluate(
            """() => ({
                chome: document.querySelectorAll('path.sonae-support-chome').length,
                shelters: document.querySelectorAll('path.sonae-shelter-status').length,
                welfare: document.querySelectorAll('path.sonae-shelter-welfare').length,
                leafletLayers: Object.keys(sonae_map._layers).length,
            })"""
        )
        panel = page.locator("#sonae-panel").inner_text()
        overlays = " ".join(
            page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
        )
        legend = page.locator(".sonae-legend").all_inner_texts()

        # Live: a figure registered now appears at the next refresh, without a reload.
        def housing(**_: Any) -> list[FigureLine]:
            return [FigureLine("入居決定", 12, of=40, unit="戸")]

        # And a map layer: the safety rows arrive at the next refresh of the layers.
        key = town.big_chome.key_code

        def safety(**_: Any) -> dict[str, SafetyCounts]:
            return {key: SafetyCounts(confirmed=4, total=5)}

        providers.register_figure(FigureSlot.housing, housing)
        providers.register_safety_by_chome(safety)
        try:
            page.wait_for_function(
                "() => document.getElementById('sonae-figures').innerText.includes('入居決定')",
                timeout=20_000,
            )
            page.wait_for_function(
                "() => sonaeLive.groups.safety_chome.getLayers().length === 1", timeout=20_000
            )
        finally:
            providers.unregister_all()
        live_panel = page.locator("#sonae-figures").inner_text()

        # Person-level layer (hq): vector tiles of the support list, zoomed onto the 5 people.
        page.check("#sonae-layer-support")
        page.evaluate(f"() => {{ sonae_map.setView([{BIG_SPOT[1]}, {BIG_SPOT[0]}], 18); }}")
        page.wait_for_function("() => window.sonaeDashboard.tileFeatures >= 5", timeout=20_000)
        page.wait_for_load_state("networkidle")
        tile_paths = page.locator(".leaflet-tile path").count()
        # Click a person: the household card (names) is fetched, as far as hq may see it.
        point = page.evaluate(
            f"() => sonae_map.latLngToContainerPoint([{BIG_SPOT[1]}, {BIG_SPOT[0]}])"
        )
        page.mouse.click(point["x"], point["y"])  # the first person sits on the town's point
        page.locator("#sonae-card").wait_for(state="visible")
        page.wait_for_function(
            "() => document.getElementById('sonae-card').innerText.includes('世帯')"
        )
        card = page.locator("#sonae-card").inner_text()
        page.wait_for_timeout(300)  # tile fade-in, for the screenshot
        page.screenshot(path=str(tmp_path / "dashboard.png"))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "dashboard_hq.png"))
        browser.close()

    assert errors == []
    assert [url for url in failed if not url.endswith("/favicon.ico")] == []
    outside = {urlparse(url).hostname for url in requests} - {"127.0.0.1"}
    assert outside == set(), f"requests left the server: {outside}"
    assert drawn["chome"] == chome_count
    assert drawn["shelters"] == shelter_count
    assert drawn["welfare"] >= 1
    for layer in (
        "要支援者数（町丁目）",
        "避難所 収容状況",
        "個別避難計画の避難先",
        "市域",
        "道路",
    ):
        assert layer in overlays
    assert any("住家被害（町丁目）：未集計" in text for text in legend)
    assert "7 人" in panel and "未集計" in panel
    assert "入居決定 12 / 40 戸" in live_panel
    assert tile_paths >= 5
    assert "試験" in card and "代表点" in card
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000


@pytest.fixture
def two_events(engine: Engine, town: ListedTown) -> Iterator[tuple[int, int]]:
    """A city-wide earthquake declared first and a flood in one chome declared after."""
    with transaction(engine) as db:
        keys = list(db.scalars(select(Chome.key_code).where(Chome.municipality_code == URAYASU)))
        quake = make_event(db, name="試験地震")
        quake.affected_chome = keys
        flood = make_event(db, name="試験水害", hazard=EventHazard.flood)
        flood.affected_chome = [town.small_chome.key_code]
        db.flush()
        ids = (quake.id, flood.id)
    yield ids
    with transaction(engine) as db:
        db.execute(delete(DisasterEvent).where(DisasterEvent.id.in_(ids)))


def test_headquarters_switch_between_open_events(
    server: str, hq_login: tuple[str, str], two_events: tuple[int, int]
) -> None:
    from playwright.sync_api import sync_playwright

    quake, flood = two_events
    requests: list[str] = []
    errors: list[str] = []

    def certificates(*, event_id: int | None, **_: Any) -> list[FigureLine]:
        return [FigureLine("交付済", 13 if event_id == quake else 0, unit="件")]

    providers.register_figure(FigureSlot.certificates, certificates)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 950})
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{server}/login?next=/dashboard/{URAYASU}")
            page.fill("#username", hq_login[0])
            page.fill("#password", hq_login[1])
            page.click("button[type=submit]")
            page.wait_for_function(
                "() => window.sonaeDashboard && window.sonaeDashboard.refreshes >= 1"
            )
            default_panel = page.locator("#sonae-figures").inner_text()
            menu = page.locator("#sonae-events").inner_text()
            page.click(f"#sonae-events a[href$='event={flood}']")
            page.wait_for_url(f"**event={flood}")
            page.wait_for_function(
                "() => window.sonaeDashboard && window.sonaeDashboard.refreshes >= 1"
                " && window.sonaeDashboard.layerRefreshes >= 1"
            )
            flood_panel = page.locator("#sonae-figures").inner_text()
            current = page.locator("#sonae-events a[aria-current]").inner_text()
            changed = page.locator("#sonae-events-changed").is_hidden()
            browser.close()
    finally:
        providers.unregister_all()

    assert errors == []
    assert "試験地震" in default_panel and "交付済 13 件" in default_panel
    assert "試験地震" in menu and "試験水害" in menu and "自動選択中" in menu
    assert "試験水害" in flood_panel and "交付済 0 件" in flood_panel
    assert current.startswith("試験水害")
    assert changed  # the listed events are the open ones
    chosen = f"event={flood}"
    assert any(f"/figures?{chosen}" in url for url in requests)
    assert any(f"/layers?{chosen}" in url for url in requests)
    assert {urlparse(url).hostname for url in requests} == {"127.0.0.1"}
