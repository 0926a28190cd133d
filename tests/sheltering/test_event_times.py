"""Times the shelter desk sends: not before the event started, not ahead of the server's clock.

A check-in dated in 2030 used to be accepted; the person's safety status then followed it (the
latest observation wins) until 2030, their stay could not be checked out ("before the check-in")
and the shelter could not close.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sheltering.desk import STRUCK, People, by_number, checkin, key, open_shelter
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.event.clock import CLOCK_SKEW
from sonae.event.models import DisasterEvent
from sonae.safety.models import SafetyCurrent, SafetyStatus
from sonae.shelter.models import Shelter
from sonae.sheltering.models import ShelterOpening, ShelterStay

Shelters = tuple[Shelter, Shelter, Shelter]
FUTURE = "2030-01-01T00:00:00+09:00"
BEFORE_THE_EVENT = (STRUCK - timedelta(hours=1)).isoformat()


def refused(response: Any, field: str, reason: str) -> None:
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert f"field '{field}'" in detail and reason in detail, detail
    assert "浦安" not in detail and "太郎" not in detail  # nobody named


def stays(session: Session, event: DisasterEvent) -> list[ShelterStay]:
    return list(session.scalars(select(ShelterStay).where(ShelterStay.event_id == event.id)))


def checkout(client: TestClient, desk: dict[str, str], event: DisasterEvent, shelter: Shelter,
             stay_id: int, **extra: Any) -> Any:  # fmt: skip
    return client.post(
        f"/api/events/{event.id}/shelters/{shelter.id}/checkouts",
        json={"stay_ids": [stay_id], **extra},
        headers={**desk, "Idempotency-Key": key()},
    )


def status_of(session: Session, event: DisasterEvent, person_id: int) -> SafetyStatus:
    where = (SafetyCurrent.event_id == event.id, SafetyCurrent.person_id == person_id)
    current = session.scalars(select(SafetyCurrent).where(*where)).one()
    return current.status


def test_a_check_in_in_the_future_or_before_the_event_is_refused(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a = shelters[0]
    open_shelter(client, desk, event, a, opened_at=(STRUCK + timedelta(hours=1)).isoformat())
    ahead = datetime.now(UTC) + CLOCK_SKEW + timedelta(minutes=2)
    for when in (FUTURE, ahead.isoformat()):
        response = checkin(client, desk, event, a, by_number(people.taro), checked_in_at=when)
        refused(response, "checked_in_at", "in the future")
    before = checkin(client, desk, event, a, by_number(people.taro), checked_in_at=BEFORE_THE_EVENT)
    refused(before, "checked_in_at", "before the event started")
    assert stays(session, event) == []
    # A tablet that queued offline sends a past time; a clock a little ahead is a skew.
    queued = (STRUCK + timedelta(hours=2)).isoformat()
    assert checkin(client, desk, event, a, by_number(people.taro),
                   checked_in_at=queued).status_code == 201  # fmt: skip
    skewed = (datetime.now(UTC) + CLOCK_SKEW - timedelta(minutes=1)).isoformat()
    assert checkin(client, desk, event, a, by_number(people.hanako),
                   checked_in_at=skewed).status_code == 201  # fmt: skip


def test_a_future_check_in_can_no_longer_lock_the_status_the_stay_and_the_shelter(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    """The reviewer's scenario: check-in dated 2030, then a report today, a check-out, a close."""
    a = shelters[0]
    open_shelter(client, desk, event, a)
    wrong_clock = checkin(client, desk, event, a, by_number(people.taro), checked_in_at=FUTURE)
    refused(wrong_clock, "checked_in_at", "in the future")
    # The desk resends with the right time (the refused request released its key).
    stay_id = checkin(client, desk, event, a, by_number(people.taro)).json()["stays"][0]["stay_id"]
    assert status_of(session, event, people.taro.id) is SafetyStatus.evacuated
    report = {"person_id": people.taro.id, "status": "injured", "whereabouts": "shelter",
              "shelter_id": a.id, "source": "visit",
              "observed_at": datetime.now(UTC).isoformat()}  # fmt: skip
    response = client.post(f"/api/events/{event.id}/safety/reports", json=report, headers=desk)
    assert response.status_code == 201, response.text
    assert status_of(session, event, people.taro.id) is SafetyStatus.injured
    assert checkout(client, desk, event, a, stay_id).status_code == 200
    closed = client.post(f"/api/events/{event.id}/shelters/{a.id}/close", json={}, headers=desk)
    assert closed.status_code == 200, closed.text


def test_a_check_out_in_the_future_or_before_the_event_is_refused(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a = shelters[0]
    open_shelter(client, desk, event, a, opened_at=(STRUCK + timedelta(hours=1)).isoformat())
    arrived = (STRUCK + timedelta(hours=2)).isoformat()
    response = checkin(client, desk, event, a, by_number(people.taro), checked_in_at=arrived)
    stay_id = response.json()["stays"][0]["stay_id"]
    refused(checkout(client, desk, event, a, stay_id, checked_out_at=FUTURE),
            "checked_out_at", "in the future")  # fmt: skip
    refused(checkout(client, desk, event, a, stay_id, checked_out_at=BEFORE_THE_EVENT),
            "checked_out_at", "before the event started")  # fmt: skip
    [stay] = stays(session, event)
    assert stay.checked_out_at is None
    left = (STRUCK + timedelta(hours=3)).isoformat()
    assert checkout(client, desk, event, a, stay_id, checked_out_at=left).status_code == 200


def test_opening_and_closing_times_are_bounded_by_the_event_and_the_clock(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters,
) -> None:  # fmt: skip
    a = shelters[0]
    base = f"/api/events/{event.id}/shelters/{a.id}"
    for when, reason in (("2035-01-01T00:00:00+09:00", "in the future"),
                         ("2020-01-01T00:00:00+09:00", "before the event started")):  # fmt: skip
        response = client.post(f"{base}/open", json={"opened_at": when}, headers=desk)
        refused(response, "opened_at", reason)
    assert session.scalars(select(ShelterOpening).where(ShelterOpening.event_id == event.id)
                           ).first() is None  # fmt: skip
    opened = (STRUCK + timedelta(hours=1)).isoformat()
    assert client.post(f"{base}/open", json={"opened_at": opened}, headers=desk).status_code == 201
    for when, reason in ((FUTURE, "in the future"), (BEFORE_THE_EVENT, "before the event started")):
        response = client.post(f"{base}/close", json={"closed_at": when}, headers=desk)
        refused(response, "closed_at", reason)
    closed = (STRUCK + timedelta(hours=5)).isoformat()
    response = client.post(f"{base}/close", json={"closed_at": closed}, headers=desk)
    assert response.status_code == 200, response.text
