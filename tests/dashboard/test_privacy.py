"""Privacy by role, over HTTP: counts for everyone, people for hq and welfare only, audited."""

from __future__ import annotations

import json
from collections.abc import Callable

import mapbox_vector_tile
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard_rows import BIG_MESH, BIG_SPOT, SMALL_MESH, URAYASU, ListedTown, tile_of
from sonae.audit.models import AuditEntry
from sonae.security.roles import Role

Headers = Callable[..., dict[str, str]]


def _counts(client: TestClient, headers: dict[str, str], by: str) -> dict[str, int | None]:
    response = client.get(f"/api/dashboard/{URAYASU}/support-counts?by={by}", headers=headers)
    assert response.status_code == 200, response.text
    return {f["properties"]["key"]: f["properties"]["count"] for f in response.json()["features"]}


def _audits(session: Session, resource: str, town: ListedTown) -> list[AuditEntry]:
    """This test's entries: the trail is append-only, other tests' entries stay in it."""
    return list(
        session.scalars(
            select(AuditEntry).where(
                AuditEntry.resource == resource,
                AuditEntry.person_ids.overlap([*town.big_ids, *town.small_ids]),
            )
        )
    )


def test_supporter_sees_counts_with_small_ones_suppressed(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown
) -> None:
    supporter = auth_headers(Role.supporter, district="当代島")
    by_chome = _counts(client, supporter, "chome")
    assert by_chome[listed_town.big_chome.key_code] == 5
    assert by_chome[listed_town.small_chome.key_code] is None  # 2 people: suppressed
    assert sum(1 for v in by_chome.values() if v == 0) == len(by_chome) - 2
    assert _counts(client, supporter, "mesh") == {BIG_MESH: 5, SMALL_MESH: None}


def test_hq_sees_exact_counts(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown
) -> None:
    hq = auth_headers(Role.hq)
    assert _counts(client, hq, "mesh") == {BIG_MESH: 5, SMALL_MESH: 2}
    assert _counts(client, hq, "chome")[listed_town.small_chome.key_code] == 2


def test_mesh_cells_are_the_250m_squares(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown
) -> None:
    response = client.get(
        f"/api/dashboard/{URAYASU}/support-counts?by=mesh", headers=auth_headers(Role.welfare)
    )
    cell = next(f for f in response.json()["features"] if f["id"] == BIG_MESH)
    ring = cell["geometry"]["coordinates"][0]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    assert min(lons) <= BIG_SPOT[0] < max(lons) and min(lats) <= BIG_SPOT[1] < max(lats)


def test_supporter_gets_no_person_level_tile_or_card(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown
) -> None:
    supporter = auth_headers(Role.supporter, district="当代島")
    x, y = tile_of(*BIG_SPOT, 16)
    assert (
        client.get(f"/api/tiles/{URAYASU}/support/16/{x}/{y}.pbf", headers=supporter).status_code
        == 403
    )
    card = client.get(
        f"/api/dashboard/{URAYASU}/households/{listed_town.household}", headers=supporter
    )
    assert card.status_code == 403


def test_hq_tile_holds_the_people_and_the_read_is_audited(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown, session: Session
) -> None:
    x, y = tile_of(*BIG_SPOT, 17)
    response = client.get(
        f"/api/tiles/{URAYASU}/support/17/{x}/{y}.pbf", headers=auth_headers(Role.hq)
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    decoded = mapbox_vector_tile.decode(response.content)
    features = decoded["support"]["features"]
    ids = {f["id"] for f in features}
    assert set(listed_town.big_ids) <= ids
    assert all(set(f["properties"]) == {"household_number", "priority"} for f in features)
    # Five people at one point are spread on the display spiral: five distinct positions.
    positions = {
        tuple(f["geometry"]["coordinates"]) for f in features if f["id"] in listed_town.big_ids
    }
    assert len(positions) == 5
    (entry,) = _audits(session, "dashboard.tile.support", listed_town)
    assert sorted(entry.person_ids) == sorted(ids)
    assert entry.detail["tile"] == f"17/{x}/{y}"


def test_city_wide_tile_holds_clusters_not_people(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown, session: Session
) -> None:
    x, y = tile_of(*BIG_SPOT, 11)
    response = client.get(
        f"/api/tiles/{URAYASU}/support/11/{x}/{y}.pbf", headers=auth_headers(Role.hq)
    )
    features = mapbox_vector_tile.decode(response.content)["support"]["features"]
    assert sum(f["properties"]["count"] for f in features) == 7
    assert all("household_number" not in f["properties"] for f in features)
    assert _audits(session, "dashboard.tile.support", listed_town) == []  # no person in it


def test_household_card_for_hq_is_audited(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown, session: Session
) -> None:
    response = client.get(
        f"/api/dashboard/{URAYASU}/households/{listed_town.household}",
        headers=auth_headers(Role.hq),
    )
    assert response.status_code == 200, response.text
    card = response.json()
    members = {m["name"]: m["on_support_list"] for m in card["members"]}
    assert members == {"試験　大0": True, "試験　家族": False}
    assert card["damage_level"] is None  # no dwelling provider registered yet
    (entry,) = _audits(session, "dashboard.household_card", listed_town)
    assert sorted(entry.person_ids) == sorted([listed_town.big_ids[0], listed_town.unlisted_id])


def test_auditor_and_admin_have_no_dashboard(client: TestClient, auth_headers: Headers) -> None:
    for role in (Role.auditor, Role.admin):
        headers = auth_headers(role)
        assert client.get(f"/api/dashboard/{URAYASU}/figures", headers=headers).status_code == 403
        assert client.get(f"/dashboard/{URAYASU}", headers=headers).status_code == 403


def test_other_municipality_is_refused(client: TestClient, auth_headers: Headers) -> None:
    response = client.get("/api/dashboard/282049/figures", headers=auth_headers(Role.hq))
    assert response.status_code == 403


def test_supporter_page_has_no_person_controls(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown
) -> None:
    page = client.get(
        f"/dashboard/{URAYASU}", headers=auth_headers(Role.supporter, district="当代島")
    )
    assert page.status_code == 200
    assert 'data-people="0"' in page.text
    assert "sonae-layer-support" not in page.text and "VectorGrid" not in page.text
    # No name anywhere in the page, as HTML or JSON-escaped inside folium's script.
    assert "試験" not in page.text and json.dumps("試験")[1:-1] not in page.text
    hq_page = client.get(f"/dashboard/{URAYASU}", headers=auth_headers(Role.hq))
    assert 'data-people="1"' in hq_page.text
    assert "試験" not in hq_page.text and json.dumps("試験")[1:-1] not in hq_page.text
