"""The re-survey workflow: allowed moves, refused moves, the history, and the new judgement."""

from __future__ import annotations

import pytest
from damage.factory import URAYASU, make_dwelling, make_event, make_household, survey_input
from sqlalchemy.orm import Session

from sonae.damage import resurvey
from sonae.damage.judging import current_judgement
from sonae.damage.levels import DamageLevel
from sonae.damage.models import ResurveyState, SurveyRound
from sonae.damage.service import record_survey
from sonae.errors import ConflictError, InvalidInputError, NotFoundError

S = ResurveyState


@pytest.fixture
def contested(session: Session) -> tuple[int, int, str]:
    """(event id, dwelling id, household number): a dwelling judged 準半壊 at 15 %."""
    event = make_event(session)
    household, _ = make_household(session)
    dwelling = make_dwelling(session, households=(household,))
    record_survey(
        session=session,
        municipality_code=URAYASU,
        event_id=event.id,
        data=survey_input(dwelling.id, direct_ratio=15),
        recorded_by="tester",
    )
    return event.id, dwelling.id, household


def open_request(session: Session, event_id: int, household: str) -> int:
    made = resurvey.request_resurvey(
        session=session,
        municipality_code=URAYASU,
        event_id=event_id,
        household_number=household,
        reason="内部の損傷が見られていない",
        requested_by="counter",
    )
    return made.id


def move(session: Session, event_id: int, request_id: int, target: ResurveyState) -> None:
    resurvey.move_request(
        session=session,
        municipality_code=URAYASU,
        event_id=event_id,
        request_id=request_id,
        target=target,
        note=None,
        moved_by="tester",
    )


def test_full_path_gives_a_new_judgement_and_keeps_history(
    session: Session, contested: tuple[int, int, str]
) -> None:
    event_id, dwelling_id, household = contested
    request_id = open_request(session, event_id, household)
    move(session, event_id, request_id, S.scheduled)
    _, survey, judgement = resurvey.record_resurvey(
        session=session,
        municipality_code=URAYASU,
        event_id=event_id,
        request_id=request_id,
        data=survey_input(dwelling_id, round=SurveyRound.second_interior, direct_ratio=22),
        recorded_by="surveyor",
    )
    move(session, event_id, request_id, S.decided)
    assert survey.resurvey_request_id == request_id
    assert judgement.level is DamageLevel.half
    in_force = current_judgement(
        session=session, municipality_code=URAYASU, event_id=event_id, dwelling_id=dwelling_id
    )
    assert in_force is not None and in_force.id == judgement.id
    request = resurvey.get_request(
        session=session, municipality_code=URAYASU, event_id=event_id, request_id=request_id
    )
    steps = [(t.from_state, t.to_state) for t in resurvey.history(session=session, request=request)]
    assert steps == [
        (None, S.requested),
        (S.requested, S.scheduled),
        (S.scheduled, S.surveyed),
        (S.surveyed, S.decided),
    ]


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], S.decided),  # requested → decided skips the survey
        ([S.scheduled], S.rejected),  # a scheduled visit is not rejected any more
        ([S.scheduled], S.requested),  # no way back
        ([S.rejected], S.scheduled),  # closed
        ([S.withdrawn], S.scheduled),  # closed
        ([S.scheduled, S.withdrawn], S.withdrawn),  # closed
    ],
)
def test_refused_transitions(
    session: Session,
    contested: tuple[int, int, str],
    path: list[ResurveyState],
    refused: ResurveyState,
) -> None:
    event_id, _, household = contested
    request_id = open_request(session, event_id, household)
    for step in path:
        move(session, event_id, request_id, step)
    with pytest.raises(ConflictError, match="refused"):
        move(session, event_id, request_id, refused)
    request = resurvey.get_request(
        session=session, municipality_code=URAYASU, event_id=event_id, request_id=request_id
    )
    assert len(resurvey.history(session=session, request=request)) == 1 + len(path)


def test_surveyed_only_by_recording_the_survey(
    session: Session, contested: tuple[int, int, str]
) -> None:
    event_id, _, household = contested
    request_id = open_request(session, event_id, household)
    move(session, event_id, request_id, S.scheduled)
    with pytest.raises(InvalidInputError, match="reached by recording"):
        move(session, event_id, request_id, S.surveyed)


def test_resurvey_before_scheduling_is_refused(
    session: Session, contested: tuple[int, int, str]
) -> None:
    event_id, dwelling_id, household = contested
    request_id = open_request(session, event_id, household)
    with pytest.raises(ConflictError, match=r"requested .* → surveyed"):
        resurvey.record_resurvey(
            session=session,
            municipality_code=URAYASU,
            event_id=event_id,
            request_id=request_id,
            data=survey_input(dwelling_id, direct_ratio=22),
            recorded_by="surveyor",
        )


def test_one_open_request_per_household(session: Session, contested: tuple[int, int, str]) -> None:
    event_id, _, household = contested
    first = open_request(session, event_id, household)
    with pytest.raises(ConflictError, match=f"open re-survey request {first}"):
        open_request(session, event_id, household)
    move(session, event_id, first, S.withdrawn)
    assert open_request(session, event_id, household) != first


def test_request_needs_a_judged_dwelling(session: Session) -> None:
    event = make_event(session)
    household, _ = make_household(session)
    with pytest.raises(NotFoundError, match="linked to no dwelling"):
        open_request(session, event.id, household)
    make_dwelling(session, households=(household,))
    with pytest.raises(ConflictError, match="no judgement yet"):
        open_request(session, event.id, household)
