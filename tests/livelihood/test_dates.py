"""Dates of applications and payments: not in the future (Japan's today), not before the
disaster, and a payment not before its application."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from livelihood.factory import JST, issue_certificate, make_event, make_household
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.damage.levels import DamageLevel
from sonae.event.models import EventPhase
from sonae.livelihood.models import LivelihoodApplication, LivelihoodPayment
from sonae.security.roles import Role

Headers = Callable[..., dict[str, str]]
APPLICATIONS = "/api/livelihood-support/applications"


def refused(response: Any, field: str, reason: str) -> None:
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(f"field '{field}': {reason}")


def test_application_and_payment_dates_keep_their_order(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    today = datetime.now(JST).date()
    struck = today - timedelta(days=30)
    event = make_event(session, phase=EventPhase.damage_certification, started=struck)
    make_household(session, "LD-1", [date(1960, 1, 1)])
    issue_certificate(session, event, "LD-1", DamageLevel.total_collapse)
    hq = auth_headers(Role.hq)
    body = {"event_id": event.id, "household_number": "LD-1", "kind": "basic"}

    ahead = client.post(
        APPLICATIONS, json={**body, "applied_on": str(today + timedelta(days=2))}, headers=hq
    )
    refused(ahead, "applied_on", "in the future")
    early = client.post(
        APPLICATIONS, json={**body, "applied_on": str(struck - timedelta(days=1))}, headers=hq
    )
    refused(early, "applied_on", "before the disaster")
    assert session.scalars(select(LivelihoodApplication).where(
        LivelihoodApplication.household_number == "LD-1")).first() is None  # fmt: skip

    applied_on = today - timedelta(days=10)
    created = client.post(APPLICATIONS, json={**body, "applied_on": str(applied_on)}, headers=hq)
    assert created.status_code == 201, created.text
    base, amount = f"{APPLICATIONS}/{created.json()['id']}", created.json()["amount"]
    assert client.post(f"{base}/status", json={"to": "approved"}, headers=hq).status_code == 200
    for paid_on, reason in (
        (struck - timedelta(days=1), "before the disaster"),
        (applied_on - timedelta(days=1), "before the application"),
        (today + timedelta(days=2), "in the future"),
    ):
        payment = {"amount": amount, "paid_on": str(paid_on)}
        refused(client.post(f"{base}/payments", json=payment, headers=hq), "paid_on", reason)
    assert session.scalars(select(LivelihoodPayment)).first() is None
    paid = client.post(
        f"{base}/payments", json={"amount": amount, "paid_on": str(today)}, headers=hq
    )
    assert paid.status_code == 201, paid.text


def test_an_application_on_the_disasters_day_is_accepted(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    """The disaster date is Japan's: an event at 16:10 JST counts from that day."""
    event = make_event(session, phase=EventPhase.damage_certification)
    make_household(session, "LD-2", [date(1960, 1, 1)])
    issue_certificate(session, event, "LD-2", DamageLevel.total_collapse)
    day = event.started_at.astimezone(JST).date()
    body = {"event_id": event.id, "household_number": "LD-2", "kind": "basic"}
    created = client.post(
        APPLICATIONS, json={**body, "applied_on": str(day)}, headers=auth_headers(Role.hq)
    )
    assert created.status_code == 201, created.text
