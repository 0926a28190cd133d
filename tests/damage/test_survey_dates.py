"""A survey's date: not before the disaster, not after today in Japan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from damage.factory import make_dwelling, make_event, make_household
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.damage.models import DamageSurvey
from sonae.security.roles import Role


def test_survey_dates_before_the_disaster_or_in_the_future_are_refused(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]]
) -> None:
    event = make_event(session)
    household, _ = make_household(session, members=1)
    dwelling = make_dwelling(session, households=(household,))
    hq = auth_headers(Role.hq)
    body = {"dwelling_id": dwelling.id, "round": "first_exterior", "surveyor": "調査 一郎",
            "direct_ratio": 25}  # fmt: skip
    url = f"/api/events/{event.id}/surveys"
    for surveyed_on, reason in (("2020-01-01", "before the disaster"),
                                ("2030-01-01", "in the future")):  # fmt: skip
        response = client.post(url, json={**body, "surveyed_on": surveyed_on}, headers=hq)
        assert response.status_code == 422, response.text
        assert response.json()["detail"].startswith(f"field 'surveyed_on': {reason}")
    where = DamageSurvey.event_id == event.id
    assert session.scalars(select(DamageSurvey).where(where)).first() is None
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
    response = client.post(url, json={**body, "surveyed_on": str(today)}, headers=hq)
    assert response.status_code == 201, response.text
