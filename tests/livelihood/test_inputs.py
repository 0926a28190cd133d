"""Livelihood support: a rejection needs a reason that says something, a payment fits the
column, and the push-notice list (household numbers with their damage) is an audited read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient
from livelihood.factory import issue_certificate, make_event, make_household
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.audit.models import AuditAction, AuditEntry
from sonae.damage.levels import DamageLevel
from sonae.errors import InvalidInputError
from sonae.event.models import EventPhase
from sonae.livelihood import service
from sonae.livelihood.models import ApplicationStatus
from sonae.livelihood.table import Plan, SupportKind
from sonae.security.roles import Role

Headers = Callable[..., dict[str, str]]
CODE = "122271"


def test_a_blank_rejection_reason_and_a_payment_beyond_the_column_are_refused(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    event = make_event(session, phase=EventPhase.damage_certification)
    make_household(session, "LI-1", [date(1950, 1, 1)])
    issue_certificate(session, event, "LI-1", DamageLevel.total_collapse)
    application = service.receive(
        session=session, municipality_code=CODE, event_id=event.id, household_number="LI-1",
        kind=SupportKind.basic, plan=Plan.none, applied_on=date(2024, 2, 1), received_by="clerk",
    )  # fmt: skip
    with pytest.raises(InvalidInputError, match="rejection needs its reason"):
        service.transition(
            session=session, municipality_code=CODE, application_id=application.id,
            to=ApplicationStatus.rejected, reason="\u3000", changed_by="clerk",
        )  # fmt: skip
    hq = auth_headers(Role.hq)
    base = f"/api/livelihood-support/applications/{application.id}"
    for blank in ("\u3000", "  "):
        refused = client.post(f"{base}/status", json={"to": "rejected", "reason": blank},
                              headers=hq)  # fmt: skip
        assert refused.status_code == 422 and "reason" in refused.text, refused.text
    assert application.status is ApplicationStatus.received
    assert client.post(f"{base}/status", json={"to": "approved"}, headers=hq).status_code == 200
    huge = client.post(f"{base}/payments", json={"amount": 3_000_000_000, "paid_on": "2024-03-01"},
                       headers=hq)  # fmt: skip
    assert huge.status_code == 422 and "amount" in huge.text, huge.text


def test_the_push_notice_list_is_an_audited_read(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    event = make_event(session, phase=EventPhase.damage_certification)
    people = make_household(session, "LI-2", [date(1970, 3, 3), date(1972, 4, 4)])
    issue_certificate(session, event, "LI-2", DamageLevel.total_collapse)
    listed = client.get(
        "/api/livelihood-support/notices",
        params={"event_id": event.id, "as_of": "2024-03-01"},
        headers=auth_headers(Role.welfare),
    )
    assert {n["household_number"] for n in listed.json()} == {"LI-2"}
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.resource == f"event/{event.id}/livelihood-notices")
    ).one()
    assert entry.action == AuditAction.read
    assert sorted(entry.person_ids) == sorted(p.id for p in people)
