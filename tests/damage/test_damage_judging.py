"""Surveys judged in the database; switching criteria versions keeps both judgements."""

from __future__ import annotations

import pytest
from damage.factory import URAYASU, make_dwelling, make_event, survey_input
from sqlalchemy.orm import Session

from sonae.damage.criteria import CRITERIA_DIR
from sonae.damage.judging import (
    DEFAULT_CRITERIA_FILE,
    current_judgement,
    judgements_in_force,
    load_criteria,
    switch_criteria,
)
from sonae.damage.levels import DamageLevel
from sonae.damage.models import SurveyHazard
from sonae.damage.service import judgement_history, record_survey
from sonae.dwelling.models import StructureKind
from sonae.errors import ConflictError, InvalidInputError
from sonae.event.models import EventHazard, EventPhase

L = DamageLevel


def stricter_copy(tmp_path_factory: pytest.TempPathFactory, version: str) -> object:
    """cao-2021 with 全壊 from 45 % and 大規模半壊 from 35 %: a made-up mid-response change."""
    text = DEFAULT_CRITERIA_FILE.read_text(encoding="utf-8")
    text = text.replace('version = "cao-2021"', f'version = "{version}"')
    text = text.replace("min_ratio = 50", "min_ratio = 45").replace(
        "min_ratio = 40", "min_ratio = 35"
    )
    path = tmp_path_factory.mktemp("criteria") / f"{version}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_survey_is_judged_at_once_under_the_default_criteria(session: Session) -> None:
    event = make_event(session)
    dwelling = make_dwelling(session)
    survey, judgement = record_survey(
        session=session,
        municipality_code=URAYASU,
        event_id=event.id,
        data=survey_input(dwelling.id, direct_ratio=42.5),
        recorded_by="tester",
    )
    assert survey.hazard is SurveyHazard.earthquake  # from the event's hazard
    assert survey.structure is StructureKind.wooden  # from the dwelling
    assert (judgement.level, judgement.ratio, judgement.rule) == (L.large_scale_half, 42.5, "ratio")
    assert judgement.cause == "survey"


def test_survey_refused_when_the_workflow_is_not_open(session: Session) -> None:
    event = make_event(session, phase=EventPhase.initial_response)
    dwelling = make_dwelling(session)
    with pytest.raises(ConflictError, match="damage_survey"):
        record_survey(
            session=session,
            municipality_code=URAYASU,
            event_id=event.id,
            data=survey_input(dwelling.id, direct_ratio=10),
            recorded_by="tester",
        )


def test_structure_is_needed_when_the_dwelling_has_none(session: Session) -> None:
    event = make_event(session)
    dwelling = make_dwelling(session, structure=None)
    with pytest.raises(InvalidInputError, match="structure"):
        record_survey(
            session=session,
            municipality_code=URAYASU,
            event_id=event.id,
            data=survey_input(dwelling.id, direct_ratio=10),
            recorded_by="tester",
        )


def test_flood_event_surveys_use_flood_rules(session: Session) -> None:
    event = make_event(session, hazard=EventHazard.inland_flooding)
    dwelling = make_dwelling(session)
    _, judgement = record_survey(
        session=session,
        municipality_code=URAYASU,
        event_id=event.id,
        data=survey_input(dwelling.id, flood_depth_m=1.8),
        recorded_by="tester",
    )
    assert (judgement.level, judgement.rule) == (L.total_collapse, "flood_above_floor_1_8m")


def test_switching_criteria_rejudges_and_keeps_both_results(
    session: Session, tmp_path_factory: pytest.TempPathFactory
) -> None:
    event = make_event(session)
    other_event = make_event(session)
    a, b, c = (make_dwelling(session) for _ in range(3))
    for dwelling, ratio in ((a, 47), (b, 36), (c, 12)):
        record_survey(
            session=session,
            municipality_code=URAYASU,
            event_id=event.id,
            data=survey_input(dwelling.id, direct_ratio=ratio),
            recorded_by="tester",
        )
    untouched = make_dwelling(session)
    record_survey(
        session=session,
        municipality_code=URAYASU,
        event_id=other_event.id,
        data=survey_input(untouched.id, direct_ratio=47),
        recorded_by="tester",
    )
    load_criteria(
        session=session,
        municipality_code=URAYASU,
        path=stricter_copy(tmp_path_factory, "test-2026-12"),  # type: ignore[arg-type]
        loaded_by="tester",
    )
    switch = switch_criteria(
        session=session,
        municipality_code=URAYASU,
        event_id=event.id,
        version="test-2026-12",
        reason="運用指針の改定",
        switched_by="tester",
    )
    assert switch.rejudged == 3

    def levels(dwelling_id: int, event_id: int = event.id) -> list[tuple[str, DamageLevel]]:
        history = judgement_history(
            session=session, municipality_code=URAYASU, event_id=event_id, dwelling_id=dwelling_id
        )
        return [(j.cause, j.level) for j in history]

    # 47 %: 大規模半壊 under cao-2021, 全壊 from 45 %; 36 %: 中規模半壊 → 大規模半壊 from 35 %.
    assert levels(a.id) == [("survey", L.large_scale_half), ("criteria_switch", L.total_collapse)]
    assert levels(b.id) == [
        ("survey", L.medium_scale_half),
        ("criteria_switch", L.large_scale_half),
    ]
    assert levels(c.id) == [("survey", L.quasi_half), ("criteria_switch", L.quasi_half)]
    assert levels(untouched.id, other_event.id) == [("survey", L.large_scale_half)]
    in_force = current_judgement(
        session=session, municipality_code=URAYASU, event_id=event.id, dwelling_id=a.id
    )
    assert in_force is not None and in_force.level is L.total_collapse

    # A survey recorded after the switch is judged under the new version.
    d = make_dwelling(session)
    _, judgement = record_survey(
        session=session,
        municipality_code=URAYASU,
        event_id=event.id,
        data=survey_input(d.id, direct_ratio=45),
        recorded_by="tester",
    )
    assert judgement.level is L.total_collapse

    # Switching back makes the first judgement the one in force again, without a duplicate.
    back = switch_criteria(
        session=session,
        municipality_code=URAYASU,
        event_id=event.id,
        version="cao-2021",
        reason="戻す",
        switched_by="tester",
    )
    assert back.rejudged == 1  # only d had never been judged under cao-2021
    in_force = current_judgement(
        session=session, municipality_code=URAYASU, event_id=event.id, dwelling_id=a.id
    )
    assert in_force is not None and in_force.level is L.large_scale_half
    assert len(levels(a.id)) == 2
    # The bulk reading used by certificate lists agrees with the one-dwelling reading.
    one_by_one = {}
    for dwelling in (a, b, c, d):
        found = current_judgement(
            session=session, municipality_code=URAYASU, event_id=event.id, dwelling_id=dwelling.id
        )
        assert found is not None
        one_by_one[dwelling.id] = found.id
    assert (
        judgements_in_force(session=session, municipality_code=URAYASU, event_id=event.id)
        == one_by_one
    )


def test_switching_to_the_version_in_force_is_refused(session: Session) -> None:
    event = make_event(session)
    load_criteria(
        session=session, municipality_code=URAYASU, path=DEFAULT_CRITERIA_FILE, loaded_by="t"
    )
    switch_criteria(
        session=session,
        municipality_code=URAYASU,
        event_id=event.id,
        version="cao-2021",
        reason="first",
        switched_by="t",
    )
    with pytest.raises(ConflictError, match="already judges by"):
        switch_criteria(
            session=session,
            municipality_code=URAYASU,
            event_id=event.id,
            version="cao-2021",
            reason="again",
            switched_by="t",
        )


def test_a_version_is_never_edited(
    session: Session, tmp_path_factory: pytest.TempPathFactory
) -> None:
    load_criteria(
        session=session, municipality_code=URAYASU, path=DEFAULT_CRITERIA_FILE, loaded_by="t"
    )
    shipped = (CRITERIA_DIR / "cao-2021.toml").read_text(encoding="utf-8")
    edited = tmp_path_factory.mktemp("edited") / "cao-2021.toml"
    edited.write_text(shipped.replace("min_ratio = 40", "min_ratio = 41"), encoding="utf-8")
    with pytest.raises(ConflictError, match="already loaded with other content"):
        load_criteria(session=session, municipality_code=URAYASU, path=edited, loaded_by="t")


def test_a_corrected_comment_is_the_same_version(
    session: Session, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A database that loaded the shipped file keeps accepting it after its comment was fixed."""
    shipped = (CRITERIA_DIR / "cao-2021.toml").read_text(encoding="utf-8")
    old = tmp_path_factory.mktemp("old") / "cao-2021.toml"
    old.write_text(shipped.replace("sonae damage\n# rejudge", "sonae damage criteria\n# switch"))
    assert old.read_bytes() != DEFAULT_CRITERIA_FILE.read_bytes()
    first = load_criteria(session=session, municipality_code=URAYASU, path=old, loaded_by="t")
    again = load_criteria(
        session=session, municipality_code=URAYASU, path=DEFAULT_CRITERIA_FILE, loaded_by="t"
    )
    assert again.id == first.id and again.sha256 == first.sha256
