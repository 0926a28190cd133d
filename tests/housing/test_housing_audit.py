"""Temporary housing over HTTP: every change of a tenancy and the list of expiring tenancies are
audited with the household's members; a blank site name or withdrawal reason is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from housing.test_housing_service import town
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.audit.models import AuditEntry
from sonae.errors import InvalidInputError
from sonae.housing import service, sites
from sonae.housing.models import HousingStatus, SiteKind
from sonae.registry.models import Person
from sonae.security.roles import Role

BASE = "/api/temporary-housing"
Headers = Callable[..., dict[str, str]]


def members(session: Session, number: str) -> list[int]:
    return sorted(session.scalars(select(Person.id).where(Person.household_number == number)))


def entries(session: Session, resource: str) -> list[tuple[str, list[int]]]:
    found = session.scalars(
        select(AuditEntry).where(AuditEntry.resource == resource).order_by(AuditEntry.id)
    )
    return [(e.action, sorted(e.person_ids)) for e in found]


def test_moves_withdrawals_and_expiring_tenancies_are_audited(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    event, apps, _ = town(session)
    hq = auth_headers(Role.hq)
    run = {"event_id": event.id, "seed": 7, "as_of": "2024-03-01"}
    assert client.post(f"{BASE}/allocation-runs", json=run, headers=hq).status_code == 201
    old, today = apps["OLD"], japan_time.today()
    for step in ("move-in", "move-out"):
        if step == "move-out":
            limit = service.tenancy_limit(today)
            params = {"event_id": event.id, "as_of": str(limit), "within_days": 0}
            listed = client.get(f"{BASE}/tenancies/expiring", params=params, headers=hq)
            assert [a["id"] for a in listed.json()] == [old.id]
        moved = client.post(
            f"{BASE}/applications/{old.id}/{step}", json={"on": str(today)}, headers=hq
        )
        assert moved.status_code == 200, moved.text
    g2 = apps["G2"]
    for blank in (" ", "\u3000"):
        refused = client.post(
            f"{BASE}/applications/{g2.id}/close", json={"to": "withdrawn", "reason": blank},
            headers=hq,
        )  # fmt: skip
        assert refused.status_code == 422 and "reason" in refused.text, refused.text
    withdrawn = client.post(
        f"{BASE}/applications/{g2.id}/close", json={"to": "withdrawn", "reason": "親族宅へ"},
        headers=hq,
    )  # fmt: skip
    assert withdrawn.status_code == 200, withdrawn.text
    changes = entries(session, "housing-application")
    assert ("update", members(session, "OLD")) in changes
    assert [c for c in changes if c[0] == "update"] == [
        ("update", members(session, "OLD")),
        ("update", members(session, "OLD")),
        ("update", members(session, "G2")),
    ]
    assert entries(session, "housing-tenancies/expiring") == [("read", members(session, "OLD"))]


def test_a_site_needs_a_name_and_a_withdrawal_a_reason(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    event, apps, _ = town(session)
    site = {"event_id": event.id, "kind": "built", "name": "\u3000", "units": 1}
    refused = client.post(f"{BASE}/sites", json=site, headers=auth_headers(Role.hq))
    assert refused.status_code == 422 and "name" in refused.text, refused.text
    with pytest.raises(InvalidInputError, match="'name': must not be blank"):
        sites.add_site(
            session=session, municipality_code="122271", event_id=event.id, kind=SiteKind.built,
            name="  ", units=1, barrier_free_units=0, created_by="hq",
        )  # fmt: skip
    with pytest.raises(InvalidInputError, match="'reason': must not be blank"):
        service.close(
            session=session, municipality_code="122271", application_id=apps["G1"].id,
            to=HousingStatus.withdrawn, reason="\u3000", changed_by="hq",
        )  # fmt: skip
    big = {**site, "name": "東団地", "barrier_free_units": 3_000_000_000}
    assert client.post(f"{BASE}/sites", json=big, headers=auth_headers(Role.hq)).status_code == 422
    made = client.post(
        f"{BASE}/sites", json={**site, "name": "東団地"}, headers=auth_headers(Role.hq)
    )
    assert made.status_code == 201, made.text
    url = f"{BASE}/sites/{made.json()['id']}"
    for patch in ({"name": "\u3000"}, {"name": " "}, {"vulnerable_cap": 3_000_000_000}):
        refused = client.patch(url, json=patch, headers=auth_headers(Role.hq))
        assert refused.status_code == 422, (patch, refused.text)
    with pytest.raises(InvalidInputError, match="'name': must not be blank"):
        sites.update_site(
            session=session, municipality_code="122271", site_id=made.json()["id"],
            changes={"name": "  "},
        )  # fmt: skip
