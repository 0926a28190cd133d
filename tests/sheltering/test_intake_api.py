"""The intake API: identification, transfers, households, unregistered people, check-outs."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sheltering.desk import People, by_number, checkin, key, open_shelter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.audit.models import AuditEntry
from sonae.event.models import DisasterEvent, EventPhase
from sonae.safety.models import ReportSource, SafetyCurrent, SafetyReport, SafetyStatus, Whereabouts
from sonae.security.roles import Role
from sonae.shelter.models import Shelter
from sonae.sheltering.models import Evacuee, EvacueeKind, ShelterStay, StayEnd

Shelters = tuple[Shelter, Shelter, Shelter]


def stays_of(session: Session, event: DisasterEvent) -> list[ShelterStay]:
    return list(
        session.scalars(
            select(ShelterStay).where(ShelterStay.event_id == event.id).order_by(ShelterStay.id)
        )
    )


def test_check_in_by_address_number_updates_the_safety_status(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a = shelters[0]
    open_shelter(client, desk, event, a)
    needs = {"care": True, "allergy": True, "language": "英語"}
    response = checkin(client, desk, event, a, by_number(people.taro, needs=needs,
                                                         consent={"family": True}))  # fmt: skip
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["occupancy"] == 1 and body["capacity"] == 250
    assert body["stays"][0]["person_id"] == people.taro.id
    assert body["stays"][0]["outcome"] == "checked_in"
    [stay] = stays_of(session, event)
    assert (stay.needs_care, stay.allergy, stay.needs_medical) == (True, True, False)
    assert (stay.language_support, stay.disclose_to_family, stay.disclose_to_public) == (
        "英語", True, False)  # fmt: skip
    current = session.scalars(select(SafetyCurrent).where(
        SafetyCurrent.event_id == event.id,
        SafetyCurrent.person_id == people.taro.id)).one()  # fmt: skip
    assert (current.status, current.whereabouts, current.shelter_id) == (
        SafetyStatus.evacuated, Whereabouts.shelter, a.id)  # fmt: skip
    report = session.get(SafetyReport, (event.municipality_code, current.report_id))
    assert report is not None and report.source is ReportSource.shelter_checkin
    assert "浦安" not in response.text  # the answer carries ids, not names


def test_a_person_checked_in_elsewhere_is_transferred_never_counted_twice(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a, b, _ = shelters
    open_shelter(client, desk, event, a)
    open_shelter(client, desk, event, b, floor_area_m2=350)
    assert checkin(client, desk, event, a, by_number(people.taro)).status_code == 201
    moved = checkin(client, desk, event, b, by_number(people.taro))
    assert moved.status_code == 201
    assert moved.json()["stays"][0]["outcome"] == "transferred"
    assert moved.json()["stays"][0]["transferred_from_shelter_id"] == a.id
    first, second = stays_of(session, event)
    assert first.ended_by is StayEnd.transferred and first.checked_out_at is not None
    assert second.checked_out_at is None and second.transferred_from_stay_id == first.id
    listed = {s["shelter_id"]: s["occupancy"] for s in client.get(
        f"/api/events/{event.id}/shelters", headers=desk).json()}  # fmt: skip
    assert listed == {a.id: 0, b.id: 1}
    again = checkin(client, desk, event, b, by_number(people.taro))  # already here: no new stay
    assert again.json()["stays"][0]["outcome"] == "already_present"
    assert len(stays_of(session, event)) == 2
    where = client.get(f"/api/events/{event.id}/people/{people.taro.id}/whereabouts", headers=desk)
    assert where.status_code == 200
    assert where.json()["current_shelter_id"] == b.id
    assert [s["ended_by"] for s in where.json()["stays"]] == ["transferred", None]
    assert [r["shelter_id"] for r in where.json()["reports"]] == [a.id, b.id]


def test_a_transfer_keeps_the_needs_and_consent_unless_the_new_desk_records_them(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a, b, c = shelters
    for shelter in shelters:
        open_shelter(client, desk, event, shelter, floor_area_m2=350)
    needs = {"medical": True, "pets": True, "language": "英語"}
    first = by_number(people.taro, needs=needs, consent={"family": True})
    assert checkin(client, desk, event, a, first).status_code == 201
    assert checkin(client, desk, event, b, by_number(people.taro)).status_code == 201
    anew = by_number(people.taro, needs={"care": True})
    assert checkin(client, desk, event, c, anew).status_code == 201
    _, at_b, at_c = stays_of(session, event)
    assert (at_b.needs_medical, at_b.with_pets, at_b.language_support) == (True, True, "英語")
    assert (at_b.disclose_to_family, at_b.needs_care) == (True, False)
    assert (at_c.needs_care, at_c.needs_medical, at_c.language_support) == (True, False, None)
    assert at_c.disclose_to_family  # consent was not sent again: it stays


def test_a_household_is_checked_in_together_or_not_at_all(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a = shelters[0]
    open_shelter(client, desk, event, a)
    unknown = {"identity": {"method": "address_number", "address_number": "999999999"}}
    refused = checkin(client, desk, event, a, by_number(people.taro), unknown)
    assert refused.status_code == 404
    assert stays_of(session, event) == []
    both = checkin(client, desk, event, a, by_number(people.taro), by_number(people.hanako))
    assert both.status_code == 201
    assert both.json()["occupancy"] == 2
    assert {s["person_id"] for s in both.json()["stays"]} == {people.taro.id, people.hanako.id}
    twice = checkin(client, desk, event, a, by_number(people.kyoko), by_number(people.kyoko))
    assert twice.status_code == 422


def test_an_ambiguous_member_stops_the_household_with_masked_candidates(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a = shelters[0]
    open_shelter(client, desk, event, a)
    typed = {"method": "typed", "name": "山田一郎", "birth_date": "1990-01-01"}
    response = checkin(client, desk, event, a, by_number(people.taro), {"identity": typed})
    assert response.status_code == 409
    offered = response.json()["people"]
    assert list(offered) == ["1"]
    assert {c["person_id"] for c in offered["1"]} == {people.ichiro_a.id, people.ichiro_b.id}
    assert "山田" not in response.text and "一郎" not in response.text
    assert stays_of(session, event) == []
    chosen = {**typed, "person_id": people.ichiro_b.id}
    settled = checkin(client, desk, event, a, by_number(people.taro), {"identity": chosen})
    assert settled.status_code == 201
    assert {s["person_id"] for s in settled.json()["stays"]} == {people.taro.id,
                                                                 people.ichiro_b.id}  # fmt: skip
    read = session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.resource == "sheltering.checkin.candidates"))  # fmt: skip
    assert read == 1


def test_an_unknown_person_is_no_match_without_echoing_what_was_typed(
    client: TestClient, desk: dict[str, str], event: DisasterEvent, shelters: Shelters,
    people: People,
) -> None:  # fmt: skip
    open_shelter(client, desk, event, shelters[0])
    typed = {"method": "typed", "name": "存在しない", "name_kana": "ソンザイ",
             "birth_date": "1961-06-15", "address": "当代島9-9-9"}  # fmt: skip
    response = checkin(client, desk, event, shelters[0], {"identity": typed})
    assert response.status_code == 404
    for secret in ("存在", "ソンザイ", "1961", "当代島"):
        assert secret not in response.text
    bad_date = {**typed, "birth_date": "存在しない日"}
    invalid = checkin(client, desk, event, shelters[0], {"identity": bad_date})
    assert invalid.status_code == 422
    assert "存在" not in invalid.text and "birth_date" in invalid.text


def test_a_twelve_digit_number_is_refused_and_not_echoed(
    client: TestClient, desk: dict[str, str], event: DisasterEvent, shelters: Shelters,
    people: People,
) -> None:  # fmt: skip
    open_shelter(client, desk, event, shelters[0])
    number = "123456789018"
    card = {"method": "card_facts", "name": "浦安太郎", "address": "浦安市当代島1-2-3",
            "birth_date": "1975-04-01", "sex": "male"}  # fmt: skip
    for person in ({"identity": {**card, "my_number": number}},
                   {"identity": {**card, "name": f"浦安太郎 {number}"}},
                   {"identity": card, "needs": {"note": "1234 5678 9018"}}):  # fmt: skip
        response = checkin(client, desk, event, shelters[0], person)
        assert response.status_code == 422
        assert "9018" not in response.text and "浦安" not in response.text
    accepted = checkin(client, desk, event, shelters[0], {"identity": card})
    assert accepted.status_code == 201
    assert accepted.json()["stays"][0]["identified_by"] == "card_facts"


def test_an_unregistered_visitor_is_recorded_as_an_evacuee(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters,
) -> None:  # fmt: skip
    a = shelters[0]
    open_shelter(client, desk, event, a)
    visitor = {"method": "unregistered", "kind": "tourist", "name": "Jane Roe",
               "contact": "+1-555-0100"}  # fmt: skip
    response = checkin(client, desk, event, a, {"identity": visitor, "needs": {"language": "英語"}})
    assert response.status_code == 201
    stay = response.json()["stays"][0]
    assert stay["person_id"] is None and stay["identified_by"] == "unregistered"
    evacuee = session.get(Evacuee, (event.municipality_code, stay["evacuee_id"]))
    assert evacuee is not None and evacuee.kind is EvacueeKind.tourist
    current = session.scalars(select(SafetyCurrent).where(
        SafetyCurrent.evacuee_id == evacuee.id)).one()  # fmt: skip
    assert current.status is SafetyStatus.evacuated


def test_check_out_empties_the_shelter_which_may_then_close(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a = shelters[0]
    open_shelter(client, desk, event, a)
    stay_id = checkin(client, desk, event, a, by_number(people.taro)).json()["stays"][0]["stay_id"]
    base = f"/api/events/{event.id}/shelters/{a.id}"
    assert client.post(f"{base}/close", json={}, headers=desk).status_code == 409
    out_key = key()
    out = client.post(f"{base}/checkouts", json={"stay_ids": [stay_id]},
                      headers={**desk, "Idempotency-Key": out_key})  # fmt: skip
    assert out.status_code == 200
    assert out.json()["occupancy"] == 0 and out.json()["checked_out"] == [stay_id]
    [stay] = stays_of(session, event)
    assert stay.ended_by is StayEnd.checked_out
    retry = client.post(f"{base}/checkouts", json={"stay_ids": [stay_id]},
                        headers={**desk, "Idempotency-Key": out_key})  # fmt: skip
    assert retry.content == out.content
    closed = client.post(f"{base}/close", json={}, headers=desk)
    assert closed.status_code == 200 and closed.json()["closed_at"] is not None
    late = checkin(client, desk, event, a, by_number(people.hanako))
    assert late.status_code == 409  # the shelter is closed


def test_check_in_needs_the_shelter_workflow_open(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    open_shelter(client, desk, event, shelters[0])
    event.phase = EventPhase.reconstruction
    session.flush()
    response = checkin(client, desk, event, shelters[0], by_number(people.taro))
    assert response.status_code == 409
    assert "shelter_operations" in response.json()["detail"]


def test_shelter_staff_act_only_at_their_own_shelters(
    client: TestClient, auth_headers: Callable[..., dict[str, str]], desk: dict[str, str],
    session: Session, event: DisasterEvent, shelters: Shelters, people: People,
) -> None:  # fmt: skip
    a, b, _ = shelters
    open_shelter(client, desk, event, a)
    open_shelter(client, desk, event, b)
    staff = auth_headers(Role.shelter_staff, shelter_ids=[a.id])
    assert checkin(client, staff, event, a, by_number(people.taro)).status_code == 201
    assert checkin(client, staff, event, b, by_number(people.hanako)).status_code == 403
    assert client.get(f"/api/events/{event.id}/shelters/{b.id}/occupancy",
                      headers=staff).status_code == 403  # fmt: skip
    assert [s["shelter_id"] for s in client.get(f"/api/events/{event.id}/shelters",
                                                headers=staff).json()] == [a.id]  # fmt: skip
    for role in (Role.welfare, Role.supporter, Role.admin, Role.auditor):
        other = auth_headers(role, district="当代島") if role is Role.supporter \
            else auth_headers(role)  # fmt: skip
        assert checkin(client, other, event, a, by_number(people.kyoko)).status_code == 403
    assert client.get(f"/api/events/{event.id}/people/{people.taro.id}/whereabouts",
                      headers=staff).status_code == 403  # fmt: skip
    assert len(stays_of(session, event)) == 1


def test_times_without_a_zone_and_nul_characters_are_refused(
    client: TestClient, desk: dict[str, str], session: Session, event: DisasterEvent,
    shelters: Shelters, people: People,
) -> None:  # fmt: skip
    open_shelter(client, desk, event, shelters[0])
    naive = checkin(client, desk, event, shelters[0], by_number(people.taro),
                    checked_in_at="2026-11-23T07:00:00")  # fmt: skip
    assert naive.status_code == 422  # the same answer as any route's (api.errors)
    assert naive.json()["detail"][0]["loc"] == ["body", "checked_in_at"]
    visitor = {"method": "unregistered", "kind": "visitor", "name": "A\x00B"}
    assert checkin(client, desk, event, shelters[0], {"identity": visitor}).status_code == 422
    assert stays_of(session, event) == []
