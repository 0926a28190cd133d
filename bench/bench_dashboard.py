"""HQ dashboard at Urayasu and Nishinomiya scale, beside one GeoJSON of all points, same run.

Data: the cities' real layers and synthetic registries, prepared with the ordinary commands
(`sonae import city`, `sonae registry generate --seed 1`, `sonae registry import`,
`sonae welfare import`, `sonae support build`) in a temporary database, dropped at the end.
SONAE_BENCH_DASHBOARD_URL=<database url> reuses a database already prepared that way.

Measured, per city, with a real server (uvicorn, in this process) and headless Chromium:
- first view: bytes transferred (navigation + every resource, as the browser counts them) and
  the time from navigation to interactive (map drawn and the panel's first figures shown),
  right after an import (the base map rendered on the request), in a new browser, and warm;
- person-level vector tiles (hq): latency p50/p95 over every tile covering the city at zoom
  11–16 (at most 40 per zoom, spread evenly), and their sizes;
- the baseline: the one GeoJSON of every support-list point that the tiles replace (bytes and
  the time PostGIS takes to write it), and Chromium drawing it with L.geoJSON.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi.responses import Response
from sqlalchemy import delete, text
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from dbtools import create_temporary_database, drop_database  # noqa: E402
from sonae.database.core import app_engine, session_factory, transaction  # noqa: E402
from sonae.logging import configure_logging  # noqa: E402
from sonae.main import create_app  # noqa: E402
from sonae.security import users  # noqa: E402
from sonae.security.models import AppUser  # noqa: E402
from sonae.security.roles import Role  # noqa: E402

CITIES = {"urayasu": "122271", "nishinomiya": "282049"}
SONAE = str(Path(sys.executable).with_name("sonae"))
TILE_ZOOMS = range(11, 17)
TILES_PER_ZOOM = 40
FIRST_VIEW_BYTES = 3_000_000
FIRST_VIEW_SECONDS = 2.0

BASELINE_SQL = """
SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object(
    'type', 'Feature', 'id', p.id,
    'geometry', ST_AsGeoJSON(p.location, 6)::json,
    'properties', json_build_object('household_number', p.household_number,
                                    'priority', e.priority))))::text
FROM support_list_entry e
JOIN person p ON p.municipality_code = e.municipality_code AND p.id = e.person_id
WHERE e.municipality_code = :code AND p.location IS NOT NULL
  AND e.build_id = (SELECT max(id) FROM support_list_build WHERE municipality_code = :code)
"""


def prepare(url: str) -> None:
    env = {**os.environ, "SONAE_DATABASE_URL": url, "SONAE_LOG_LEVEL": "WARNING"}

    def sonae(*args: str) -> None:
        subprocess.run([SONAE, *args], env=env, check=True, stdout=subprocess.DEVNULL)

    sonae("db", "upgrade")
    for city, code in CITIES.items():
        print(f"preparing {city} …", file=sys.stderr, flush=True)
        sonae("import", "city", city)
        out = ROOT / "var" / "bench"
        registry, welfare = out / f"{city}_registry.csv", out / f"{city}_welfare.csv"
        sonae("registry", "generate", "--city", city, "--seed", "1", "--encoding", "utf-8",
              "--out", str(registry), "--welfare-out", str(welfare))  # fmt: skip
        sonae("registry", "import", str(registry), "-m", code, "--skip-invalid")
        sonae("welfare", "import", str(welfare), "-m", code, "--skip-invalid")
        sonae("support", "build", "-m", code, "--by", "bench")


@contextmanager
def serving(engine: Engine, baselines: dict[str, str]) -> Iterator[str]:
    """The app, plus /bench/{code}.json: the baseline GeoJSON (this process only)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(sessions=session_factory(engine))
    app.add_api_route(
        "/bench/{code}.json",
        lambda code: Response(baselines[code], media_type="application/geo+json"),
    )
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def hq_user(engine: Engine, code: str) -> Iterator[tuple[str, str]]:
    username, password = f"bench-hq-{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    with transaction(engine) as db:
        users.create_user(
            session=db,
            new=users.NewUser(
                username=username, municipality_code=code, roles=[Role.hq], password=password
            ),
        )
    try:
        yield username, password
    finally:
        with transaction(engine) as db:
            db.execute(delete(AppUser).where(AppUser.username == username))


INTERACTIVE = "() => window.sonaeDashboard && window.sonaeDashboard.refreshes >= 1"
TRANSFERRED = """() => performance.getEntriesByType('navigation')
    .concat(performance.getEntriesByType('resource'))
    .reduce((total, entry) => total + entry.transferSize, 0)"""


def visits(browser: Any, base: str, code: str, login: tuple[str, str], n: int) -> Any:
    """A new browser context (empty cache): log in, then n first views of the dashboard."""
    context = browser.new_context(viewport={"width": 1500, "height": 950})
    page = context.new_page()
    page.goto(f"{base}/login?next=/health")
    page.fill("#username", login[0])
    page.fill("#password", login[1])
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    runs = []
    for _ in range(n):
        start = time.perf_counter()
        page.goto(f"{base}/dashboard/{code}", wait_until="commit")
        page.wait_for_selector("path.sonae-support-chome")  # drawn from the live layers' rows
        page.wait_for_function(INTERACTIVE)
        runs.append((time.perf_counter() - start, page.evaluate(TRANSFERRED)))
    return page, runs


def first_view(base: str, code: str, login: tuple[str, str], baseline: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from sonae.dashboard.page import clear_map_cache

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # Right after an import: the base map is rendered on the request (once per import).
        clear_map_cache()
        _, ((import_seconds, import_bytes),) = visits(browser, base, code, login, 1)
        # A new browser (nothing cached) on the rendered base, then the same browser 3 times;
        # the live layers and figures are computed for every view.
        page, runs = visits(browser, base, code, login, 4)
        cold_seconds, cold_bytes = runs[0]
        seconds, transferred = sorted(runs[1:])[1]
        # Baseline in the browser: the same page drawing every point from one GeoJSON.
        start = time.perf_counter()
        drawn = page.evaluate(
            """async (url) => {
                const t0 = performance.now();
                const data = await (await fetch(url)).json();
                const dot = (f, ll) => L.circleMarker(ll, {radius: 3});
                const layer = L.geoJSON(data, {pointToLayer: dot}).addTo(window.sonae_map);
                await new Promise(requestAnimationFrame);
                return [layer.getLayers().length, performance.now() - t0];
            }""",
            baseline,
        )
        browser.close()
    return {
        "import_seconds": import_seconds,
        "import_bytes": import_bytes,
        "cold_seconds": cold_seconds,
        "cold_bytes": cold_bytes,
        "seconds": seconds,
        "bytes": transferred,
        "baseline_points": drawn[0],
        "baseline_browser_seconds": drawn[1] / 1000,
        "baseline_wall": time.perf_counter() - start,
    }


def city_tiles(engine: Engine, code: str) -> list[tuple[int, int, int]]:
    with engine.connect() as connection:
        west, south, east, north = connection.execute(
            text("SELECT ST_XMin(o), ST_YMin(o), ST_XMax(o), ST_YMax(o) FROM "
                 "(SELECT outline AS o FROM municipality WHERE code = :code) m"),
            {"code": code},
        ).one()  # fmt: skip
    tiles = []
    for z in TILE_ZOOMS:
        x0, y0 = tile_of(west, north, z)
        x1, y1 = tile_of(east, south, z)
        every = [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
        step = max(1, len(every) // TILES_PER_ZOOM)
        tiles += every[::step][:TILES_PER_ZOOM]
    return tiles


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def tile_latencies(base: str, code: str, token: str, tiles: list[tuple[int, int, int]]) -> Any:
    seconds, sizes = [], []
    for z, x, y in tiles:
        request = urllib.request.Request(
            f"{base}/api/tiles/{code}/support/{z}/{x}/{y}.pbf",
            headers={"Authorization": f"Bearer {token}"},
        )
        start = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            sizes.append(len(response.read()))
        seconds.append(time.perf_counter() - start)
    quantiles = statistics.quantiles(seconds, n=20)
    return statistics.median(seconds), quantiles[18], max(sizes), sum(sizes) / len(sizes)


def token_for(base: str, login: tuple[str, str]) -> str:
    body = f"username={login[0]}&password={login[1]}".encode()
    with urllib.request.urlopen(urllib.request.Request(f"{base}/api/auth/token", data=body)) as r:
        token: str = json.load(r)["access_token"]
        return token


def baseline(engine: Engine, code: str) -> tuple[str, float]:
    with engine.connect() as connection:
        start = time.perf_counter()
        geojson: str = connection.execute(text(BASELINE_SQL), {"code": code}).scalar_one()
        return geojson, time.perf_counter() - start


def measure(engine: Engine, base: str, code: str, geojson: str, seconds: float) -> dict[str, Any]:
    with hq_user(engine, code) as login:
        view = first_view(base, code, login, f"/bench/{code}.json")
        p50, p95, biggest, mean = tile_latencies(
            base, code, token_for(base, login), city_tiles(engine, code)
        )
    return {
        **view,
        "baseline_bytes": len(geojson.encode()),
        "baseline_sql_seconds": seconds,
        "tile_p50": p50,
        "tile_p95": p95,
        "tile_max_bytes": biggest,
        "tile_mean_bytes": mean,
    }


def main() -> None:
    configure_logging(level="WARNING")
    given = os.environ.get("SONAE_BENCH_DASHBOARD_URL")
    url = given or create_temporary_database("sonae_bench_dashboard")
    results = {}
    try:
        if not given:
            prepare(url)
        engine = app_engine(url)
        load = os.getloadavg()[0]
        baselines = {code: baseline(engine, code) for code in CITIES.values()}
        with serving(engine, {code: b[0] for code, b in baselines.items()}) as base:
            for city, code in CITIES.items():
                print(f"measuring {city} …", file=sys.stderr, flush=True)
                results[city] = measure(engine, base, code, *baselines[code])
        engine.dispose()
    finally:
        if not given:
            drop_database(url)
    report(results, load)


def report(results: dict[str, dict[str, Any]], load: float) -> None:
    print("## HQ dashboard (bench_dashboard.py)")
    print()
    print(
        f"Synthetic registries (seed 1) with the support list built; hq user; Chromium "
        f"{CHROMIUM}; {os.cpu_count()} cores, load average {load:.1f} at the start. First view "
        f"= login done, navigation to map drawn (thematic layers fetched and drawn) and first "
        f"figures shown. The base map (city layers) is rendered once per import; the live "
        f"layers and figures are computed for every view, cold or warm. "
        f"Targets: under "
        f"{FIRST_VIEW_SECONDS:.0f} s and {FIRST_VIEW_BYTES / 1e6:.0f} MB."
    )
    print()
    print("| | Urayasu | Nishinomiya |")
    print("|---|---:|---:|")
    rows = [
        (
            "first view after an import (base map rendered on the request, new browser): s",
            "import_seconds",
            "{:.2f}",
        ),
        ("first view after an import: bytes transferred", "import_bytes", "{:,.0f}"),
        (
            "first view, new browser (nothing cached): seconds to interactive",
            "cold_seconds",
            "{:.2f}",
        ),
        ("first view, new browser: bytes transferred", "cold_bytes", "{:,.0f}"),
        ("first view, browser cache warm (median of 3): seconds", "seconds", "{:.2f}"),
        ("first view, browser cache warm: bytes transferred", "bytes", "{:,.0f}"),
        ("vector tile latency p50 (s), zoom 11–16", "tile_p50", "{:.3f}"),
        ("vector tile latency p95 (s)", "tile_p95", "{:.3f}"),
        ("vector tile size: mean / largest (bytes)", None, ""),
        ("baseline: one GeoJSON of all list points (bytes)", "baseline_bytes", "{:,.0f}"),
        ("baseline: PostGIS writing it (s)", "baseline_sql_seconds", "{:.2f}"),
        ("baseline: points drawn by L.geoJSON", "baseline_points", "{:,.0f}"),
        ("baseline: fetch + draw in Chromium (s)", "baseline_browser_seconds", "{:.2f}"),
    ]
    for label, key, fmt in rows:
        if key is None:
            cells = [
                f"{r['tile_mean_bytes']:,.0f} / {r['tile_max_bytes']:,.0f}"
                for r in results.values()
            ]
        else:
            cells = [fmt.format(r[key]) for r in results.values()]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    print(
        "The first view carries only aggregated layers (counts per chome and 250 m mesh, "
        "shelters), fetched as rows after the page loads; people come as vector tiles when hq "
        "or welfare switch the layer on, clustered below zoom 15. The baseline is what a "
        "naive map would ship instead."
    )


if __name__ == "__main__":
    main()
