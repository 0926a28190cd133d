"""The real safety and shelter providers feed the panel, the choropleth and the occupancy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from event_town import NORTH, SOUTH, STRUCK, declare, make_town
from sonae.dashboard.providers import SafetyCounts, ShelterStatus
from sonae.dashboard.wiring import install as install_real_providers
from sonae.dashboard.wiring import safety_by_chome, shelter_status
from sonae.safety.models import ReportSource, SafetyStatus, Whereabouts
from sonae.safety.service import Observation, record_report
from sonae.security.roles import Role
from sonae.sheltering.models import IdentifiedBy, ShelterStay
from sonae.sheltering.openings import open_shelter


def test_panel_choropleth_and_occupancy_come_from_safety_and_shelters(
    session: Session, client: TestClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    town = make_town(session)
    event = declare(town, (NORTH, SOUTH))
    people = town.people
    for label, status, where in (
        ("north-a", SafetyStatus.safe, Whereabouts.home),
        ("north-b", SafetyStatus.missing, Whereabouts.unknown),
        ("south-a", SafetyStatus.safe, Whereabouts.car),
    ):
        record_report(
            session=session,
            event=event,
            observation=Observation(
                status=status,
                whereabouts=where,
                source=ReportSource.phone,
                observed_at=STRUCK + timedelta(hours=1),
                contact="090-0000-0000" if where is Whereabouts.car else None,
            ),
            recorded_by="t",
            person_id=people[label].id,
        )
    hall = town.shelter("公民館", (0, 500))
    hall.capacity = 40
    open_shelter(session=session, event=event, shelter_id=hall.id, opened_by="t")
    session.add(
        ShelterStay(
            municipality_code=town.code,
            event_id=event.id,
            shelter_id=hall.id,
            person_id=people["north-care"].id,
            identified_by=IdentifiedBy.address_number,
            checked_in_at=STRUCK + timedelta(hours=2),
            checked_in_by="t",
        )
    )
    session.flush()

    # 北町: 3 residents, 2 confirmed (safe, missing); 南町: 2 residents, 1 confirmed (in a car).
    assert safety_by_chome(session=session, municipality_code=town.code, event_id=event.id) == {
        NORTH: SafetyCounts(confirmed=2, total=3),
        SOUTH: SafetyCounts(confirmed=1, total=2),
    }
    assert shelter_status(session=session, municipality_code=town.code, event_id=event.id) == {
        hall.id: ShelterStatus(is_open=True, occupancy=1)
    }

    install_real_providers()
    response = client.get(
        f"/api/dashboard/{town.code}/figures",
        headers=auth_headers(Role.hq, municipality_code=town.code),
    )
    assert response.status_code == 200, response.text
    slots = {s["slot"]: s for s in response.json()["slots"]}
    lines = {line["label"]: (line["value"], line["of"]) for line in slots["safety"]["lines"]}
    assert lines["確認済"] == (3, 5)
    assert lines["行方不明"] == (1, None)
    assert lines["避難所外（車中・親族宅・市外）"] == (1, None)
    shelters = {line["label"]: (line["value"], line["of"]) for line in slots["shelters"]["lines"]}
    assert shelters == {"開設中": (1, None), "避難者": (1, 40)}
