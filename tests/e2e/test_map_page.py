"""The city map as a user sees it: a real server, a real headless Chromium, no outside request.

The browser logs in through the real /login page first; the map page's CSP must let the map run.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
import uvicorn
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from browser import CHROMIUM, CHROMIUM_ARGS
from sonae.chome.models import Chome
from sonae.config import PROJECT_ROOT
from sonae.database.core import session_factory, transaction
from sonae.main import create_app
from sonae.security import users
from sonae.security.models import AppUser
from sonae.security.roles import Role
from sonae.shelter.models import Shelter
from sonae_maps import assets_installed

SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(engine: Engine) -> Iterator[str]:
    """uvicorn serving the app on the test database, in a thread, on a free port."""
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.skip(
            "Chromium is not installed: apt-get install chromium (make test does it as root)"
        )
    if not assets_installed():
        pytest.skip("map assets missing: run make install (npm fetches Leaflet)")
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
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def hq_login(engine: Engine) -> Iterator[tuple[str, str]]:
    """A committed hq user (the server's own sessions cannot see the test's transaction)."""
    username, password = f"e2e-hq-{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    with transaction(engine) as db:
        users.create_user(
            session=db,
            new=users.NewUser(
                username=username, municipality_code="122271", roles=[Role.hq], password=password
            ),
        )
    yield username, password
    with transaction(engine) as db:
        db.execute(delete(AppUser).where(AppUser.username == username))


def test_urayasu_map_shows_every_layer_without_leaving_the_server(
    server: str, engine: Engine, hq_login: tuple[str, str]
) -> None:
    from playwright.sync_api import sync_playwright

    with Session(engine) as db:
        chome_count = db.scalar(
            select(func.count()).select_from(Chome).where(Chome.municipality_code == "122271")
        )
        shelter_count = db.scalar(
            select(func.count()).select_from(Shelter).where(Shelter.municipality_code == "122271")
        )
        first_shelter = db.scalar(
            select(Shelter.name).where(Shelter.municipality_code == "122271").order_by(Shelter.id)
        )
    requests: list[str] = []
    errors: list[str] = []
    console: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.goto(f"{server}/", wait_until="networkidle")
        assert "/login?next=" in page.url  # no map without a login
        assert page.locator("label[for=username]").inner_text() == "ユーザー名"
        page.fill("#username", hq_login[0])
        page.fill("#password", hq_login[1])
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/map/122271")
        page.wait_for_selector(".leaflet-overlay-pane path")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "urayasu_map.png"))

        overlay_names = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
        legend = page.locator(".leaflet-control-container").inner_text()
        attribution = page.locator(".leaflet-control-attribution").inner_text()
        shelter_markers = page.locator("path.sonae-shelter").count()
        chome_paths = page.locator("path.sonae-chome").count()
        page.locator("path.sonae-shelter").first.click(force=True)
        popup = page.locator(".leaflet-popup-content").inner_text()
        browser.close()

    assert errors == []
    assert [line for line in console if "Content Security Policy" in line] == []
    outside = {urlparse(url).hostname for url in requests} - {"127.0.0.1"}
    assert outside == set(), f"requests left the server: {outside}"
    names = " ".join(overlay_names)
    for layer in ("市域", "町丁目", "避難所", "液状化", "道路"):
        assert layer in names
    assert "想定シナリオ" in names
    assert "福祉避難所" in legend and "人口" in legend
    assert "国土地理院" in attribution and "OpenStreetMap" in attribution
    assert shelter_markers == shelter_count
    assert chome_paths == chome_count
    assert first_shelter in popup or "避難" in popup
