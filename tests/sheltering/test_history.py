"""A person's stays and a shelter's openings follow each other in time; check-outs are audited
and say when a stay was already closed; the desk hears which household member is unknown."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sheltering.desk import (
    STRUCK,
    URAYASU,
    People,
    by_number,
    checkin,
    key,
    new_person,
    open_shelter,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.audit.models import AuditEntry
from sonae.errors import ConflictError
from sonae.event.models import DisasterEvent
from sonae.registry.models import Person, ResidentKind, Sex
from sonae.safety.models import SafetyCurrent, Whereabouts
from sonae.security.roles import Role
from sonae.shelter.models import Shelter
from sonae.sheltering import intake, matching, stays
from sonae.sheltering.models import ShelterStay
from sonae.sheltering.schemas import CheckinIn

Shelters = tuple[Shelter, Shelter, Shelter]


def at(minutes: int) -> str:
    return (STRUCK + timedelta(minutes=minutes)).isoformat()


def current(session: Session, event: DisasterEvent, person: Person) -> SafetyCurrent:
    return session.scalars(select(SafetyCurrent).where(
        SafetyCurrent.event_id == event.id,
        SafetyCurrent.person_id == person.id)).one()  # fmt: skip


def open_stays(session: Session, event: DisasterEvent) -> list[ShelterStay]:
    return list(session.scalars(select(ShelterStay).where(
        ShelterStay.event_id == event.id, ShelterStay.checked_out_at.is_(None))))  # fmt: skip


def checkout(client: TestClient, desk: dict[str, str], event: DisasterEvent, shelter: Shelter,
             stay_id: int, **body: Any) -> Any:  # fmt: skip
    return client.post(f"/api/events/{event.id}/shelters/{shelter.id}/checkouts",
                       json={"stay_ids": [stay_id], **body},
                       headers={**desk, "Idempotency-Key": key()})  # fmt: skip


def test_a_check_in_dated_before_the_open_stay_elsewhere_is_refused(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a, b, _ = shelters
    open_shelter(client, desk, event, a, opened_at=at(10))
    open_shelter(client, desk, event, b, opened_at=at(10), floor_area_m2=35)
    assert checkin(client, desk, event, a, by_number(people.taro),
                   checked_in_at=at(60)).status_code == 201  # fmt: skip
    response = checkin(client, desk, event, b, by_number(people.taro), checked_in_at=at(30))
    assert response.status_code == 409, response.text
    detail = response.json()["detail"]
    assert "checked_in_at" in detail and "people[0]" in detail and "began or ended later" in detail
    assert "浦安" not in response.text
    [stay] = open_stays(session, event)
    assert stay.shelter_id == a.id and current(session, event, people.taro).shelter_id == a.id


def test_a_check_in_dated_before_a_closed_stay_ended_is_refused(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a, b, _ = shelters
    open_shelter(client, desk, event, a, opened_at=at(10))
    open_shelter(client, desk, event, b, opened_at=at(10), floor_area_m2=35)
    stay = checkin(client, desk, event, a, by_number(people.taro),
                   checked_in_at=at(20)).json()["stays"][0]  # fmt: skip
    assert checkout(client, desk, event, a, stay["stay_id"], going_to="home",
                    checked_out_at=at(60)).status_code == 200  # fmt: skip
    late = CheckinIn.model_validate({"people": [by_number(people.taro)], "checked_in_at": at(40)})
    refused = pytest.raises(ConflictError, match=r"people\[0\].*began or ended later")
    with refused, session.begin_nested():  # rolled back: nothing of it stays
        intake.check_in(session=session, event=event, shelter_id=b.id, request=late, by="t")
    assert open_stays(session, event) == []
    assert current(session, event, people.taro).whereabouts is Whereabouts.home
    # After the check-out, a dated check-in is placed as before.
    after = CheckinIn.model_validate({"people": [by_number(people.taro)], "checked_in_at": at(70)})
    result = intake.check_in(session=session, event=event, shelter_id=b.id, request=after, by="t")
    assert result.outcomes[0].outcome == "checked_in"
    assert current(session, event, people.taro).shelter_id == b.id


def test_a_reopening_dated_before_the_last_close_is_refused(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters,
) -> None:  # fmt: skip
    a = shelters[0]
    base = f"/api/events/{event.id}/shelters/{a.id}"
    open_shelter(client, desk, event, a, opened_at=at(10))
    closed = client.post(f"{base}/close", json={"closed_at": at(70)}, headers=desk)
    assert closed.status_code == 200, closed.text
    response = client.post(f"{base}/open", json={"opened_at": at(20)}, headers=desk)
    assert response.status_code == 409 and "opened_at" in response.json()["detail"]
    assert client.post(f"{base}/open", json={"opened_at": at(70)}, headers=desk).status_code == 201


def test_a_check_out_is_audited_with_the_person_and_in_their_export(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People, auth_headers: Any,
) -> None:  # fmt: skip
    a = shelters[0]
    open_shelter(client, desk, event, a)
    stay = checkin(client, desk, event, a, by_number(people.taro)).json()["stays"][0]
    response = checkout(client, desk, event, a, stay["stay_id"], going_to="car",
                        place_note="駐車場", contact="090-0000-0000")  # fmt: skip
    assert response.status_code == 200, response.text
    entry = session.scalars(select(AuditEntry).where(
        AuditEntry.resource == "sheltering.checkout")).one()  # fmt: skip
    assert entry.person_ids == [people.taro.id] and entry.action.value == "create"
    export = client.get(f"/api/audit/persons/{people.taro.id}/export",
                        headers=auth_headers(Role.auditor))  # fmt: skip
    assert export.status_code == 200 and "sheltering.checkout" in export.text


def test_a_second_check_out_of_a_closed_stay_is_refused_not_pretended(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a = shelters[0]
    open_shelter(client, desk, event, a)
    stay = checkin(client, desk, event, a, by_number(people.taro)).json()["stays"][0]
    first = checkout(client, desk, event, a, stay["stay_id"], going_to="car", place_note="駐車場")
    assert first.status_code == 200, first.text
    again = checkout(client, desk, event, a, stay["stay_id"], going_to="home")
    assert again.status_code == 409
    assert again.json()["detail"] == f"stay {stay['stay_id']} was already checked out"
    assert current(session, event, people.taro).whereabouts is Whereabouts.car
    with pytest.raises(ConflictError):
        stays.check_out(session=session, event=event, shelter_id=a.id,
                        stay_ids=[stay["stay_id"]], by="t")  # fmt: skip


def test_an_unknown_household_member_is_named_by_index(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a = shelters[0]
    open_shelter(client, desk, event, a)
    unknown = {"identity": {"method": "typed", "name": "誰　某", "birth_date": "1960-06-06"}}
    response = checkin(client, desk, event, a, by_number(people.taro), unknown)
    assert response.status_code == 404
    assert response.json()["detail"].startswith("people[1]: no registered resident matches")
    assert open_stays(session, event) == []


@pytest.fixture
def foreigners(session: Session) -> tuple[Person, Person]:
    """袁明珠 registered in capitals only; 王芳 with 氏名 in kanji and a romanised name."""
    yuan = new_person(session, 9201, "YUAN MING-CHU", "ユアン　ミンチュー", date(1988, 8, 8),
                      Sex.female, "浦安市当代島一丁目2番3号")  # fmt: skip
    wang = new_person(session, 9202, "王　芳", "ワン　ファン", date(1992, 9, 9), Sex.female,
                      "浦安市当代島一丁目2番3号")  # fmt: skip
    for person in (yuan, wang):
        person.resident_kind = ResidentKind.foreign
    wang.name_roman = "WANG FANG"
    session.flush()
    return yuan, wang


def test_romanised_names_match_without_regard_to_case(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, foreigners: tuple[Person, Person],
) -> None:  # fmt: skip
    yuan, wang = foreigners
    found = matching.by_facts(session=session, municipality_code=URAYASU,
                              birth_date=date(1992, 9, 9), name="Wang Fang")  # fmt: skip
    assert found.id == wang.id
    a = shelters[0]
    open_shelter(client, desk, event, a)
    typed = {"identity": {"method": "typed", "name": "Yuan Ming-Chu", "birth_date": "1988-08-08"}}
    response = checkin(client, desk, event, a, typed)
    assert response.status_code == 201, response.text
    assert response.json()["stays"][0]["person_id"] == yuan.id
    assert matching.normalise_name("YUAN MING-CHU") == "YUANMING-CHU"  # hints keep their case


def test_a_transfer_is_audited_with_the_person(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a, b, _ = shelters
    open_shelter(client, desk, event, a)
    open_shelter(client, desk, event, b, floor_area_m2=35)
    assert checkin(client, desk, event, a, by_number(people.taro)).status_code == 201
    moved = checkin(client, desk, event, b, by_number(people.taro))
    assert moved.json()["stays"][0]["outcome"] == "transferred"
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.resource == "sheltering.checkin").order_by(AuditEntry.id)).all()  # fmt: skip
    assert [e.person_ids for e in entries] == [[people.taro.id], [people.taro.id]]
    assert [(e.detail or {}).get("transferred") for e in entries] == [0, 1]
