"""Re-survey requests (再調査の申出): a guarded workflow with an append-only history.

requested → scheduled → surveyed → decided; a request may be rejected while only requested, and
withdrawn by the household until it is surveyed. "surveyed" is reached only by recording the
new survey (record_resurvey), so a request cannot be marked done without one.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.damage.judging import current_judgement
from sonae.damage.models import (
    RESURVEY_STATE_LABELS,
    DamageJudgement,
    DamageSurvey,
    ResurveyRequest,
    ResurveyState,
    ResurveyTransition,
)
from sonae.damage.service import SurveyInput, get_dwelling, record_survey
from sonae.dwelling.models import DwellingHousehold
from sonae.errors import ConflictError, InvalidInputError, NotFoundError
from sonae.event.phases import Workflow
from sonae.event.service import get_municipal_event, get_open_event

_S = ResurveyState
ALLOWED: dict[ResurveyState, frozenset[ResurveyState]] = {
    _S.requested: frozenset({_S.scheduled, _S.rejected, _S.withdrawn}),
    _S.scheduled: frozenset({_S.surveyed, _S.withdrawn}),
    _S.surveyed: frozenset({_S.decided}),
    _S.decided: frozenset(),
    _S.rejected: frozenset(),
    _S.withdrawn: frozenset(),
}

MANUAL_TARGETS = frozenset({_S.scheduled, _S.rejected, _S.withdrawn, _S.decided})
"""States a person may move a request to directly; surveyed comes with a survey."""


def check_move(current: ResurveyState, target: ResurveyState) -> None:
    if target in ALLOWED[current]:
        return
    reason = "the request is closed" if not ALLOWED[current] else "not a next step"
    raise ConflictError(
        f"re-survey {current.value} ({RESURVEY_STATE_LABELS[current]}) → {target.value} "
        f"({RESURVEY_STATE_LABELS[target]}) refused: {reason}"
    )


def _move(
    *, session: Session, request: ResurveyRequest, target: ResurveyState, note: str | None, by: str
) -> None:
    check_move(request.state, target)
    session.add(
        ResurveyTransition(
            municipality_code=request.municipality_code,
            request_id=request.id,
            from_state=request.state,
            to_state=target,
            note=note,
            moved_by=by,
        )
    )
    request.state = target
    session.flush()


def request_resurvey(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    household_number: str,
    reason: str,
    requested_by: str,
) -> ResurveyRequest:
    """A household contests its dwelling's judgement in force."""
    get_open_event(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        workflow=Workflow.damage_survey,
    )
    link = session.scalars(
        select(DwellingHousehold).where(
            DwellingHousehold.municipality_code == municipality_code,
            DwellingHousehold.household_number == household_number,
        )
    ).one_or_none()
    if link is None:
        raise NotFoundError("household_number: the household is linked to no dwelling")
    judgement = current_judgement(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        dwelling_id=link.dwelling_id,
    )
    if judgement is None:
        raise ConflictError("the dwelling has no judgement yet: nothing to re-survey")
    open_requests = session.scalar(
        select(ResurveyRequest.id).where(
            ResurveyRequest.municipality_code == municipality_code,
            ResurveyRequest.event_id == event_id,
            ResurveyRequest.household_number == household_number,
            ResurveyRequest.state.in_([_S.requested, _S.scheduled, _S.surveyed]),
        )
    )
    if open_requests is not None:
        raise ConflictError(f"the household already has open re-survey request {open_requests}")
    request = ResurveyRequest(
        municipality_code=municipality_code,
        event_id=event_id,
        dwelling_id=link.dwelling_id,
        household_number=household_number,
        contested_judgement_id=judgement.id,
        reason=reason,
        state=_S.requested,
        requested_by=requested_by,
    )
    session.add(request)
    session.flush()
    session.add(
        ResurveyTransition(
            municipality_code=municipality_code,
            request_id=request.id,
            from_state=None,
            to_state=_S.requested,
            note=None,
            moved_by=requested_by,
        )
    )
    session.flush()
    return request


def get_request(
    *, session: Session, municipality_code: str, event_id: int, request_id: int
) -> ResurveyRequest:
    request = session.get(ResurveyRequest, (municipality_code, request_id))
    if request is None or request.event_id != event_id:
        raise NotFoundError(f"re-survey request {request_id} not found in event {event_id}")
    return request


def move_request(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    request_id: int,
    target: ResurveyState,
    note: str | None,
    moved_by: str,
) -> ResurveyRequest:
    get_municipal_event(session=session, municipality_code=municipality_code, event_id=event_id)
    request = get_request(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        request_id=request_id,
    )
    check_move(request.state, target)
    if target not in MANUAL_TARGETS:
        raise InvalidInputError(
            f"state: {target.value} is reached by recording the re-survey, not set by hand"
        )
    _move(session=session, request=request, target=target, note=note, by=moved_by)
    return request


def record_resurvey(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    request_id: int,
    data: SurveyInput,
    recorded_by: str,
) -> tuple[ResurveyRequest, DamageSurvey, DamageJudgement]:
    """Record the second look at the dwelling; the request moves to surveyed with it."""
    request = get_request(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        request_id=request_id,
    )
    check_move(request.state, _S.surveyed)
    get_dwelling(session=session, municipality_code=municipality_code, dwelling_id=data.dwelling_id)
    if data.dwelling_id != request.dwelling_id:
        raise InvalidInputError("dwelling_id: not the dwelling the request is about")
    survey, judgement = record_survey(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        data=SurveyInput(**{**data.__dict__, "resurvey_request_id": request.id}),
        recorded_by=recorded_by,
    )
    _move(
        session=session,
        request=request,
        target=_S.surveyed,
        note=f"survey {survey.id}: {judgement.level.value}",
        by=recorded_by,
    )
    return request, survey, judgement


def history(*, session: Session, request: ResurveyRequest) -> list[ResurveyTransition]:
    return list(
        session.scalars(
            select(ResurveyTransition)
            .where(
                ResurveyTransition.municipality_code == request.municipality_code,
                ResurveyTransition.request_id == request.id,
            )
            .order_by(ResurveyTransition.id)
        )
    )


def list_requests(
    *, session: Session, municipality_code: str, event_id: int, state: ResurveyState | None = None
) -> list[ResurveyRequest]:
    get_municipal_event(session=session, municipality_code=municipality_code, event_id=event_id)
    query = select(ResurveyRequest).where(
        ResurveyRequest.municipality_code == municipality_code,
        ResurveyRequest.event_id == event_id,
    )
    if state is not None:
        query = query.where(ResurveyRequest.state == state)
    return list(session.scalars(query.order_by(ResurveyRequest.id)))
