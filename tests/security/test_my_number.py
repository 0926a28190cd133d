"""The personal number: stored sealed to its person, found by keyed hash, shown by exactly one
endpoint to a permitted reader with a purpose, audited, and nowhere else, logs included."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

import pytest
import structlog
from cryptography.exceptions import InvalidTag
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from accounts import Credentials, login
from sonae.audit.models import AuditEntry
from sonae.errors import ConflictError, InvalidInputError
from sonae.registry.models import Person, ResidentKind, ResidentStatus, Sex
from sonae.security import service
from sonae.security.models import MyNumberRecord
from sonae.security.my_number import check_digit, get_cipher
from sonae.security.roles import Permission, Role

MakeUser = Callable[..., Credentials]
READ = Permission.my_number_read


def my_number(first_eleven: str) -> str:
    return first_eleven + str(check_digit(first_eleven))


NUMBER = my_number("31415926535")
OTHER = my_number("27182818284")


def add_person(session: Session, address_number: str) -> int:
    person = Person(
        municipality_code="122271",
        address_number=address_number,
        household_number="H" + address_number,
        resident_kind=ResidentKind.japanese,
        status=ResidentStatus.resident,
        name="試験 花子",
        birth_date=date(1950, 4, 1),
        sex=Sex.female,
        relation_to_head="世帯主",
        address_text="千葉県浦安市当代島一丁目1番1号",
    )
    session.add(person)
    session.flush()
    return person.id


@pytest.fixture
def person(session: Session) -> int:
    person_id = add_person(session, "900000001")
    service.store_my_number(
        session=session, municipality_code="122271", person_id=person_id, number=NUMBER
    )
    return person_id


def url(person_id: int, purpose: str | None = "disaster_victim_registry") -> str:
    query = f"?purpose={purpose}" if purpose else ""
    return f"/api/registry/persons/{person_id}/my-number{query}"


def test_stored_sealed_found_by_hash_and_bound_to_its_person(session: Session, person: int) -> None:
    record = session.scalars(select(MyNumberRecord).where(MyNumberRecord.person_id == person)).one()
    assert NUMBER.encode() not in record.ciphertext + record.lookup_hash + record.nonce
    assert (
        service.find_person_id_by_my_number(
            session=session, municipality_code="122271", number=NUMBER
        )
        == person
    )
    assert (
        service.find_person_id_by_my_number(
            session=session, municipality_code="122271", number=OTHER
        )
        is None
    )
    other = add_person(session, "900000002")
    with pytest.raises(InvalidTag):  # moved to another person's row, it no longer opens
        get_cipher().open(
            record.nonce, record.ciphertext, context=service.my_number_context("122271", other)
        )
    assert service.my_number_context("122271", person) == f"122271:{person}"


def test_storing_again_replaces_and_a_number_belongs_to_one_person(
    session: Session, person: int
) -> None:
    service.store_my_number(
        session=session, municipality_code="122271", person_id=person, number=OTHER
    )
    assert (
        service.find_person_id_by_my_number(
            session=session, municipality_code="122271", number=OTHER
        )
        == person
    )
    other = add_person(session, "900000003")
    with pytest.raises(ConflictError) as conflict:
        service.store_my_number(
            session=session, municipality_code="122271", person_id=other, number=OTHER
        )
    assert OTHER not in str(conflict.value)
    with pytest.raises(InvalidInputError) as invalid:
        service.store_my_number(
            session=session, municipality_code="122271", person_id=other, number="123456789012"
        )
    assert "123456789012" not in str(invalid.value)


@pytest.mark.parametrize(
    ("roles", "permissions", "status"),
    [
        ([Role.welfare], [READ], 200),
        ([Role.hq], [READ], 200),
        ([Role.welfare], [], 403),
        ([Role.hq], [], 403),
        ([Role.auditor], [], 403),
        ([Role.admin], [], 403),
        ([Role.shelter_staff], [], 403),
        ([Role.supporter], [], 403),
    ],
)
def test_only_welfare_or_hq_with_the_permission_read_it(
    client: TestClient,
    make_user: MakeUser,
    scope_for: Callable[[Role], dict[str, object]],
    person: int,
    roles: list[Role],
    permissions: list[Permission],
    status: int,
) -> None:
    creds = make_user(roles, permissions=permissions, **scope_for(roles[0]))
    response = client.get(url(person), headers=login(client, creds))
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json() == {
            "person_id": person,
            "my_number": NUMBER,
            "purpose": "disaster_victim_registry",
        }
    else:
        assert NUMBER not in response.text


def test_a_purpose_from_the_list_is_required(
    client: TestClient, make_user: MakeUser, person: int
) -> None:
    headers = login(client, make_user(Role.welfare, permissions=[READ]))
    assert client.get(url(person, None), headers=headers).status_code == 422
    assert client.get(url(person, "curiosity"), headers=headers).status_code == 422
    missing = client.get(url(person + 1000), headers=headers)
    assert missing.status_code == 404


def test_each_read_is_audited_with_its_purpose(
    client: TestClient, session: Session, make_user: MakeUser, person: int
) -> None:
    reader = make_user(Role.welfare, permissions=[READ])
    headers = login(client, reader) | {"X-Request-ID": "mn-read-1"}
    assert client.get(url(person, "livelihood_support_payment"), headers=headers).is_success
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.user_id == reader.principal.user_id,
            AuditEntry.resource == service.MY_NUMBER_RESOURCE,
        )
    ).one()
    assert entry.action == "read" and entry.person_ids == [person]
    assert entry.fields == ["my_number"] and entry.purpose_code == "livelihood_support_payment"
    assert entry.request_id == "mn-read-1"
    refused = make_user(Role.welfare)
    client.get(url(person), headers=login(client, refused))
    unrecorded = session.scalars(
        select(AuditEntry).where(
            AuditEntry.user_id == refused.principal.user_id,
            AuditEntry.resource == service.MY_NUMBER_RESOURCE,
        )
    ).all()
    assert unrecorded == []  # refused before anything was read


@pytest.fixture
def sql_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """SQL statements and their parameters, logged from the test's connection on (request this
    fixture before the session, which decides on logging when it connects)."""
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    return caplog


def test_the_clear_number_appears_in_no_other_response_log_line_or_sql_statement(
    sql_log: pytest.LogCaptureFixture,
    client: TestClient,
    session: Session,
    make_user: MakeUser,
    person: int,
) -> None:
    reader = make_user(Role.hq, permissions=[READ])
    reader_headers = login(client, reader)
    hq = login(client, make_user(Role.hq))
    auditor = login(client, make_user(Role.auditor))
    with structlog.testing.capture_logs() as events:
        stored_now = add_person(session, "900000004")
        service.store_my_number(
            session=session, municipality_code="122271", person_id=stored_now, number=OTHER
        )
        allowed = client.get(url(person), headers=reader_headers)
        others = [
            client.get(url(person), headers=hq),
            client.get(url(person, None), headers=reader_headers),
            client.get(url(person, "'; SELECT 1 --"), headers=reader_headers),
            client.get(url(person)),
            client.get("/api/auth/me", headers=reader_headers),
            client.get("/api/audit", params={"person_id": person}, headers=auditor),
            client.get(f"/api/audit/persons/{person}/export", headers=auditor),
            client.get("/api/municipalities", headers=reader_headers),
            client.get(
                "/api/ogc/122271/collections/shelters/items?limit=3", headers=reader_headers
            ),
            client.get("/map/122271", headers=reader_headers),
            client.get("/openapi.json", headers=reader_headers),
        ]
    assert allowed.json()["my_number"] == NUMBER
    assert [r.status_code for r in others] == [403, 422, 422, 401] + [200] * 7
    for response in others:
        assert NUMBER not in response.text, response.request.url
    assert {"request refused"} <= {e["event"] for e in events}  # the app's log lines,
    assert "FROM my_number" in sql_log.text  # the SQL that read the sealed number,
    assert "INSERT INTO my_number" in sql_log.text  # and the SQL that stored it
    for number in (NUMBER, OTHER):
        assert number not in repr(events) + sql_log.text
        trail = session.execute(text("SELECT string_agg(audit_log::text, ' ') FROM audit_log"))
        assert number not in (trail.scalar() or "")
