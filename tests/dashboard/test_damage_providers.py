"""The damage, certificate and housing providers: figures counted by hand, dwellings per level."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import mapbox_vector_tile
from damage.factory import make_dwelling, make_event, make_household
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard_rows import tile_of
from sonae.certificate.models import ApplicationChannel, CertificateApplication, DamageCertificate
from sonae.damage.judging import current_judgement
from sonae.damage.levels import DamageLevel
from sonae.damage.models import (
    CriteriaSwitch,
    DamageCriteriaSet,
    DamageJudgement,
    DamageSurvey,
    SurveyHazard,
    SurveyRound,
)
from sonae.dashboard import damage_providers, providers
from sonae.dashboard.providers import DWELLING_COLUMNS, FigureLine
from sonae.dwelling.models import StructureKind
from sonae.event.models import DisasterEvent
from sonae.housing.models import HousingApplication, HousingSite, HousingStatus, SiteKind
from sonae.livelihood.models import ApplicationStatus, LivelihoodApplication
from sonae.livelihood.table import Plan, SupportKind, SupportLevel
from sonae.security.roles import Role

URAYASU = "122271"


def _apply(
    session: Session, event: DisasterEvent, household: str, *, days_ago: int = 0
) -> CertificateApplication:
    application = CertificateApplication(
        municipality_code=URAYASU,
        event_id=event.id,
        household_number=household,
        applicant_address_number="T000000000",
        channel=ApplicationChannel.counter,
        received_by="test",
        applied_at=datetime.now(UTC) - timedelta(days=days_ago),
    )
    session.add(application)
    session.flush()
    return application


def _criteria(session: Session, version: str) -> DamageCriteriaSet:
    criteria = DamageCriteriaSet(
        municipality_code=URAYASU,
        version=version,
        name="test",
        rules={},
        sha256="0" * 64,
        loaded_by="test",
    )
    session.add(criteria)
    session.flush()
    return criteria


def _survey(session: Session, event: DisasterEvent, dwelling_id: int) -> DamageSurvey:
    survey = DamageSurvey(
        municipality_code=URAYASU,
        event_id=event.id,
        dwelling_id=dwelling_id,
        round=SurveyRound.first_exterior,
        hazard=SurveyHazard.earthquake,
        structure=StructureKind.wooden,
        surveyor="test",
        surveyed_on=date(2026, 11, 2),
        recorded_by="test",
    )
    session.add(survey)
    session.flush()
    return survey


def _judge(
    session: Session, survey: DamageSurvey, criteria: DamageCriteriaSet, level: DamageLevel
) -> DamageJudgement:
    judgement = DamageJudgement(
        municipality_code=URAYASU,
        event_id=survey.event_id,
        dwelling_id=survey.dwelling_id,
        survey_id=survey.id,
        criteria_set_id=criteria.id,
        level=level,
        rule="ratio",
        cause="survey",
        judged_by="test",
    )
    session.add(judgement)
    session.flush()
    return judgement


def _certify(
    session: Session, application: CertificateApplication, judgement: DamageJudgement
) -> None:
    session.add(
        DamageCertificate(
            municipality_code=URAYASU,
            event_id=application.event_id,
            application_id=application.id,
            household_number=application.household_number,
            sequence=1,
            serial=f"{URAYASU}-{application.event_id}-000001",
            judgement_id=judgement.id,
            damage_level=judgement.level,
            template_version=1,
            issued_by="test",
        )
    )
    application.first_issued_at = datetime.now(UTC)
    session.flush()


def _lines(lines: list[FigureLine]) -> list[tuple[str, int, int | None, str]]:
    return [(line.label, line.value, line.of, line.unit) for line in lines]


def test_certificate_figures_count_issued_pending_and_backlog(session: Session) -> None:
    event = make_event(session)
    issued, fresh, stale = (make_household(session)[0] for _ in range(3))
    dwelling = make_dwelling(session, households=(issued,))
    judgement = _judge(
        session, _survey(session, event, dwelling.id), _criteria(session, "t-c"), DamageLevel.half
    )
    _certify(session, _apply(session, event, issued, days_ago=3), judgement)
    _apply(session, event, fresh)  # today: pending, not yet backlog
    _apply(session, event, stale, days_ago=10)  # waiting 10 days: backlog

    lines = damage_providers.certificate_figures(
        session=session, municipality_code=URAYASU, event_id=event.id
    )

    assert _lines(lines) == [
        ("交付済", 1, 3, "件"),
        ("未処理（申請受付・未交付）", 2, None, "件"),
        ("うち7日以上の滞留", 1, None, "件"),
    ]
    assert (
        damage_providers.certificate_figures(
            session=session, municipality_code=URAYASU, event_id=None
        )
        == []
    )


def test_housing_figures_count_households_and_units(session: Session) -> None:
    event = make_event(session)
    for units in (4, 1):  # a built site of 4 and a leased flat
        session.add(
            HousingSite(
                municipality_code=URAYASU,
                event_id=event.id,
                kind=SiteKind.built if units > 1 else SiteKind.leased,
                name=f"テスト団地{units}",
                units=units,
                created_by="test",
            )
        )
    statuses = (
        HousingStatus.allocated,
        HousingStatus.moved_in,
        HousingStatus.waiting,
        HousingStatus.received,
        HousingStatus.withdrawn,
    )
    for status in statuses:
        session.add(
            HousingApplication(
                municipality_code=URAYASU,
                event_id=event.id,
                household_number=make_household(session)[0],
                damage_level=DamageLevel.total_collapse,
                certificate_serial="x",
                cannot_secure_housing=True,
                applied_on=date(2026, 11, 5),
                status=status,
                received_by="test",
            )
        )
    session.flush()

    lines = damage_providers.housing_figures(
        session=session, municipality_code=URAYASU, event_id=event.id
    )

    # 5 households applied, one withdrew: 4; allocated + moved in: 2; waiting + received: 2;
    # one moved in, of 4 + 1 units.
    assert _lines(lines) == [
        ("入居決定（入居中を含む）", 2, 4, "世帯"),
        ("待機・審査中", 2, None, "世帯"),
        ("入居中", 1, 5, "戸"),
    ]


def test_dwellings_show_the_judgement_in_force_and_the_statuses(session: Session) -> None:
    event = make_event(session)
    surveyed, unsurveyed, untouched = (make_household(session)[0] for _ in range(3))
    house = make_dwelling(session, households=(surveyed,))
    other = make_dwelling(session, households=(unsurveyed, untouched))
    first, second = _criteria(session, "t-a"), _criteria(session, "t-b")
    early = _judge(session, _survey(session, event, house.id), first, DamageLevel.half)
    latest = _survey(session, event, house.id)
    _judge(session, latest, first, DamageLevel.total_collapse)
    _judge(session, latest, second, DamageLevel.large_scale_half)  # newer row, not in force
    session.add(
        CriteriaSwitch(
            municipality_code=URAYASU,
            event_id=event.id,
            criteria_set_id=first.id,
            reason="test",
            rejudged=0,
            switched_by="test",
        )
    )
    _certify(session, _apply(session, event, surveyed), early)  # printed half: outdated
    _apply(session, event, unsurveyed)
    session.add(
        LivelihoodApplication(
            municipality_code=URAYASU,
            event_id=event.id,
            household_number=surveyed,
            kind=SupportKind.basic,
            plan=Plan.none,
            level=SupportLevel.total_collapse,
            household_size=1,
            amount=1_000_000,
            applied_on=date(2026, 11, 10),
            deadline=date(2027, 11, 1),
            status=ApplicationStatus.received,
            received_by="test",
        )
    )
    session.flush()

    query = damage_providers.dwellings(municipality_code=URAYASU, event_id=event.id)
    assert set(DWELLING_COLUMNS) <= set(query.selected_columns.keys())
    wrapped = query.subquery()  # as the dashboard uses it
    rows = session.execute(
        select(wrapped).where(wrapped.c.dwelling_id.in_((house.id, other.id)))
    ).mappings()
    found = {row["household_number"]: row for row in rows}

    in_force = current_judgement(
        session=session, municipality_code=URAYASU, event_id=event.id, dwelling_id=house.id
    )
    assert in_force is not None and in_force.level is DamageLevel.total_collapse
    assert {n: (r["dwelling_id"], r["damage_level"]) for n, r in found.items()} == {
        surveyed: (house.id, "total_collapse"),
        unsurveyed: (other.id, None),
        untouched: (other.id, None),
    }
    assert {n: (r["certificate_status"], r["support_status"]) for n, r in found.items()} == {
        surveyed: ("交付済（再交付要）", "支援金申請済"),
        unsurveyed: ("申請中", "未申請"),
        untouched: ("未申請", "未申請"),
    }
    assert all(r["geometry"] is not None for r in found.values())
    no_event = damage_providers.dwellings(municipality_code=URAYASU, event_id=None)
    assert session.execute(no_event).all() == []


def test_a_criteria_switch_that_keeps_the_level_needs_no_reissue(session: Session) -> None:
    """The certificate printed 全壊 under t-old; the switch to t-new judges the same survey 全壊
    again: the certificate still states it (certificate.change), so no re-issue is asked."""
    event = make_event(session)
    household = make_household(session)[0]
    house = make_dwelling(session, households=(household,))
    old, new = _criteria(session, "t-old"), _criteria(session, "t-new")
    survey = _survey(session, event, house.id)
    printed = _judge(session, survey, old, DamageLevel.total_collapse)
    _certify(session, _apply(session, event, household), printed)
    _judge(session, survey, new, DamageLevel.total_collapse)
    session.add(
        CriteriaSwitch(
            municipality_code=URAYASU,
            event_id=event.id,
            criteria_set_id=new.id,
            reason="test",
            rejudged=1,
            switched_by="test",
        )
    )
    session.flush()
    wrapped = damage_providers.dwellings(municipality_code=URAYASU, event_id=event.id).subquery()
    status = session.scalars(
        select(wrapped.c.certificate_status).where(wrapped.c.household_number == household)
    ).one()
    assert status == "交付済"


def test_installed_certificate_slot_shows_on_the_panel(
    session: Session, client: TestClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    event = make_event(session)
    _apply(session, event, make_household(session)[0])
    damage_providers.install()
    try:
        response = client.get(f"/api/dashboard/{URAYASU}/figures", headers=auth_headers(Role.hq))
        assert response.status_code == 200, response.text
        slots: dict[str, Any] = {s["slot"]: s for s in response.json()["slots"]}
        assert response.json()["event"]["id"] == event.id
        assert slots["certificates"]["available"] is True
        assert [(x["label"], x["value"]) for x in slots["certificates"]["lines"]] == [
            ("交付済", 0),
            ("未処理（申請受付・未交付）", 1),
            ("うち7日以上の滞留", 0),
        ]
        assert slots["housing"]["available"] is True
        assert slots["safety"]["status"] == "未集計"
    finally:
        providers.unregister_all()


def test_installed_dwellings_feed_the_tiles_and_the_card(
    session: Session, client: TestClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    event = make_event(session)
    household = make_household(session)[0]
    house = make_dwelling(session, households=(household,))  # at (139.89, 35.65)
    _judge(session, _survey(session, event, house.id), _criteria(session, "t-d"), DamageLevel.half)
    damage_providers.install()
    try:
        x, y = tile_of(139.89, 35.65, 15)
        response = client.get(
            f"/api/tiles/{URAYASU}/dwellings/15/{x}/{y}.pbf", headers=auth_headers(Role.hq)
        )
        assert response.status_code == 200, response.text
        features = mapbox_vector_tile.decode(response.content)["dwellings"]["features"]
        mine = [f["properties"] for f in features if f["id"] == house.id]
        assert [(p["damage_level"], p["certificate_status"]) for p in mine] == [("half", "未申請")]
        card = client.get(
            f"/api/dashboard/{URAYASU}/households/{household}",
            headers=auth_headers(Role.welfare),
        ).json()
        assert (card["damage_level"], card["support_status"]) == ("half", "未申請")
    finally:
        providers.unregister_all()
