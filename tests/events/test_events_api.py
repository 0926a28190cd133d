"""Events and safety confirmation over HTTP: roles, districts, refusals and the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from event_town import NORTH, SOUTH, STRUCK
from sonae.audit.models import AuditEntry
from sonae.event.clock import server_clock
from sonae.event.models import DisasterEvent
from sonae.security.roles import Role
from support.factory import Town

Headers = Callable[..., dict[str, str]]


def declare(client: TestClient, headers: dict[str, str], chome: list[str]) -> dict[str, object]:
    response = client.post(
        "/api/events",
        json={
            "name": "テスト地震",
            "hazard": "earthquake",
            "started_at": STRUCK.isoformat(),
            "chome": chome,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_headquarters_declare_and_move_an_event(
    town: Town, client: TestClient, auth_headers: Headers
) -> None:
    hq = auth_headers(Role.hq, municipality_code=town.code)
    event = declare(client, hq, [NORTH])
    assert (event["phase"], event["phase_label"]) == ("initial_response", "初動対応")
    assert event["next_phases"] == ["sheltering", "closed"]
    moved = client.post(
        f"/api/events/{event['id']}/phase",
        json={"to_phase": "sheltering", "reason": "避難所開設"},
        headers=hq,
    )
    assert moved.status_code == 200
    assert [h["to_phase"] for h in moved.json()["history"]] == ["initial_response", "sheltering"]
    backwards = client.post(
        f"/api/events/{event['id']}/phase",
        json={"to_phase": "initial_response", "reason": "戻す"},
        headers=hq,
    )
    assert backwards.status_code == 409
    assert "backwards" in backwards.json()["detail"]


def test_only_headquarters_declare_and_other_cities_do_not_see_the_event(
    town: Town, client: TestClient, auth_headers: Headers
) -> None:
    welfare = auth_headers(Role.welfare, municipality_code=town.code)
    refused = client.post(
        "/api/events",
        json={"name": "x", "hazard": "flood", "started_at": STRUCK.isoformat(), "chome": [NORTH]},
        headers=welfare,
    )
    assert refused.status_code == 403
    event = declare(client, auth_headers(Role.hq, municipality_code=town.code), [NORTH])
    elsewhere = auth_headers(Role.hq)  # Urayasu's headquarters
    assert client.get(f"/api/events/{event['id']}", headers=elsewhere).status_code == 404


def test_a_supporter_works_their_own_district_only(
    town: Town, client: TestClient, auth_headers: Headers
) -> None:
    event = declare(client, auth_headers(Role.hq, municipality_code=town.code), [NORTH, SOUTH])
    supporter = auth_headers(Role.supporter, municipality_code=town.code, district="北町")
    base = f"/api/events/{event['id']}/safety"
    progress = client.get(f"{base}/progress", headers=supporter).json()
    assert [d["district"] for d in progress["districts"]] == ["北町"]
    assert client.get(f"{base}/progress?district=南町", headers=supporter).status_code == 403

    report = {"status": "safe", "source": "visit", "observed_at": STRUCK.isoformat()}
    south = town.people["south-a"].id
    refused = client.post(f"{base}/reports", json={**report, "person_id": south}, headers=supporter)
    assert refused.status_code == 403
    north = town.people["north-a"].id
    done = client.post(f"{base}/reports", json={**report, "person_id": north}, headers=supporter)
    assert done.status_code == 201 and done.json()["status_label"] == "無事"
    after = client.get(f"{base}/progress", headers=supporter).json()["districts"][0]
    assert (after["tasks"], after["confirmed"]) == (3, 1)


def test_reading_tasks_is_audited_with_the_people_shown(
    town: Town, client: TestClient, auth_headers: Headers
) -> None:
    hq = auth_headers(Role.hq, municipality_code=town.code)
    event = declare(client, hq, [NORTH])
    tasks = client.get(f"/api/events/{event['id']}/safety/tasks", headers=hq)
    assert tasks.status_code == 200
    shown = {t["person_id"] for t in tasks.json()}
    assert shown == {town.people[n].id for n in ("north-care", "north-a", "north-b")}
    entry = town.session.scalars(
        select(AuditEntry).where(AuditEntry.resource == f"event/{event['id']}/safety/tasks")
    ).one()
    assert (entry.action, set(entry.person_ids)) == ("read", shown)
    assert "name" in entry.fields


def test_a_start_time_in_the_future_is_refused(
    town: Town, client: TestClient, auth_headers: Headers
) -> None:
    hq = auth_headers(Role.hq, municipality_code=town.code)
    a_year_on = server_clock(town.session) + timedelta(days=365)
    body = {"name": "テスト地震", "hazard": "earthquake", "chome": [NORTH]}
    refused = client.post(
        "/api/events", json={**body, "started_at": a_year_on.isoformat()}, headers=hq
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"].startswith("field 'started_at': in the future")
    assert town.session.scalars(select(DisasterEvent)).first() is None
