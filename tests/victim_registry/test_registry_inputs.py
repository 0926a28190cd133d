"""What the victim registry refuses (amounts beyond the column, dates outside the event, blank
text), what it audits (supports and provisions, with the household's members) and an unknown
event's export (404)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from livelihood.factory import make_event, make_household
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.audit.models import AuditEntry
from sonae.errors import InvalidInputError, NotFoundError
from sonae.event.models import DisasterEvent
from sonae.registry.models import Person
from sonae.security.roles import Role
from sonae.victim_registry import service
from sonae.victim_registry.models import SupportGivenKind

CODE = "122271"
Headers = Callable[..., dict[str, str]]
SUPPORT = {"kind": "donation", "description": "見舞金", "given_on": "2024-03-01"}
PROVISION = {
    "recipient": "千葉県",
    "purpose": "審査",
    "items": ["氏名"],
    "provided_on": "2024-03-01",
}


@pytest.fixture
def registry(session: Session) -> tuple[DisasterEvent, list[Person]]:
    """The disaster struck on 2024-01-01; household IN-1 has two members."""
    return make_event(session), make_household(
        session, "IN-1", [date(1970, 1, 1), date(2000, 1, 1)]
    )


def support(session: Session, event: DisasterEvent, **changed: Any) -> object:
    given: dict[str, Any] = {
        "kind": SupportGivenKind.donation, "description": "見舞金", "given_on": date(2024, 3, 1),
        "amount": None, **changed,
    }  # fmt: skip
    return service.record_support(
        session=session, municipality_code=CODE, event_id=event.id, household_number="IN-1",
        recorded_by="clerk", **given,
    )  # fmt: skip


def provision(session: Session, event: DisasterEvent, **changed: Any) -> object:
    given: dict[str, Any] = {
        "recipient": "千葉県", "purpose": "審査", "items": ["氏名"],
        "provided_on": date(2024, 3, 1), **changed,
    }  # fmt: skip
    return service.record_provision(
        session=session, municipality_code=CODE, event_id=event.id, household_number="IN-1",
        recorded_by="clerk", **given,
    )  # fmt: skip


def test_the_service_refuses_amounts_dates_and_blank_text(
    session: Session, registry: tuple[DisasterEvent, list[Person]]
) -> None:
    event, _ = registry
    years_on = japan_time.today().replace(year=japan_time.today().year + 4)
    refused = [
        (support, {"amount": 3_000_000_000}, "amount"),
        (support, {"given_on": years_on}, "given_on': in the future"),
        (support, {"given_on": date(1900, 1, 1)}, "given_on': before the disaster"),
        (support, {"description": "\u3000"}, "description': must not be blank"),
        (provision, {"provided_on": years_on}, "provided_on': in the future"),
        (provision, {"provided_on": date(2023, 12, 31)}, "provided_on': before the disaster"),
        (provision, {"recipient": " "}, "recipient': must not be blank"),
        (provision, {"purpose": "\u3000 "}, "purpose': must not be blank"),
    ]
    for record, changed, message in refused:
        with pytest.raises(InvalidInputError, match=message):
            record(session, event, **changed)
    kept = support(session, event, amount=2_147_483_647, given_on=date(2024, 1, 1),
                   description=" 見舞金\u3000")  # fmt: skip
    assert kept.amount == 2_147_483_647 and kept.description == "見舞金"  # type: ignore[attr-defined]


def test_the_api_refuses_them_with_422(
    client: TestClient, auth_headers: Headers, registry: tuple[DisasterEvent, list[Person]]
) -> None:
    event, _ = registry
    welfare = auth_headers(Role.welfare)
    base = f"/api/victim-registry/{event.id}/households/IN-1"
    refused = [
        ("supports", {**SUPPORT, "amount": 3_000_000_000}, "amount"),
        ("supports", {**SUPPORT, "given_on": "2030-11-24"}, "given_on"),
        ("supports", {**SUPPORT, "given_on": "1900-01-01"}, "given_on"),
        ("supports", {**SUPPORT, "description": "\u3000"}, "description"),
        ("provisions", {**PROVISION, "provided_on": "2031-11-24"}, "provided_on"),
        ("provisions", {**PROVISION, "recipient": " "}, "recipient"),
        ("provisions", {**PROVISION, "purpose": " "}, "purpose"),
    ]
    for path, body, field in refused:
        answer = client.post(f"{base}/{path}", json=body, headers=welfare)
        assert answer.status_code == 422, (body, answer.text)
        assert field in answer.text, answer.text


def test_supports_and_provisions_are_audited_with_the_members(
    client: TestClient,
    auth_headers: Headers,
    session: Session,
    registry: tuple[DisasterEvent, list[Person]],
) -> None:
    event, people = registry
    welfare = auth_headers(Role.welfare)
    base = f"/api/victim-registry/{event.id}/households/IN-1"
    for path in ("supports", "provisions"):
        body = SUPPORT if path == "supports" else PROVISION
        assert client.post(f"{base}/{path}", json=body, headers=welfare).status_code == 201
    entries = {
        e.resource: e
        for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "create"))
    }
    for resource in ("support", "provision"):
        entry = entries[f"event/{event.id}/victim-registry/{resource}"]
        assert sorted(entry.person_ids) == sorted(p.id for p in people)


def test_an_unknown_event_has_no_registry_to_export(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    answer = client.get("/api/victim-registry/999999999/export", headers=auth_headers(Role.hq))
    assert answer.status_code == 404, answer.text
    # (other tests' committed CLI runs may have left exports of their own in the trail)
    exported = select(AuditEntry).where(
        AuditEntry.action == "export", AuditEntry.resource.contains("999999999")
    )
    assert session.scalars(exported).first() is None
    with pytest.raises(NotFoundError):
        service.registered_households(session=session, municipality_code=CODE, event_id=999999999)
