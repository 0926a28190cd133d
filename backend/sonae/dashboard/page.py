"""The /dashboard page: the base map, a side panel of live figures, and the page's scripts.

The page holds what changes only on import (the city's layers, the search places), rendered
once per data version. The thematic layers (live.py, drawn by live_layers.js), the panel's
figures and the person-level tile layers (dashboard.js) are fetched by the page itself from
/static/dashboard's scripts and refreshed without reloading it.
"""

from __future__ import annotations

import threading
from html import escape
from typing import Any
from urllib.parse import quote

from branca.element import Element, Figure
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from sonae.config import get_settings
from sonae.dashboard import aggregates
from sonae.dashboard.figures import chosen_event, open_events
from sonae.dashboard.layers import search_places
from sonae.dashboard.privacy import sees_people
from sonae.dashboard.providers import REGISTRY
from sonae.event.models import EVENT_HAZARD_LABELS, PHASE_LABELS, DisasterEvent
from sonae.logging import get_logger
from sonae.municipality.models import ImportRecord
from sonae.security.roles import ROLE_LABELS, Principal
from sonae.web.layers import city_layers
from sonae_maps.dashboard_base import build_dashboard_base
from sonae_maps.styles import DAMAGE_LEVEL_COLOURS, DAMAGE_LEVEL_LABELS, DAMAGE_LEVELS

log = get_logger(__name__)
STATIC_PREFIX = "/static/dashboard"
REFRESH_SECONDS = 30
PRELOADED = ("layers", "figures")

PANEL = """
<aside id="sonae-panel" data-code="{code}" data-refresh="{refresh}" data-people="{people}"
  data-dwellings="{dwellings}" data-event="{event}">
  <h1>{city} 災害対策本部</h1>
  <p class="sonae-role">{user}（{roles}）</p>
  {events}
  <section id="sonae-figures" aria-live="polite"><p>読み込み中…</p></section>
  <p class="sonae-updated">更新: <span id="sonae-updated">―</span>
    （{refresh}秒ごと）</p>
  {people_controls}
</aside>
"""

PEOPLE_CONTROLS = """
<section id="sonae-people">
  <h2>個人単位の表示（本部・福祉のみ）</h2>
  <label><input type="checkbox" id="sonae-layer-support"> 要支援者（名簿）</label>
  <label><input type="checkbox" id="sonae-layer-dwellings" {dwellings_disabled}>
    住家被害（被災者台帳）{dwellings_note}</label>
  <fieldset id="sonae-damage-filters" {dwellings_disabled}>
    <legend>被害の絞り込み</legend>
    {levels}
    <label>証明書 <select id="sonae-filter-certificate"><option value="">すべて</option></select>
    </label>
    <label>支援 <select id="sonae-filter-support"><option value="">すべて</option></select>
    </label>
    <label>町丁目 <select id="sonae-filter-chome"><option value="">すべて</option></select>
    </label>
  </fieldset>
  <div id="sonae-card" hidden></div>
</section>
"""

PANEL_CSS = """
html, body { margin: 0; }
#sonae_map { width: calc(100% - 340px) !important; }
#sonae-panel { position: fixed; top: 0; right: 0; bottom: 0; width: 340px; overflow-y: auto;
  box-sizing: border-box; padding: 10px 12px; background: #fff; border-left: 1px solid #bbb;
  font: 13px/1.45 "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", Meiryo, sans-serif; }
#sonae-panel h1 { font-size: 16px; margin: 0 0 2px; }
#sonae-panel h2 { font-size: 13px; margin: 10px 0 4px; border-bottom: 1px solid #ddd; }
#sonae-panel .sonae-role, #sonae-panel .sonae-updated { color: #555; margin: 2px 0; }
.sonae-figure { margin: 6px 0; padding: 6px 8px; border-radius: 4px; background: #f4f5f7; }
.sonae-figure h3 { font-size: 12px; margin: 0 0 2px; color: #333; }
.sonae-figure .value { font-size: 18px; font-weight: bold; }
.sonae-figure.missing .value { color: #888; font-size: 14px; }
#sonae-people label { display: block; }
#sonae-damage-filters { margin-top: 6px; font-size: 12px; }
.sonae-swatch-inline { display: inline-block; width: 10px; height: 10px; margin-right: 3px;
  border: 1px solid #666; }
#sonae-card { margin-top: 8px; padding: 6px; border: 1px solid #999; border-radius: 4px; }
#sonae-card table { border-collapse: collapse; font-size: 12px; }
#sonae-card th { text-align: left; font-weight: normal; color: #555; padding-right: 6px; }
#sonae-events ul { list-style: none; margin: 0; padding: 0; }
#sonae-events li { margin: 2px 0; }
#sonae-events a[aria-current] { font-weight: bold; color: #000; text-decoration: none; }
#sonae-events a[aria-current]::before { content: "▶ "; }
#sonae-events .sonae-note { color: #555; font-size: 11px; margin: 2px 0; }
"""


def dashboard_html(
    *,
    session: Session,
    principal: Principal,
    municipality_code: str,
    refresh_seconds: int = REFRESH_SECONDS,
    event_id: int | None = None,
) -> str:
    """The page for the event chosen (event_id; another city's is not found), else for the
    default event, which the page's scripts then ask the server for at every refresh."""
    people = sees_people(principal)
    shown = chosen_event(session=session, municipality_code=municipality_code, event_id=event_id)
    events = open_events(session=session, municipality_code=municipality_code)
    name, page = _map_page(session, municipality_code, people)
    base = f"/dashboard/{quote(municipality_code)}?refresh={refresh_seconds}"
    menu = event_menu(events, shown=shown, chosen=event_id is not None, base=base)
    panel = _panel(principal, municipality_code, name, people, refresh_seconds)
    panel = panel.replace(EVENTS_MARK, menu, 1)
    if event_id is not None:
        panel = panel.replace('data-event=""', f'data-event="{event_id}"', 1)
        page = _preload_for(page, municipality_code, event_id)
    # The panel holds no script, so the page's CSP hashes stay those of the cached base.
    return page.replace(PANEL_MARK, panel, 1)


EVENTS_MARK = "<!-- sonae-events -->"
DEFAULT_EVENT_NOTE = "自動選択：発令中の災害のうち影響町丁目数の最も多いもの"


def event_menu(
    events: list[DisasterEvent], *, shown: DisasterEvent | None, chosen: bool, base: str
) -> str:
    """The open events as links to their dashboard (the one shown marked), and a link back to
    the default choice; nothing while no event is open or chosen."""
    if shown is not None and shown not in events:
        events = [*events, shown]  # a closed event, chosen explicitly
    if not events:
        return ""

    def item(href: str, label: str, current: bool) -> str:
        mark = ' aria-current="page"' if current else ""
        return f'<li><a href="{escape(href)}"{mark}>{escape(label)}</a></li>'

    def label(event: DisasterEvent) -> str:
        return event_label(event) + ("（自動選択中）" if not chosen and event is shown else "")

    items = [item(base, "自動選択（既定）", not chosen)]
    items += [item(f"{base}&event={e.id}", label(e), chosen and e is shown) for e in events]
    note = "" if chosen else f'<p class="sonae-note">{DEFAULT_EVENT_NOTE}</p>'
    # The script compares these with the open events of each refresh (a new one declared).
    ids = ",".join(str(e.id) for e in events if e.closed_at is None)
    return (
        f'<nav id="sonae-events" aria-label="表示する災害" data-open="{ids}">'
        f"<h2>表示する災害</h2><ul>{''.join(items)}</ul>{note}"
        '<p class="sonae-note" id="sonae-events-changed" hidden>'
        "発令中の災害が変わりました。再読み込みで一覧を更新します。</p></nav>"
    )


def event_label(event: DisasterEvent) -> str:
    closed = "・終了" if event.closed_at is not None else ""
    return (
        f"{event.name}（{EVENT_HAZARD_LABELS[event.hazard]}・{PHASE_LABELS[event.phase]}"
        f"・{len(event.affected_chome or [])}町丁目{closed}）"
    )


def _preload_for(page: str, municipality_code: str, event_id: int) -> str:
    """The cached base preloads the default event's rows; this page fetches the chosen one's."""
    api = f"/api/dashboard/{escape(municipality_code)}"
    for name in PRELOADED:
        page = page.replace(f'href="{api}/{name}"', f'href="{api}/{name}?event={event_id}"', 1)
    return page


PANEL_MARK = "<!-- sonae-panel -->"
_base_cache: dict[tuple[str, bool], tuple[tuple[Any, ...], str, str]] = {}
_render_lock = threading.Lock()


def data_version(*, session: Session, municipality_code: str) -> tuple[Any, ...]:
    """What the base map is drawn from changes only on import, and every import leaves an
    ImportRecord: their count and newest id name the version (one indexed aggregate)."""
    row = session.execute(
        select(func.count(), func.max(ImportRecord.id)).where(
            ImportRecord.municipality_code == municipality_code
        )
    ).one()
    return tuple(row)


def _map_page(session: Session, municipality_code: str, people: bool) -> tuple[str, str]:
    """(city name, rendered base page with PANEL_MARK) for the role class.

    Rendered once per data version and provider registration (REGISTRY.version: the legend
    says which layers are 未集計), then kept: the live layers come from the page's script.
    One render at a time, so a crowd arriving after an import waits for one render, not many.
    """
    key = (municipality_code, people)
    version = (
        REGISTRY.version,
        *data_version(session=session, municipality_code=municipality_code),
    )
    cached = _base_cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1], cached[2]
    with _render_lock:
        cached = _base_cache.get(key)
        if cached is not None and cached[0] == version:
            return cached[1], cached[2]
        name, page = _render_base(session, municipality_code, people)
        _base_cache[key] = (version, name, page)
    return name, page


def _render_base(session: Session, municipality_code: str, people: bool) -> tuple[str, str]:
    settings = get_settings()
    city = city_layers(session=session, municipality_code=municipality_code)
    dashboard = build_dashboard_base(
        city,
        search_places(session=session, municipality_code=municipality_code),
        safety_available=REGISTRY.safety_by_chome is not None,
        damage_available=REGISTRY.dwellings is not None,
        tiles_url=settings.base_tiles_url,
        tiles_attribution=settings.base_tiles_attribution,
    )
    figure = dashboard.get_root()
    assert isinstance(figure, Figure)
    figure.title = escape(f"{city.municipality_name} 災害対策本部ダッシュボード（Sonae）")
    figure.header.add_child(Element(f"<style>{PANEL_CSS}</style>"), name="sonae_panel_css")
    # The live rows are fetched while the page is still parsed, not after its scripts ran.
    api = f"/api/dashboard/{escape(municipality_code)}"
    preload = "".join(
        f'<link rel="preload" href="{api}/{name}" as="fetch" crossorigin>' for name in PRELOADED
    )
    figure.header.add_child(Element(preload), name="sonae_preload", index=0)
    vector_grid = "/static/vendor/vectorgrid/Leaflet.VectorGrid.bundled.min.js"
    scripts = f'<script src="{vector_grid}" defer></script>' if people else ""
    # dashboard.js first: it creates window.sonaeDashboard, which live_layers.js reports to.
    scripts += f'<script src="{STATIC_PREFIX}/dashboard.js" defer></script>'
    scripts += f'<script src="{STATIC_PREFIX}/live_layers.js" defer></script>'
    figure.header.add_child(Element(scripts), name="sonae_dashboard_js")
    figure.html.add_child(Element(PANEL_MARK), name="sonae_panel")
    return city.municipality_name, figure.render()


REWARM_SECONDS = 20.0
"""How often the served app looks for a new data version (one indexed aggregate per city)."""


def warm_up(
    sessions: sessionmaker[Session],
    *,
    every: float = REWARM_SECONDS,
    stop: threading.Event | None = None,
) -> threading.Thread:
    """Render the base map of every imported city, for both role classes, off the request
    path, at start and again within `every` seconds of an import: the first visitor after a
    start or an import then finds it ready (served app only). `stop` ends the loop (tests)."""
    stopping = stop or threading.Event()

    def run() -> None:
        while True:
            warm_all(sessions)
            if stopping.wait(every):
                return

    thread = threading.Thread(target=run, name="dashboard-warm-up", daemon=True)
    thread.start()
    return thread


def warm_all(sessions: sessionmaker[Session]) -> int:
    """Render what is missing or out of date; returns how many cities were looked at."""
    try:
        with sessions() as session:
            codes = list(session.scalars(select(ImportRecord.municipality_code).distinct()))
            for code in codes:
                for people in (True, False):
                    _map_page(session, code, people)
            return len(codes)
    except Exception:  # only means that the next visitor renders it
        log.warning("dashboard warm-up failed", exc_info=True)
        return 0


def clear_map_cache() -> None:
    """Forget rendered base maps and list counts (tests: each builds its own data, without
    imports)."""
    with _render_lock:
        _base_cache.clear()
    aggregates.forget_support_counts()


def _panel(principal: Principal, code: str, city: str, people: bool, refresh: int) -> str:
    dwellings = REGISTRY.dwellings is not None
    controls = ""
    if people:
        levels = "".join(
            f'<label><input type="checkbox" class="sonae-filter-level" value="{level}" checked>'
            f'<span class="sonae-swatch-inline" style="background:{DAMAGE_LEVEL_COLOURS[level]}">'
            f"</span>{escape(DAMAGE_LEVEL_LABELS[level])}</label>"
            for level in DAMAGE_LEVELS
        )
        controls = PEOPLE_CONTROLS.format(
            levels=levels,
            dwellings_disabled="" if dwellings else "disabled",
            dwellings_note="" if dwellings else "：未集計",
        )
    roles = "・".join(ROLE_LABELS[r] for r in sorted(principal.roles))
    return PANEL.format(
        code=escape(code),
        refresh=refresh,
        people="1" if people else "0",
        dwellings="1" if dwellings else "0",
        city=escape(city),
        user=escape(principal.username),
        roles=escape(roles),
        people_controls=controls,
        event="",
        events=EVENTS_MARK,
    )
