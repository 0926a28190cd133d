"""A safety report's observation time: not before the event started, not ahead of the server's
clock. The current status follows the latest observation, so a report "observed" in 2031 would
outrank every real report until then."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from event_town import STRUCK, declare
from sonae.errors import InvalidInputError
from sonae.event.clock import CLOCK_SKEW
from sonae.safety.models import ReportSource, SafetyStatus, Whereabouts
from sonae.safety.service import Observation, record_report, reports_of
from sonae.security.roles import Role
from support.factory import Town

Headers = Callable[..., dict[str, str]]


def test_reports_in_the_future_or_before_the_event_are_refused(
    town: Town, client: TestClient, auth_headers: Headers
) -> None:
    event = declare(town)
    hq = auth_headers(Role.hq, municipality_code=town.code)
    person = town.people["north-a"].id
    url = f"/api/events/{event.id}/safety/reports"
    report = {"person_id": person, "status": "safe", "source": "visit"}
    ahead = datetime.now(UTC) + CLOCK_SKEW + timedelta(minutes=2)
    for when, reason in (
        ("2031-01-01T00:00:00+09:00", "in the future"),
        (ahead.isoformat(), "in the future"),
        ("2020-01-01T00:00:00+09:00", "before the event started"),
        ((STRUCK - timedelta(seconds=1)).isoformat(), "before the event started"),
    ):
        response = client.post(url, json={**report, "observed_at": when}, headers=hq)
        assert response.status_code == 422, response.text
        assert response.json()["detail"].startswith(f"field 'observed_at': {reason}")
    assert reports_of(session=town.session, event=event, person_id=person) == []
    for when in (STRUCK, datetime.now(UTC), datetime.now(UTC) + CLOCK_SKEW - timedelta(minutes=1)):
        response = client.post(url, json={**report, "observed_at": when.isoformat()}, headers=hq)
        assert response.status_code == 201, response.text


def test_the_service_refuses_them_too(town: Town) -> None:
    """Whatever calls record_report (API, a future import or CLI) meets the same rule."""
    event = declare(town)
    future = Observation(
        status=SafetyStatus.safe,
        whereabouts=Whereabouts.home,
        source=ReportSource.phone,
        observed_at=datetime(2031, 1, 1, tzinfo=UTC),
    )
    with pytest.raises(InvalidInputError, match="field 'observed_at': in the future"):
        record_report(
            session=town.session,
            event=event,
            observation=future,
            recorded_by="t",
            person_id=town.people["north-a"].id,
        )
