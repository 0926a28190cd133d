"""The HTTP API by role: who may build, read, extract and plan, and that reads are audited."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sonae.audit.models import AuditEntry
from sonae.audit.service import person_history
from sonae.security.roles import Role
from sonae.support.models import ConsentScope, ConsentStatus
from sonae.support_extract.consent import record_consent
from sonae.support_extract.disaster_mode import set_disaster_mode
from support.factory import AS_OF, Town, lonlat

YOUNG = date(1990, 6, 1)
Headers = Callable[..., dict[str, str]]


@pytest.fixture
def people(town: Town) -> Town:
    town.person("north_yes", born=YOUNG, care_level="care_3", at=(100, 100))
    town.person("north_no", born=YOUNG, care_level="care_3", at=(100, 100))
    town.person("south_yes", born=YOUNG, care_level="care_3", at=(100, -100))
    for label in ("north_yes", "south_yes"):
        for scope in ConsentScope:
            record_consent(
                session=town.session,
                municipality_code=town.code,
                person_id=town.people[label].id,
                scope=scope,
                status=ConsentStatus.agreed,
                decided_on=AS_OF,
                recorded_by="test",
                principal=None,
            )
    return town


@pytest.fixture
def as_role(client: TestClient, auth_headers: Headers, town: Town) -> Callable[..., dict[str, str]]:
    def headers(role: Role, district: str | None = None) -> dict[str, str]:
        return auth_headers(role, municipality_code=town.code, district=district)

    return headers


def build(client: TestClient, headers: dict[str, str]) -> int:
    response = client.post("/api/support-lists", json={"as_of": "2026-04-01"}, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def audit_rows(town: Town, resource: str) -> list[AuditEntry]:
    return list(
        town.session.scalars(
            select(AuditEntry).where(
                AuditEntry.municipality_code == town.code, AuditEntry.resource == resource
            )
        )
    )


def test_welfare_builds_hq_reads_entries_audited_and_others_are_refused(
    client: TestClient, people: Town, as_role: Callable[..., dict[str, str]]
) -> None:
    welfare, hq = as_role(Role.welfare), as_role(Role.hq)
    supporter = as_role(Role.supporter, "北町")
    assert client.post("/api/support-lists", json={}, headers=hq).status_code == 403
    build_id = build(client, welfare)
    listing = client.get("/api/support-lists", headers=hq).json()
    assert [b["id"] for b in listing] == [build_id] and listing[0]["listed"] == 3
    assert (
        client.get(f"/api/support-lists/{build_id}/entries", headers=supporter).status_code == 403
    )
    response = client.get(
        f"/api/support-lists/{build_id}/entries", params={"district": "北町"}, headers=hq
    )
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == 2
    assert {i["name"] for i in page["items"]} == {"試験　north_yes", "試験　north_no"}
    assert page["items"][0]["reason_labels"] == ["要介護3〜5"]
    rows = audit_rows(people, f"support_list_build/{build_id}/entries")
    assert len(rows) == 1
    assert sorted(rows[0].person_ids) == sorted(i["person_id"] for i in page["items"])
    assert client.get("/api/support-rules", headers=hq).json()["version"] == 1


def test_diff_over_http(
    client: TestClient, people: Town, as_role: Callable[..., dict[str, str]]
) -> None:
    welfare = as_role(Role.welfare)
    first = build(client, welfare)
    people.people["north_no"].status = people.people["north_no"].status.__class__("deceased")
    people.session.flush()
    second = build(client, welfare)
    response = client.get(f"/api/support-lists/{first}/diff/{second}", headers=welfare)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["counts"]["removed"] == 1
    assert body["items"][0]["changes"][0]["label"] == "死亡"
    assert len(audit_rows(people, f"support_list_build/{first}/diff/{second}")) == 1


def test_supporters_get_their_own_district_and_only_consenting_people_until_disaster_mode(
    client: TestClient, people: Town, as_role: Callable[..., dict[str, str]]
) -> None:
    build_id = build(client, as_role(Role.welfare))
    supporter = as_role(Role.supporter, "北町")
    url = f"/api/support-lists/{build_id}/extract"
    own = client.get(url, headers=supporter)
    assert own.status_code == 200, own.text
    assert [r["name"] for r in own.json()["rows"]] == ["試験　north_yes"]
    assert own.json()["left_out_without_consent"] == 1
    assert client.get(url, params={"district": "南町"}, headers=supporter).status_code == 403
    disaster = client.get(url, params={"mode": "disaster"}, headers=supporter)
    assert disaster.status_code == 403 and "disaster mode" in disaster.json()["detail"]
    set_disaster_mode(
        session=people.session,
        municipality_code=people.code,
        active=True,
        switched_by="hq",
        reason="test",
    )
    assert client.get("/api/disaster-mode", headers=supporter).json()["active"] is True
    everyone = client.get(url, params={"mode": "disaster"}, headers=supporter)
    assert {r["name"] for r in everyone.json()["rows"]} == {"試験　north_yes", "試験　north_no"}
    csv_file = client.get(url, params={"format": "csv-cp932"}, headers=as_role(Role.hq))
    assert csv_file.status_code == 200
    assert "attachment" in csv_file.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(csv_file.content.decode("cp932"))))
    assert {r["地区"] for r in rows} == {"北町", "南町"}


def test_consent_over_http_and_csv_import(
    client: TestClient, people: Town, as_role: Callable[..., dict[str, str]]
) -> None:
    welfare = as_role(Role.welfare)
    person = people.people["north_no"]
    body = {"person_id": person.id, "scope": "list_sharing", "status": "agreed"}
    assert client.post("/api/consents", json=body, headers=as_role(Role.hq)).status_code == 403
    assert client.post("/api/consents", json=body, headers=welfare).status_code == 201
    text = f"宛名番号,同意,同意日\n{person.address_number},不同意,2026-05-01\n"
    imported = client.post(
        "/api/consents/import",
        params={"scope": "list_sharing"},
        content=text.encode("cp932"),
        headers={**welfare, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text
    assert imported.json() == {"rows": 1, "by_status": {"refused": 1}}
    history = client.get(f"/api/consents/{person.id}", headers=welfare).json()
    assert [h["status"] for h in history] == ["agreed", "refused"]
    # Both writes are in the person's access history, by whom, with the purpose.
    trail = person_history(session=people.session, municipality_code=people.code,
                           person_id=person.id)  # fmt: skip
    writes = [(e.action, e.resource, e.purpose_code) for e in trail if e.action == "create"]
    assert writes == [
        ("create", f"person/{person.id}/consent", "support_list_consent"),
        ("create", "consent/import", "support_list_consent"),
    ]
    assert all("welfare" in e.roles for e in trail if e.action == "create")


def test_plans_need_consent_and_supporters_only_read_their_district(
    client: TestClient, people: Town, as_role: Callable[..., dict[str, str]]
) -> None:
    welfare = as_role(Role.welfare)
    build(client, welfare)
    plan = {
        "supporters": [{"name": "近所　一郎", "phone": "090", "relation": "近隣住民"}],
        "route": {"type": "LineString", "coordinates": [lonlat(100, 100), lonlat(100, 300)]},
        "care_notes": "杖",
    }
    yes, no = people.people["north_yes"].id, people.people["north_no"].id
    refused = client.put(f"/api/evacuation-plans/{no}", json=plan, headers=welfare)
    assert refused.status_code == 409 and "has not agreed" in refused.json()["detail"]
    saved = client.put(f"/api/evacuation-plans/{yes}", json=plan, headers=welfare)
    assert saved.status_code == 200, saved.text
    assert saved.json()["route"]["type"] == "LineString"
    north, south = as_role(Role.supporter, "北町"), as_role(Role.supporter, "南町")
    assert client.put(f"/api/evacuation-plans/{yes}", json=plan, headers=north).status_code == 403
    assert client.get(f"/api/evacuation-plans/{yes}", headers=north).status_code == 200
    assert client.get(f"/api/evacuation-plans/{yes}", headers=south).status_code == 403
    printed = client.get(f"/api/evacuation-plans/{yes}/print", headers=north)
    assert printed.status_code == 200 and "個別避難計画" in printed.text
    coverage = client.get("/api/evacuation-plans/coverage", headers=north).json()
    assert coverage["districts"] == [
        {"district": "北町", "listed": 2, "consenting": 1, "with_plan": 1}
    ]
    assert coverage["total"] == {"district": "合計", "listed": 2, "consenting": 1, "with_plan": 1}
    city = client.get("/api/evacuation-plans/coverage", headers=welfare).json()
    assert city["total"]["listed"] == 3  # welfare staff see the whole city
    bad_route = {**plan, "route": {"type": "LineString", "coordinates": [[999, 0], [0, 0]]}}
    assert (
        client.put(f"/api/evacuation-plans/{yes}", json=bad_route, headers=welfare).status_code
        == 422
    )
    reads = audit_rows(people, f"evacuation_plan/{yes}")
    assert {r.action for r in reads} >= {"create", "read"}


@pytest.mark.parametrize("path", ["", "/print"])
def test_a_supporter_learns_nothing_of_consent_outside_their_district(
    client: TestClient, people: Town, as_role: Callable[..., dict[str, str]], path: str
) -> None:
    build(client, as_role(Role.welfare))
    south = as_role(Role.supporter, "南町")
    unasked = people.people["north_no"].id  # north, never asked: the consent check says 409
    for person_id in (unasked, 10**9):
        refused = client.get(f"/api/evacuation-plans/{person_id}{path}", headers=south)
        assert refused.status_code == 403, refused.text
        assert "consent" not in refused.text and "not_asked" not in refused.text
    # Within the district the consent state still shows.
    north = as_role(Role.supporter, "北町")
    within = client.get(f"/api/evacuation-plans/{unasked}{path}", headers=north)
    assert within.status_code == 409 and "not_asked" in within.json()["detail"]


def test_a_plan_holding_twelve_digits_is_refused_and_not_echoed(
    client: TestClient, people: Town, as_role: Callable[..., dict[str, str]]
) -> None:
    welfare = as_role(Role.welfare)
    build(client, welfare)
    yes = people.people["north_yes"].id
    plan = {
        "supporters": [{"name": "近所　一郎", "phone": "090-1111-2222"}],
        "care_notes": "個人番号 123456789018",
    }
    refused = client.put(f"/api/evacuation-plans/{yes}", json=plan, headers=welfare)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "care_notes"]
    assert "123456789018" not in refused.text
    hidden = {
        **plan,
        "care_notes": "杖",
        "emergency_contacts": [{"name": "x", "phone": "1234-5678-9018"}],
    }
    assert (
        client.put(f"/api/evacuation-plans/{yes}", json=hidden, headers=welfare).status_code == 422
    )
    far = {**plan, "care_notes": "杖", "route": {"type": "LineString",
                                                 "coordinates": [[0, 0], [1, 1]]}}  # fmt: skip
    off = client.put(f"/api/evacuation-plans/{yes}", json=far, headers=welfare)
    assert off.status_code == 422 and "field 'route'" in off.json()["detail"]
    assert client.put(f"/api/evacuation-plans/{yes}", json={**plan, "care_notes": "杖"},
                      headers=welfare).status_code == 200  # fmt: skip
