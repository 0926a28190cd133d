"""Damage surveys, judgements, criteria switches and re-survey requests over HTTP (hq).

Survey facts and judgements concern a household's home: every read and write is audited with
the internal ids of the people living there.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.api.deps import DbSession
from sonae.api.params import Id
from sonae.audit import service as audit
from sonae.damage import judging, photos, resurvey
from sonae.damage import service as damage_service
from sonae.damage.models import DamageCriteriaSet, ResurveyRequest, ResurveyState
from sonae.damage.schemas import (
    CriteriaOut,
    CriteriaSwitchIn,
    CriteriaSwitchOut,
    DwellingJudgementsOut,
    JudgementOut,
    PhotoOut,
    ResurveyIn,
    ResurveyMoveIn,
    ResurveyOut,
    ResurveyTransitionOut,
    SurveyIn,
    SurveyJudgedOut,
    SurveyOut,
)
from sonae.damage.upload import read_photo
from sonae.dwelling.models import DwellingHousehold
from sonae.dwelling.service import household_person_ids
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role

router = APIRouter(tags=["damage survey (被害認定調査)"])

Hq = Annotated[Principal, Depends(require_roles(Role.hq))]
PURPOSE = "damage_survey"


def _residents(session: Session, code: str, dwelling_ids: list[int]) -> list[int]:
    households = list(
        session.scalars(
            select(DwellingHousehold.household_number).where(
                DwellingHousehold.municipality_code == code,
                DwellingHousehold.dwelling_id.in_(dwelling_ids),
            )
        )
    )
    return household_person_ids(
        session=session, municipality_code=code, household_numbers=households
    )


def _audit(
    session: Session,
    principal: Principal,
    request: Request,
    *,
    action: str,
    resource: str,
    dwelling_ids: list[int],
) -> None:
    audit.record(
        session=session,
        principal=principal,
        action=action,
        resource=resource,
        person_ids=_residents(session, principal.municipality_code, dwelling_ids),
        fields=["damage"],
        purpose_code=PURPOSE,
        request=request,
    )


@router.post(
    "/api/events/{event_id}/surveys",
    status_code=status.HTTP_201_CREATED,
    summary="Record a survey; it is judged at once under the event's criteria",
)
def create_survey(
    event_id: Id, body: SurveyIn, principal: Hq, session: DbSession, request: Request
) -> SurveyJudgedOut:
    survey, judgement = damage_service.record_survey(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        data=body.to_input(),
        recorded_by=principal.username,
    )
    _audit(
        session,
        principal,
        request,
        action="create",
        resource=f"event/{event_id}/survey/{survey.id}",
        dwelling_ids=[survey.dwelling_id],
    )
    return SurveyJudgedOut(
        survey=SurveyOut.model_validate(survey), judgement=JudgementOut.model_validate(judgement)
    )


@router.get("/api/events/{event_id}/surveys", summary="Surveys of the event (audited)")
def list_surveys(
    event_id: Id,
    principal: Hq,
    session: DbSession,
    request: Request,
    dwelling_id: Annotated[Id | None, Query()] = None,
) -> list[SurveyOut]:
    found = damage_service.list_surveys(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        dwelling_id=dwelling_id,
    )
    _audit(
        session,
        principal,
        request,
        action="read",
        resource=f"event/{event_id}/surveys",
        dwelling_ids=sorted({s.dwelling_id for s in found}),
    )
    return [SurveyOut.model_validate(s) for s in found]


@router.post(
    "/api/events/{event_id}/surveys/{survey_id}/photos",
    status_code=status.HTTP_201_CREATED,
    summary="Attach a photo (the JPEG, PNG or WebP bytes as the body, or one multipart file)",
)
async def add_photo(
    event_id: Id, survey_id: Id, principal: Hq, session: DbSession, request: Request
) -> PhotoOut:
    content, source = await read_photo(request)
    survey = damage_service.get_survey(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        survey_id=survey_id,
    )
    photo = photos.store_photo(
        session=session,
        survey=survey,
        content=content,
        uploaded_by=principal.username,
        source=source,
    )
    _audit(
        session,
        principal,
        request,
        action="create",
        resource=f"event/{event_id}/survey/{survey_id}/photo",
        dwelling_ids=[survey.dwelling_id],
    )
    return PhotoOut.model_validate(photo)


@router.get("/api/events/{event_id}/surveys/{survey_id}/photos", summary="A survey's photos")
def list_photos(
    event_id: Id, survey_id: Id, principal: Hq, session: DbSession, request: Request
) -> list[PhotoOut]:
    survey = damage_service.get_survey(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        survey_id=survey_id,
    )
    found = photos.list_photos(session=session, survey=survey)
    _audit(
        session,
        principal,
        request,
        action="read",
        resource=f"event/{event_id}/survey/{survey_id}/photos",
        dwelling_ids=[survey.dwelling_id],
    )
    return [PhotoOut.model_validate(p) for p in found]


@router.get(
    "/api/events/{event_id}/dwellings/{dwelling_id}/judgements",
    summary="The judgement in force and every earlier one (both sides of criteria switches)",
)
def dwelling_judgements(
    event_id: Id, dwelling_id: Id, principal: Hq, session: DbSession, request: Request
) -> DwellingJudgementsOut:
    code = principal.municipality_code
    damage_service.get_dwelling(session=session, municipality_code=code, dwelling_id=dwelling_id)
    history = damage_service.judgement_history(
        session=session, municipality_code=code, event_id=event_id, dwelling_id=dwelling_id
    )
    in_force = judging.current_judgement(
        session=session, municipality_code=code, event_id=event_id, dwelling_id=dwelling_id
    )
    _audit(
        session,
        principal,
        request,
        action="read",
        resource=f"event/{event_id}/dwelling/{dwelling_id}/judgements",
        dwelling_ids=[dwelling_id],
    )
    return DwellingJudgementsOut(
        dwelling_id=dwelling_id,
        in_force=JudgementOut.model_validate(in_force) if in_force else None,
        history=[JudgementOut.model_validate(j) for j in history],
    )


@router.get("/api/damage-criteria", summary="Loaded criteria versions")
def list_criteria(principal: Hq, session: DbSession) -> list[CriteriaOut]:
    rows = session.scalars(
        select(DamageCriteriaSet)
        .where(DamageCriteriaSet.municipality_code == principal.municipality_code)
        .order_by(DamageCriteriaSet.id)
    )
    return [CriteriaOut.model_validate(r) for r in rows]


@router.post(
    "/api/events/{event_id}/criteria-switches",
    status_code=status.HTTP_201_CREATED,
    summary="Judge the event by another criteria version; every surveyed dwelling is re-judged",
)
def switch(
    event_id: Id, body: CriteriaSwitchIn, principal: Hq, session: DbSession, request: Request
) -> CriteriaSwitchOut:
    done = judging.switch_criteria(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        version=body.version,
        reason=body.reason,
        switched_by=principal.username,
    )
    audit.record(
        session=session,
        principal=principal,
        action="update",
        resource=f"event/{event_id}/criteria",
        purpose_code=PURPOSE,
        request=request,
        detail={"version": body.version, "rejudged": done.rejudged},
    )
    return CriteriaSwitchOut.model_validate(done)


def _resurvey_out(session: Session, found: ResurveyRequest) -> ResurveyOut:
    out = ResurveyOut.model_validate(found)
    out.history = [
        ResurveyTransitionOut.model_validate(t)
        for t in resurvey.history(session=session, request=found)
    ]
    return out


@router.post(
    "/api/events/{event_id}/resurvey-requests",
    status_code=status.HTTP_201_CREATED,
    summary="A household asks for its dwelling to be surveyed again (再調査の申出)",
)
def request_resurvey(
    event_id: Id, body: ResurveyIn, principal: Hq, session: DbSession, request: Request
) -> ResurveyOut:
    made = resurvey.request_resurvey(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        household_number=body.household_number,
        reason=body.reason,
        requested_by=principal.username,
    )
    _audit(
        session,
        principal,
        request,
        action="create",
        resource=f"event/{event_id}/resurvey/{made.id}",
        dwelling_ids=[made.dwelling_id],
    )
    return _resurvey_out(session, made)


@router.get("/api/events/{event_id}/resurvey-requests", summary="Re-survey requests (audited)")
def list_resurveys(
    event_id: Id,
    principal: Hq,
    session: DbSession,
    request: Request,
    state: Annotated[ResurveyState | None, Query()] = None,
) -> list[ResurveyOut]:
    found = resurvey.list_requests(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        state=state,
    )
    _audit(
        session,
        principal,
        request,
        action="read",
        resource=f"event/{event_id}/resurveys",
        dwelling_ids=sorted({r.dwelling_id for r in found}),
    )
    return [_resurvey_out(session, r) for r in found]


@router.post(
    "/api/events/{event_id}/resurvey-requests/{request_id}/transitions",
    summary="Move a request: scheduled, rejected, withdrawn or decided",
)
def move_resurvey(
    event_id: Id,
    request_id: Id,
    body: ResurveyMoveIn,
    principal: Hq,
    session: DbSession,
    request: Request,
) -> ResurveyOut:
    moved = resurvey.move_request(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        request_id=request_id,
        target=body.state,
        note=body.note,
        moved_by=principal.username,
    )
    _audit(
        session,
        principal,
        request,
        action="update",
        resource=f"event/{event_id}/resurvey/{request_id}",
        dwelling_ids=[moved.dwelling_id],
    )
    return _resurvey_out(session, moved)


@router.post(
    "/api/events/{event_id}/resurvey-requests/{request_id}/survey",
    status_code=status.HTTP_201_CREATED,
    summary="Record the re-survey; the request moves to surveyed",
)
def record_resurvey(
    event_id: Id,
    request_id: Id,
    body: SurveyIn,
    principal: Hq,
    session: DbSession,
    request: Request,
) -> SurveyJudgedOut:
    _, survey, judgement = resurvey.record_resurvey(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        request_id=request_id,
        data=body.to_input(),
        recorded_by=principal.username,
    )
    _audit(
        session,
        principal,
        request,
        action="create",
        resource=f"event/{event_id}/resurvey/{request_id}/survey",
        dwelling_ids=[survey.dwelling_id],
    )
    return SurveyJudgedOut(
        survey=SurveyOut.model_validate(survey), judgement=JudgementOut.model_validate(judgement)
    )
