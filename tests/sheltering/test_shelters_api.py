"""Opening shelters: capacity from area, official figure or estimate; occupancy and needs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sheltering.desk import People, by_number, checkin, open_shelter
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.audit.models import AuditEntry
from sonae.event.models import DisasterEvent
from sonae.shelter.models import Shelter

Shelters = tuple[Shelter, Shelter, Shelter]


def test_capacity_basis_and_needs_per_shelter(
    session: Session, client: TestClient, desk: dict[str, str], event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a, b, c = shelters
    # Shelter A has been open 80 h: the event struck before that (times before it are refused).
    event.started_at = datetime.now(UTC) - timedelta(hours=90)
    session.flush()
    long_ago = (datetime.now(UTC) - timedelta(hours=80)).isoformat()
    opened = open_shelter(client, desk, event, a, opened_at=long_ago)
    assert (opened["capacity"], opened["capacity_basis"]) == (250, "official")
    open_shelter(client, desk, event, b, floor_area_m2=350)
    open_shelter(client, desk, event, c)
    everyone = [by_number(p) for p in (people.taro, people.hanako, people.kyoko)]
    assert checkin(client, desk, event, a, *everyone, checked_in_at=long_ago).status_code == 201
    listed = {s["shelter_id"]: s for s in client.get(
        f"/api/events/{event.id}/shelters", headers=desk).json()}  # fmt: skip
    assert {k: (v["capacity"], v["capacity_basis"]) for k, v in listed.items()} == {
        a.id: (250, "official"),
        b.id: (100, "floor_area"),  # 350 m² / 3.5
        c.id: (80, "estimate"),
    }
    # A: 3 people, open 80 h (past 72 h: 1 per 20) → 1 toilet (women's, shared); 45 L / 22.5 L.
    assert listed[a.id]["occupancy"] == 3
    assert listed[a.id]["needs"] == {
        "toilets": 1, "toilets_women": 1, "toilets_men": 0, "people_per_toilet": 20,
        "water_l_per_day": 45.0, "water_survival_l_per_day": 22.5,
    }  # fmt: skip
    assert (
        listed[b.id]["needs"]["toilets"] == 0 and listed[b.id]["needs"]["people_per_toilet"] == 50
    )


def test_a_shelter_opens_once_and_only_while_shelters_may_open(
    client: TestClient, desk: dict[str, str], event: DisasterEvent, shelters: Shelters
) -> None:
    open_shelter(client, desk, event, shelters[0])
    again = client.post(
        f"/api/events/{event.id}/shelters/{shelters[0].id}/open", json={}, headers=desk
    )
    assert again.status_code == 409
    missing = client.post(f"/api/events/{event.id}/shelters/999999999/open", json={}, headers=desk)
    assert missing.status_code == 404


def test_occupancy_lists_who_is_present_and_is_audited(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a = shelters[0]
    open_shelter(client, desk, event, a)
    checkin(client, desk, event, a, by_number(people.taro, needs={"medical": True}))
    response = client.get(f"/api/events/{event.id}/shelters/{a.id}/occupancy", headers=desk)
    assert response.status_code == 200
    body = response.json()
    assert body["occupancy"] == 1 and body["capacity"] == 250
    assert body["present"][0]["name"] == "浦安　太郎" and body["present"][0]["needs_medical"]
    entry = session.scalars(select(AuditEntry).where(
        AuditEntry.resource == "sheltering.occupancy")).one()  # fmt: skip
    assert entry.person_ids == [people.taro.id]
