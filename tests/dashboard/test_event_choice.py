"""Several open events: the dashboard shows the widest unless one is chosen, and lists the others.

A city-wide earthquake (declared first, 13 certificates) and a flood in one chome (declared
after, none): the flood must not hide the earthquake, and either can be chosen with ?event=ID on
the page, its API, its tiles and the briefing export.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import typer
from damage.factory import make_event
from fastapi.testclient import TestClient
from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from dashboard_rows import BIG_SPOT, URAYASU, ListedTown, tile_of
from sonae.chome.models import Chome
from sonae.cli import dashboard as dashboard_cli
from sonae.dashboard import providers
from sonae.dashboard.export import export_html
from sonae.dashboard.figures import figures
from sonae.dashboard.providers import FigureLine, FigureSlot, SafetyCounts
from sonae.errors import NotFoundError
from sonae.event.models import DisasterEvent, EventHazard
from sonae.security.roles import Role
from sonae_maps import assets_installed
from support.factory import Town

Headers = Callable[..., dict[str, str]]
CERTIFICATES = {"地震": 13, "水害": 0}


@pytest.fixture
def events(session: Session, listed_town: ListedTown) -> dict[str, DisasterEvent]:
    """地震: every chome of Urayasu, declared first; 水害: one chome, declared after."""
    keys = list(
        session.scalars(select(Chome.key_code).where(Chome.municipality_code == URAYASU).limit(20))
    )
    quake = make_event(session, name="地震")
    quake.affected_chome = keys
    flood = make_event(session, name="水害", hazard=EventHazard.flood)
    flood.affected_chome = [listed_town.small_chome.key_code]
    session.flush()
    by_id = {quake.id: "地震", flood.id: "水害"}

    def certificates(*, event_id: int | None, **_: Any) -> list[FigureLine]:
        issued = CERTIFICATES[by_id[event_id]] if event_id else 0
        return [FigureLine("交付済", issued, unit="件")]

    def safety(*, event_id: int | None, **_: Any) -> dict[str, SafetyCounts]:
        confirmed = CERTIFICATES[by_id[event_id]] if event_id else 0
        return {listed_town.big_chome.key_code: SafetyCounts(confirmed=confirmed, total=20)}

    providers.register_figure(FigureSlot.certificates, certificates)
    providers.register_safety_by_chome(safety)
    return {"地震": quake, "水害": flood}


def _issued(body: dict[str, Any]) -> int:
    slot = next(s for s in body["slots"] if s["slot"] == "certificates")
    value: int = slot["lines"][0]["value"]
    return value


def test_the_widest_open_event_is_shown_by_default_and_all_open_ones_are_listed(
    session: Session, events: dict[str, DisasterEvent]
) -> None:
    shown = figures(session=session, municipality_code=URAYASU)
    assert shown.event is not None and shown.event.name == "地震"
    assert shown.event_chosen is False
    assert [e.name for e in shown.open_events] == ["地震", "水害"]
    chosen = figures(session=session, municipality_code=URAYASU, event_id=events["水害"].id)
    assert chosen.event is not None and chosen.event.name == "水害" and chosen.event_chosen
    # Among events as wide, the latest declared.
    events["水害"].affected_chome = list(events["地震"].affected_chome)
    session.flush()
    shown = figures(session=session, municipality_code=URAYASU)
    assert shown.event is not None and shown.event.name == "水害"


def test_the_api_takes_the_event_and_refuses_one_of_another_city(
    session: Session,
    client: TestClient,
    auth_headers: Headers,
    events: dict[str, DisasterEvent],
) -> None:
    hq = auth_headers(Role.hq)
    url = f"/api/dashboard/{URAYASU}/figures"
    default = client.get(url, headers=hq).json()
    assert (default["event"]["name"], _issued(default)) == ("地震", 13)
    flood = client.get(url, params={"event": events["水害"].id}, headers=hq).json()
    assert (flood["event"]["name"], _issued(flood)) == ("水害", 0)

    layers = f"/api/dashboard/{URAYASU}/layers"
    for name, confirmed in CERTIFICATES.items():
        rows = client.get(layers, params={"event": events[name].id}, headers=hq).json()
        assert [r["shown"] for r in rows["safety_chome"]] == [f"{confirmed} / 20人"]

    other = make_event(session, code=Town.create(session).code)
    for path in ("figures", "layers", "dwelling-options"):
        refused = client.get(
            f"/api/dashboard/{URAYASU}/{path}", params={"event": other.id}, headers=hq
        )
        assert refused.status_code == 404, (path, refused.text)
    assert client.get(url, params={"event": 0}, headers=hq).status_code == 422


def test_the_page_lists_the_open_events_and_pins_the_chosen_one(
    client: TestClient, auth_headers: Headers, events: dict[str, DisasterEvent]
) -> None:
    hq = auth_headers(Role.hq)
    quake, flood = events["地震"].id, events["水害"].id
    page = client.get(f"/dashboard/{URAYASU}", headers=hq)
    assert page.status_code == 200, page.text
    menu = _menu(page.text)
    assert f'href="/dashboard/{URAYASU}?refresh=30&amp;event={quake}"' in menu
    assert f'href="/dashboard/{URAYASU}?refresh=30&amp;event={flood}"' in menu
    assert "地震（地震・" in menu and "（自動選択中）" in menu.split("水害")[0]
    assert 'aria-current="page">自動選択（既定）' in menu
    assert 'data-event=""' in page.text

    chosen = client.get(f"/dashboard/{URAYASU}", params={"event": flood}, headers=hq).text
    menu = _menu(chosen)
    assert re.search(rf'event={flood}" aria-current="page">水害（洪水・', menu), menu
    assert "自動選択中" not in menu
    assert f'data-event="{flood}"' in chosen
    # The page's scripts fetch the chosen event's rows, so that is what is preloaded.
    assert f'href="/api/dashboard/{URAYASU}/layers?event={flood}"' in chosen
    assert f'href="/api/dashboard/{URAYASU}/figures?event={flood}"' in chosen
    missing = client.get(f"/dashboard/{URAYASU}", params={"event": flood + 1000}, headers=hq)
    assert missing.status_code == 404


def _menu(page: str) -> str:
    found = re.search(r'<nav id="sonae-events".*?</nav>', page, re.S)
    assert found is not None, "no event menu on the page"
    return found[0]


def test_dwelling_tiles_options_and_card_are_of_the_chosen_event(
    client: TestClient,
    auth_headers: Headers,
    events: dict[str, DisasterEvent],
    listed_town: ListedTown,
) -> None:
    asked: list[int | None] = []

    def dwellings(*, municipality_code: str, event_id: int | None) -> Select[Any]:
        asked.append(event_id)
        return select(
            literal(1).label("dwelling_id"),
            literal(listed_town.household).label("household_number"),
            literal(listed_town.big_chome.key_code).label("chome_key_code"),
            literal("half").label("damage_level"),
            literal("交付済").label("certificate_status"),
            literal("未申請").label("support_status"),
            func.ST_SetSRID(func.ST_MakePoint(*BIG_SPOT), 6668).label("geometry"),
        )

    providers.register_dwellings(dwellings)
    hq = auth_headers(Role.hq)
    flood = {"event": events["水害"].id}
    base = f"/api/dashboard/{URAYASU}"
    assert client.get(f"{base}/dwelling-options", params=flood, headers=hq).status_code == 200
    card = client.get(f"{base}/households/{listed_town.household}", params=flood, headers=hq)
    assert card.status_code == 200 and card.json()["damage_level"] == "half"
    x, y = tile_of(*BIG_SPOT, 16)
    tile = client.get(f"/api/tiles/{URAYASU}/dwellings/16/{x}/{y}.pbf", params=flood, headers=hq)
    assert tile.status_code == 200
    client.get(f"{base}/dwelling-options", headers=hq)
    assert asked == [events["水害"].id] * 3 + [events["地震"].id]


def shows(page: str, text: str) -> bool:
    """Text in the page as HTML or inside a script (where folium writes it JSON-escaped)."""
    return text in page or json.dumps(text)[1:-1] in page


@pytest.fixture
def export_ready() -> None:
    if not assets_installed():
        pytest.skip("map assets missing: run make install")


@pytest.mark.usefixtures("export_ready")
def test_the_export_is_of_the_chosen_event_from_the_service_and_the_command_line(
    session: Session,
    events: dict[str, DisasterEvent],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    assert shows(export_html(session=session, municipality_code=URAYASU), "地震（")
    flood = export_html(session=session, municipality_code=URAYASU, event_id=events["水害"].id)
    assert shows(flood, "水害（") and not shows(flood, "地震（")
    with pytest.raises(NotFoundError):
        export_html(session=session, municipality_code=URAYASU, event_id=events["水害"].id + 1000)

    @contextmanager
    def this_session() -> Iterator[Session]:
        yield session

    monkeypatch.setattr(dashboard_cli, "unit_of_work", this_session)
    app = typer.Typer()
    app.add_typer(dashboard_cli.app, name="dashboard")
    out = tmp_path / "flood.html"
    result = CliRunner().invoke(
        app,
        ["dashboard", "export", "-o", str(out), "-m", URAYASU, "--event", str(events["水害"].id)],
    )
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    assert shows(written, "水害（") and not shows(written, "地震（")
