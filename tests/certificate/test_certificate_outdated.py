"""A certificate is outdated only when what it states changed: the level, or the survey.

A criteria switch that keeps a household's level does not outdate its certificate, and a re-issue
without a reason is refused unless something changed; the reason recorded says what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from damage.factory import URAYASU, make_dwelling, make_event, make_household, survey_input
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from sonae.certificate import service
from sonae.certificate.models import ApplicationChannel, DamageCertificate
from sonae.damage.judging import DEFAULT_CRITERIA_FILE, load_criteria, switch_criteria
from sonae.damage.models import SurveyRound
from sonae.damage.service import record_survey
from sonae.errors import ConflictError
from sonae.security.roles import Role

Headers = Callable[..., dict[str, str]]


def stricter(tmp_path: Path) -> Path:
    """cao-2021 with 全壊 from 45 %: 47 % goes 大規模半壊 → 全壊; 60 % stays 全壊."""
    text = DEFAULT_CRITERIA_FILE.read_text(encoding="utf-8")
    text = text.replace('version = "cao-2021"', 'version = "test-2026"')
    path = tmp_path / "test-2026.toml"
    path.write_text(text.replace("min_ratio = 50", "min_ratio = 45"), encoding="utf-8")
    return path


def certified(session: Session, event_id: int, ratio: float) -> tuple[int, int, DamageCertificate]:
    """A household surveyed at `ratio` with its first certificate: (application, dwelling, it)."""
    household, people = make_household(session)
    dwelling = make_dwelling(session, households=(household,))
    record_survey(
        session=session,
        municipality_code=URAYASU,
        event_id=event_id,
        data=survey_input(dwelling.id, direct_ratio=ratio),
        recorded_by="tester",
    )
    application = service.apply(
        session=session,
        municipality_code=URAYASU,
        event_id=event_id,
        applicant_address_number=people[0].address_number,
        channel=ApplicationChannel.counter,
        received_by="tester",
    )
    certificate = service.issue(
        session=session,
        municipality_code=URAYASU,
        event_id=event_id,
        application_id=application.id,
        issued_by="tester",
    )
    return application.id, dwelling.id, certificate


def reissue(session: Session, event_id: int, application_id: int, reason: str | None = None) -> str:
    issued = service.issue(
        session=session,
        municipality_code=URAYASU,
        event_id=event_id,
        application_id=application_id,
        issued_by="tester",
        reissue_reason=reason,
    )
    assert issued.reissue_reason is not None
    return issued.reissue_reason


def outdated_serials(session: Session, event_id: int) -> list[str]:
    found = service.list_certificates(
        session=session, municipality_code=URAYASU, event_id=event_id, outdated_only=True
    )
    return [c.serial for c, _ in found]


def test_a_criteria_switch_outdates_only_the_levels_it_changed(
    session: Session, tmp_path: Path
) -> None:
    event = make_event(session)
    moved_app, _, moved = certified(session, event.id, 47)  # 大規模半壊 → 全壊
    kept_app, _, kept = certified(session, event.id, 60)  # 全壊 → 全壊
    load_criteria(
        session=session, municipality_code=URAYASU, path=stricter(tmp_path), loaded_by="t"
    )
    switch = switch_criteria(
        session=session,
        municipality_code=URAYASU,
        event_id=event.id,
        version="test-2026",
        reason="運用指針の改定",
        switched_by="tester",
    )
    assert switch.rejudged == 2  # both re-judged, one changed level
    assert outdated_serials(session, event.id) == [moved.serial]
    assert not service.is_outdated(session=session, certificate=kept)
    assert service.is_outdated(session=session, certificate=moved)

    with pytest.raises(ConflictError, match="needs a reason"):
        reissue(session, event.id, kept_app)
    assert reissue(session, event.id, kept_app, "紛失") == "紛失"
    assert reissue(session, event.id, moved_app) == "判定の変更（大規模半壊 → 全壊）"
    assert outdated_serials(session, event.id) == []


def test_a_resurvey_at_the_same_level_outdates_with_a_true_reason(session: Session) -> None:
    """The certificate prints the survey's round and date: a new survey changes what it states."""
    event = make_event(session)
    application_id, dwelling_id, first = certified(session, event.id, 55)
    record_survey(
        session=session,
        municipality_code=URAYASU,
        event_id=event.id,
        data=survey_input(dwelling_id, round=SurveyRound.second_interior, direct_ratio=52),
        recorded_by="tester",
    )
    assert outdated_serials(session, event.id) == [first.serial]
    assert (
        reissue(session, event.id, application_id) == "再調査（被害の程度は全壊のまま、調査を更新）"
    )


def test_over_http_the_switch_lists_and_reissues_only_the_changed(
    client: TestClient, session: Session, auth_headers: Headers, tmp_path: Path
) -> None:
    event = make_event(session)
    _, _, moved = certified(session, event.id, 47)
    kept_app, _, _ = certified(session, event.id, 60)
    load_criteria(
        session=session, municipality_code=URAYASU, path=stricter(tmp_path), loaded_by="t"
    )
    switch_criteria(
        session=session,
        municipality_code=URAYASU,
        event_id=event.id,
        version="test-2026",
        reason="運用指針の改定",
        switched_by="tester",
    )
    hq = auth_headers(Role.hq)
    listed = client.get(f"/api/events/{event.id}/certificates?outdated=true", headers=hq)
    assert [(c["serial"], c["outdated"]) for c in listed.json()] == [(moved.serial, True)]
    same = client.post(
        f"/api/events/{event.id}/certificate-applications/{kept_app}/issue", headers=hq
    )
    assert same.status_code == 409
    assert "needs a reason" in same.text
