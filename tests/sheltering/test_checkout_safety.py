"""A check-out tells the safety figures where the person went (退所先)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sheltering.desk import People, by_number, checkin, key, open_shelter
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.event.models import DisasterEvent
from sonae.registry.models import Person
from sonae.safety.models import SafetyCurrent, SafetyReport, SafetyStatus, Whereabouts
from sonae.shelter.models import Shelter

Shelters = tuple[Shelter, Shelter, Shelter]


def current_of(session: Session, event: DisasterEvent, person: Person) -> SafetyCurrent:
    return session.scalars(
        select(SafetyCurrent).where(
            SafetyCurrent.event_id == event.id, SafetyCurrent.person_id == person.id
        )
    ).one()


def check_in_and_out(
    client: TestClient,
    desk: dict[str, str],
    event: DisasterEvent,
    shelter: Shelter,
    person: Person,
    departure: dict[str, str],
) -> int:
    """The status code of the check-out."""
    open_shelter(client, desk, event, shelter)
    stay = checkin(client, desk, event, shelter, by_number(person)).json()["stays"][0]
    response = client.post(
        f"/api/events/{event.id}/shelters/{shelter.id}/checkouts",
        json={"stay_ids": [stay["stay_id"]], **departure},
        headers={**desk, "Idempotency-Key": key()},
    )
    return response.status_code


@pytest.mark.parametrize(
    ("departure", "status", "whereabouts"),
    [
        ({}, SafetyStatus.safe, Whereabouts.unknown),
        ({"going_to": "home"}, SafetyStatus.safe, Whereabouts.home),
        (
            {"going_to": "relative_home", "place_note": "姉の家（市川市）"},
            SafetyStatus.evacuated,
            Whereabouts.relative_home,
        ),
    ],
)
def test_a_check_out_reports_where_the_person_went(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People, departure: dict[str, str], status: SafetyStatus,
    whereabouts: Whereabouts,
) -> None:  # fmt: skip
    assert check_in_and_out(client, desk, event, shelters[0], people.taro, departure) == 200
    current = current_of(session, event, people.taro)
    assert (current.status, current.whereabouts, current.shelter_id) == (
        status, whereabouts, None)  # fmt: skip
    report = session.get(SafetyReport, (event.municipality_code, current.report_id))
    assert report is not None and report.note == "避難所退所"
    assert report.place_note == departure.get("place_note")


@pytest.mark.parametrize(
    ("departure", "reason"),
    [
        ({"going_to": "shelter"}, "transfer"),
        ({"going_to": "car"}, "give a contact, a place or a location"),
    ],
)
def test_a_check_out_that_cannot_be_reported_closes_nothing(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People, departure: dict[str, str], reason: str,
) -> None:  # fmt: skip
    a = shelters[0]
    open_shelter(client, desk, event, a)
    stay = checkin(client, desk, event, a, by_number(people.taro)).json()["stays"][0]
    response = client.post(
        f"/api/events/{event.id}/shelters/{a.id}/checkouts",
        json={"stay_ids": [stay["stay_id"]], **departure},
        headers={**desk, "Idempotency-Key": key()},
    )
    assert response.status_code == 422 and reason in response.json()["detail"]
    assert current_of(session, event, people.taro).whereabouts is Whereabouts.shelter
