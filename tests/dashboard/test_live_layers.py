"""The thematic layers as rows (GET /api/dashboard/{code}/layers) and the base page's cache.

The page is rendered once per data version (imports) and provider registration; what changes
by the minute comes as rows, with the same privacy rules as the rest of the dashboard.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from dashboard_rows import BIG_MESH, BIG_SPOT, SMALL_MESH, URAYASU, ListedTown
from sonae.dashboard import page, providers
from sonae.dashboard.providers import SafetyCounts
from sonae.municipality.models import ImportRecord
from sonae.security.roles import Role

Headers = Callable[..., dict[str, str]]


def _layers(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = client.get(f"/api/dashboard/{URAYASU}/layers", headers=headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_supporter_gets_counts_with_small_ones_suppressed_and_no_name(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown
) -> None:
    response = client.get(
        f"/api/dashboard/{URAYASU}/layers", headers=auth_headers(Role.supporter, district="当代島")
    )
    assert "試験" not in response.text and json.dumps("試験")[1:-1] not in response.text
    data = response.json()
    by_chome = {row["key"]: row["shown"] for row in data["support_chome"]}
    assert by_chome[listed_town.big_chome.key_code] == "5人"
    assert by_chome[listed_town.small_chome.key_code] == "3未満"
    assert {row["key"]: row["shown"] for row in data["support_mesh"]} == {
        BIG_MESH: "5人",
        SMALL_MESH: "3未満",
    }
    assert "3未満（秘匿）" in data["legend_html"]
    assert data["safety_chome"] is None and data["damage_chome"] is None  # no provider
    assert "住家被害（町丁目）：未集計" in data["legend_html"]


def test_hq_gets_exact_counts_and_mesh_squares(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown
) -> None:
    data = _layers(client, auth_headers(Role.hq))
    by_chome = {row["key"]: row["shown"] for row in data["support_chome"]}
    assert by_chome[listed_town.small_chome.key_code] == "2人"
    west, south, east, north = next(r for r in data["support_mesh"] if r["key"] == BIG_MESH)[
        "bounds"
    ]
    assert west <= BIG_SPOT[0] < east and south <= BIG_SPOT[1] < north
    shelter = data["shelters"][0]
    assert {"lat", "lon", "radius", "fill_color", "name", "rows"} <= set(shelter)
    assert dict(map(tuple, shelter["rows"]))["避難者数"] == "未集計"


def test_a_provider_feeds_the_rows_without_a_new_page(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown
) -> None:
    headers = auth_headers(Role.supporter, district="当代島")
    key = listed_town.big_chome.key_code

    def safety(**_: Any) -> dict[str, SafetyCounts]:
        return {key: SafetyCounts(confirmed=1, total=2)}

    providers.register_safety_by_chome(safety)
    rows = _layers(client, headers)["safety_chome"]
    assert rows == [
        {"key": key, "label": listed_town.big_chome.name, "shown": "3未満", "colour": "#e0e0e0"}
    ]


def test_auditor_and_other_cities_get_no_rows(client: TestClient, auth_headers: Headers) -> None:
    auditor = auth_headers(Role.auditor)
    assert client.get(f"/api/dashboard/{URAYASU}/layers", headers=auditor).status_code == 403
    hq = auth_headers(Role.hq)
    assert client.get("/api/dashboard/282049/layers", headers=hq).status_code == 403


def test_the_page_holds_no_count_and_is_rendered_once_per_data_version(
    client: TestClient,
    auth_headers: Headers,
    listed_town: ListedTown,
    session: Session,
    renders: list[str],
) -> None:
    headers = auth_headers(Role.hq)
    first = client.get(f"/dashboard/{URAYASU}", headers=headers).text
    name = "要支援者数（町丁目）"  # the layer's group, empty until the page fetches its rows
    assert name in first or json.dumps(name)[1:-1] in first
    assert "sonae-support-chome" not in first  # no count drawn into the page itself
    client.get(f"/dashboard/{URAYASU}", headers=headers)
    assert renders == [URAYASU]
    record_an_import(session)
    client.get(f"/dashboard/{URAYASU}", headers=headers)
    assert renders == [URAYASU, URAYASU]  # an import: drawn again


def test_the_served_app_draws_the_base_again_after_an_import_before_anyone_looks(
    session: Session, renders: list[str]
) -> None:
    sessions = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    page.clear_map_cache()
    assert page.warm_all(sessions) == 1  # the test database holds Urayasu only
    assert renders == [URAYASU, URAYASU]  # both role classes (person-level or not)
    page.warm_all(sessions)
    assert len(renders) == 2  # same data version: nothing drawn
    record_an_import(session)
    page.warm_all(sessions)  # what the warm-up loop does every REWARM_SECONDS
    assert renders == [URAYASU] * 4


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The municipality codes of the base maps rendered during the test, in order."""
    rendered: list[str] = []
    render = page._render_base

    def counting(*args: Any) -> tuple[str, str]:
        rendered.append(args[1])
        return render(*args)

    monkeypatch.setattr(page, "_render_base", counting)
    return rendered


def record_an_import(session: Session) -> None:
    """What every import leaves behind: a new ImportRecord, so a new data version."""
    session.add(
        ImportRecord(
            municipality_code=URAYASU,
            layer="chome",
            file_name="test.geojson",
            sha256="0" * 64,
            feature_count=1,
        )
    )
    session.flush()
