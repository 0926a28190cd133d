"""Events and safety confirmation over HTTP: roles, districts, refusals and the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from accounts import Credentials
from event_town import NORTH, SOUTH, STRUCK
from sonae.audit.models import AuditEntry
from sonae.event.clock import server_clock
from sonae.event.models import DisasterEvent
from sonae.japan_time import JST
from sonae.safety.models import SafetyReport
from sonae.security.roles import Role
from sonae.support.build import build_support_list
from support.factory import AS_OF, Town

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


def test_a_second_small_event_neither_shrinks_nor_ends_the_disaster_mode_of_the_first(
    town: Town, client: TestClient, auth_headers: Headers
) -> None:
    build = build_support_list(
        session=town.session, municipality_code=town.code, built_by="t", as_of=AS_OF
    )
    hq = auth_headers(Role.hq, municipality_code=town.code)
    supporter = auth_headers(Role.supporter, municipality_code=town.code, district="北町")
    city_wide = declare(client, hq, [NORTH, SOUTH])
    small = declare(client, hq, [SOUTH])
    url = f"/api/support-lists/{build.id}/extract"
    listed_north = town.people["north-care"].id  # nobody has consented

    def given() -> list[int]:
        response = client.get(url, params={"mode": "disaster"}, headers=supporter)
        assert response.status_code == 200, response.text
        return [row["person_id"] for row in response.json()["rows"]]

    assert given() == [listed_north]
    mode = client.get("/api/disaster-mode", headers=supporter).json()
    assert mode["active"] is True
    assert [h["event_id"] for h in mode["held_by"]] == [city_wide["id"], small["id"]]
    assert mode["affected_chome"] == [NORTH, SOUTH]

    closed = client.post(
        f"/api/events/{small['id']}/phase",
        json={"to_phase": "closed", "reason": "終息"},
        headers=hq,
    )
    assert closed.status_code == 200, closed.text
    mode = client.get("/api/disaster-mode", headers=supporter).json()
    assert mode["active"] is True
    assert [(h["event_id"], h["affected_chome"]) for h in mode["held_by"]] == [
        (city_wide["id"], [NORTH, SOUTH])
    ]
    assert given() == [listed_north]


def test_a_blank_name_or_a_start_before_the_law_sonae_follows_is_refused(
    town: Town, client: TestClient, auth_headers: Headers
) -> None:
    """1900-01-01 was accepted, and the event's certificate statistics then always failed."""
    hq = auth_headers(Role.hq, municipality_code=town.code)
    body = {"name": "テスト地震", "hazard": "earthquake", "chome": [NORTH]}
    # 2013-06-21 in Japan begins at 15:00 UTC the day before
    the_day_before = datetime(2013, 6, 20, 23, 59, tzinfo=JST)
    for changed, field in (
        ({"started_at": "1900-01-01T00:00:00+09:00"}, "started_at"),
        ({"started_at": the_day_before.isoformat()}, "started_at"),
        ({"name": "   ", "started_at": STRUCK.isoformat()}, "name"),
        ({"name": "\u3000", "started_at": STRUCK.isoformat()}, "name"),
    ):
        refused = client.post("/api/events", json={**body, **changed}, headers=hq)
        assert refused.status_code == 422, refused.text
        assert field in refused.text
    assert town.session.scalars(select(DisasterEvent)).first() is None
    the_first_day = datetime(2013, 6, 21, 0, 0, tzinfo=JST)
    accepted = client.post(
        "/api/events", json={**body, "started_at": the_first_day.isoformat()}, headers=hq
    )
    assert accepted.status_code == 201, accepted.text


def test_a_report_at_a_shelter_that_does_not_exist_or_is_not_open_is_refused(
    town: Town, client: TestClient, auth_headers: Headers
) -> None:
    hq = auth_headers(Role.hq, municipality_code=town.code)
    event = declare(client, hq, [NORTH])
    url = f"/api/events/{event['id']}/safety/reports"
    report = {
        "person_id": town.people["north-a"].id,
        "status": "safe",
        "whereabouts": "shelter",
        "source": "visit",
        "observed_at": (STRUCK + timedelta(hours=1)).isoformat(),
    }
    unknown = client.post(url, json={**report, "shelter_id": 123456}, headers=hq)
    assert unknown.status_code == 422 and "shelter_id" in unknown.json()["detail"]
    not_open = town.shelter("未開設", (0, 0)).id
    closed = client.post(url, json={**report, "shelter_id": not_open}, headers=hq)
    assert closed.status_code == 409 and "shelter_id" in closed.json()["detail"]
    assert town.session.scalars(select(SafetyReport)).first() is None


def test_assigning_tasks_to_someone_who_cannot_work_them_is_refused(
    town: Town, client: TestClient, auth_headers: Headers, make_user: Callable[..., Credentials]
) -> None:
    hq = auth_headers(Role.hq, municipality_code=town.code)
    event = declare(client, hq, [NORTH, SOUTH])
    url = f"/api/events/{event['id']}/safety/tasks/assign"
    south = make_user(Role.supporter, municipality_code=town.code, district="南町").username
    desk = town.shelter("避難所", (0, 0)).id
    staff = make_user(Role.shelter_staff, municipality_code=town.code, shelter_ids=[desk])
    staff_name = staff.username
    for username in ("no-such-user", staff_name, south):
        refused = client.post(url, json={"district": "北町", "assigned_to": username}, headers=hq)
        assert refused.status_code == 422 and "assigned_to" in refused.json()["detail"]
    done = client.post(url, json={"district": "南町", "assigned_to": south}, headers=hq)
    assert done.status_code == 200 and done.json()["tasks"] == 2


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("contact", "123456789018"),
        ("note", "番号 1234-5678-9018 を控えた"),
        ("place_note", "１２３４５６７８９０１８"),
    ],
)
def test_a_report_holding_twelve_digits_is_refused_and_not_echoed(
    town: Town, client: TestClient, auth_headers: Headers, field: str, text: str
) -> None:
    hq = auth_headers(Role.hq, municipality_code=town.code)
    event = declare(client, hq, [NORTH])
    report = {
        "person_id": town.people["north-a"].id,
        "status": "safe",
        "whereabouts": "relative_home",
        "source": "phone",
        "observed_at": STRUCK.isoformat(),
        "place_note": "姉の家",
        field: text,
    }
    url = f"/api/events/{event['id']}/safety/reports"
    refused = client.post(url, json=report, headers=hq)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", field]
    assert "12-digit" in refused.text and "9018" not in refused.text
    assert town.session.scalars(select(SafetyReport)).first() is None
