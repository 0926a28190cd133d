"""Dates of temporary housing: not in the future (Japan's today), not before the disaster, and
in order: application, allocation (the day the run placed the household), move-in, move-out."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from livelihood.factory import issue_certificate, make_event, make_household
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.damage.levels import DamageLevel
from sonae.errors import InvalidInputError
from sonae.housing import runs, service, sites
from sonae.housing.models import HousingAllocationRun, HousingApplication, HousingStatus, SiteKind
from sonae.security.roles import Role

CODE = "122271"
BASE = "/api/temporary-housing"
DAY = timedelta(days=1)
Headers = Callable[..., dict[str, str]]


def refused(response: Any, field: str, reason: str) -> None:
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(f"field '{field}': {reason}")


def test_service_keeps_housing_dates_in_order(session: Session) -> None:
    today = japan_time.today()
    struck = today - 30 * DAY
    event = make_event(session, started=struck)
    make_household(session, "HD-1", [date(1980, 1, 1)])
    issue_certificate(session, event, "HD-1", DamageLevel.total_collapse)
    sites.add_site(
        session=session,
        municipality_code=CODE,
        event_id=event.id,
        kind=SiteKind.leased,
        name="みなし1",
        units=1,
        barrier_free_units=0,
        created_by="hq",
    )

    def receive(on: date) -> HousingApplication:
        return service.receive(
            session=session,
            municipality_code=CODE,
            event_id=event.id,
            household_number="HD-1",
            applied_on=on,
            cannot_secure_housing=True,
            received_by="clerk",
        )

    for on, reason in ((today + 2 * DAY, "in the future"), (struck - DAY, "before the disaster")):
        with pytest.raises(
            InvalidInputError, match="^" + re.escape(f"field 'applied_on': {reason}")
        ):
            receive(on)
    assert session.scalars(select(HousingApplication)).first() is None
    applied_on = today - 10 * DAY
    application = receive(applied_on)

    for on, reason in ((today + 2 * DAY, "in the future"), (struck - DAY, "before the disaster")):
        with pytest.raises(InvalidInputError, match="^" + re.escape(f"field 'as_of': {reason}")):
            runs.run_allocation(
                session=session, municipality_code=CODE, event_id=event.id, as_of=on, run_by="hq"
            )
    assert session.scalars(select(HousingAllocationRun)).first() is None
    runs.run_allocation(
        session=session, municipality_code=CODE, event_id=event.id, as_of=struck, run_by="hq"
    )  # ages at the disaster day: allowed
    assert application.status is HousingStatus.allocated

    def move(step: Callable[..., HousingApplication], on: date) -> HousingApplication:
        return step(
            session=session,
            municipality_code=CODE,
            application_id=application.id,
            on=on,
            changed_by="hq",
        )

    for on, reason in (
        (struck - DAY, "before the disaster"),
        (applied_on - DAY, "before the application was made"),
        (today - DAY, f"before the allocation (入居決定 on {today.isoformat()})"),
        (today + 2 * DAY, "in the future"),
    ):
        with pytest.raises(InvalidInputError, match="^" + re.escape(f"field 'on': {reason}")):
            move(service.move_in, on)
    assert (application.status, application.moved_in_on) == (HousingStatus.allocated, None)
    move(service.move_in, today)

    for on, reason in ((today - DAY, "before the move-in"), (today + 2 * DAY, "in the future")):
        with pytest.raises(InvalidInputError, match="^" + re.escape(f"field 'on': {reason}")):
            move(service.move_out, on)
    assert application.status is HousingStatus.moved_in
    assert move(service.move_out, today).moved_out_on == today


def test_api_refuses_housing_dates_out_of_order(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    today = japan_time.today()
    struck = today - 30 * DAY
    event = make_event(session, started=struck)
    make_household(session, "HD-2", [date(1980, 1, 1)])
    issue_certificate(session, event, "HD-2", DamageLevel.total_collapse)
    hq = auth_headers(Role.hq)
    site = {"event_id": event.id, "kind": "leased", "name": "みなし2", "units": 1}
    assert client.post(f"{BASE}/sites", json=site, headers=hq).status_code == 201
    body = {"event_id": event.id, "household_number": "HD-2", "cannot_secure_housing": True}

    ahead = {**body, "applied_on": str(today + 2 * DAY)}
    refused(client.post(f"{BASE}/applications", json=ahead, headers=hq), "applied_on", "in the")
    early = {**body, "applied_on": str(struck - DAY)}
    refused(client.post(f"{BASE}/applications", json=early, headers=hq), "applied_on", "before")
    created = client.post(
        f"{BASE}/applications", json={**body, "applied_on": str(today - 10 * DAY)}, headers=hq
    )
    assert created.status_code == 201, created.text
    application = f"{BASE}/applications/{created.json()['id']}"

    run = {"event_id": event.id, "seed": 1}
    future_run = client.post(
        f"{BASE}/allocation-runs", json={**run, "as_of": str(today + 2 * DAY)}, headers=hq
    )
    refused(future_run, "as_of", "in the future")
    assert client.post(f"{BASE}/allocation-runs", json=run, headers=hq).status_code == 201

    before = client.post(f"{application}/move-in", json={"on": str(today - DAY)}, headers=hq)
    refused(before, "on", "before the allocation")
    moved_in = client.post(f"{application}/move-in", json={"on": str(today)}, headers=hq)
    assert moved_in.status_code == 200, moved_in.text
    assert moved_in.json()["moved_in_on"] == str(today)

    back = client.post(f"{application}/move-out", json={"on": str(today - DAY)}, headers=hq)
    refused(back, "on", "before the move-in")
    ahead_out = client.post(
        f"{application}/move-out", json={"on": str(today + 2 * DAY)}, headers=hq
    )
    refused(ahead_out, "on", "in the future")
    moved_out = client.post(f"{application}/move-out", json={"on": str(today)}, headers=hq)
    assert (moved_out.status_code, moved_out.json()["status"]) == (200, "moved_out")
