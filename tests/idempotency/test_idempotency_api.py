"""Idempotency-Key on the intake: a retry gets the first answer; a reused key is refused."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sheltering.desk import People, by_number, checkin, key, open_shelter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.event.models import DisasterEvent
from sonae.idempotency.models import IdempotencyRecord
from sonae.security.roles import Role
from sonae.shelter.models import Shelter
from sonae.sheltering.models import ShelterStay

Shelters = tuple[Shelter, Shelter, Shelter]


def count_stays(session: Session, event: DisasterEvent) -> int:
    query = select(func.count()).select_from(ShelterStay).where(ShelterStay.event_id == event.id)
    return session.scalar(query) or 0


def test_a_retry_gets_the_first_answer_byte_for_byte_and_no_second_stay(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    open_shelter(client, desk, event, shelters[0])
    sent = key()
    first = checkin(client, desk, event, shelters[0], by_number(people.taro), idempotency_key=sent)
    # The tablet resends the same request: the keys of its JSON may come in another order.
    body = {"people": [{"identity": {"address_number": people.taro.address_number,
                                     "method": "address_number"}}]}  # fmt: skip
    again = client.post(
        f"/api/events/{event.id}/shelters/{shelters[0].id}/checkins",
        json=body,
        headers={**desk, "Idempotency-Key": sent},
    )
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert count_stays(session, event) == 1


def test_the_same_key_with_another_body_is_refused(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    open_shelter(client, desk, event, shelters[0])
    sent = key()
    assert checkin(client, desk, event, shelters[0], by_number(people.taro),
                   idempotency_key=sent).status_code == 201  # fmt: skip
    other = checkin(
        client, desk, event, shelters[0], by_number(people.hanako), idempotency_key=sent
    )
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    assert count_stays(session, event) == 1


def test_the_key_is_required_and_well_formed(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    open_shelter(client, desk, event, shelters[0])
    url = f"/api/events/{event.id}/shelters/{shelters[0].id}/checkins"
    body = {"people": [by_number(people.taro)]}
    assert client.post(url, json=body, headers=desk).status_code == 428
    short = client.post(url, json=body, headers={**desk, "Idempotency-Key": "abc"})
    assert short.status_code == 422
    checkout = client.post(f"/api/events/{event.id}/shelters/{shelters[0].id}/checkouts",
                           json={"stay_ids": [1]}, headers=desk)  # fmt: skip
    assert checkout.status_code == 428
    assert count_stays(session, event) == 0


def test_keys_belong_to_their_user(
    client: TestClient, auth_headers: Callable[..., dict[str, str]], desk: dict[str, str],
    session: Session, event: DisasterEvent, shelters: Shelters, people: People,
) -> None:  # fmt: skip
    """Two tablets that happen to send the same key do not see each other's answers."""
    open_shelter(client, desk, event, shelters[0])
    other = auth_headers(Role.hq)
    sent = key()
    one = checkin(client, desk, event, shelters[0], by_number(people.taro), idempotency_key=sent)
    two = checkin(client, other, event, shelters[0], by_number(people.hanako), idempotency_key=sent)
    assert (one.status_code, two.status_code) == (201, 201)
    assert count_stays(session, event) == 2
    records = select(func.count()).select_from(IdempotencyRecord).where(
        IdempotencyRecord.key == sent)  # fmt: skip
    assert session.scalar(records) == 2


def test_a_refused_request_leaves_no_key_behind(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    """The shelter was not open yet: the retry after opening it is judged afresh."""
    sent = key()
    early = checkin(client, desk, event, shelters[0], by_number(people.taro), idempotency_key=sent)
    assert early.status_code == 409
    open_shelter(client, desk, event, shelters[0])
    later = checkin(client, desk, event, shelters[0], by_number(people.taro), idempotency_key=sent)
    assert later.status_code == 201
    assert count_stays(session, event) == 1
