"""Recording damage surveys and reading a dwelling's judgements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.damage.judging import criteria_in_force, judge
from sonae.damage.models import DamageJudgement, DamageSurvey, SurveyHazard, SurveyRound
from sonae.dwelling.models import Dwelling, StructureKind
from sonae.errors import InvalidInputError, NotFoundError
from sonae.event.clock import require_event_date, server_clock
from sonae.event.models import EventHazard
from sonae.event.phases import Workflow
from sonae.event.service import get_municipal_event, get_open_event
from sonae.text import require_text

HAZARD_OF_EVENT: dict[EventHazard, SurveyHazard] = {
    EventHazard.earthquake: SurveyHazard.earthquake,
    EventHazard.tsunami: SurveyHazard.flood,
    EventHazard.flood: SurveyHazard.flood,
    EventHazard.storm_surge: SurveyHazard.flood,
    EventHazard.inland_flooding: SurveyHazard.flood,
    EventHazard.typhoon: SurveyHazard.wind,
    EventHazard.landslide: SurveyHazard.earthquake,
    EventHazard.large_fire: SurveyHazard.earthquake,
    EventHazard.volcano: SurveyHazard.earthquake,
    EventHazard.other: SurveyHazard.earthquake,
}
"""The survey hazard a survey is judged against unless the surveyor names another (e.g.
liquefaction in an earthquake). Fire and landslide fall back to the earthquake tables, which the
guideline also uses for damage that is not water or wind."""


@dataclass(frozen=True)
class SurveyInput:
    dwelling_id: int
    round: SurveyRound
    surveyor: str
    surveyed_on: date
    hazard: SurveyHazard | None = None
    structure: StructureKind | None = None
    part_damage: dict[str, float] | None = None
    direct_ratio: float | None = None
    flood_depth_m: float | None = None
    tilt: float | None = None
    collapsed: bool = False
    storey_collapsed: bool = False
    washed_away: bool = False
    note: str | None = None
    resurvey_request_id: int | None = None


def get_dwelling(*, session: Session, municipality_code: str, dwelling_id: int) -> Dwelling:
    dwelling = session.get(Dwelling, (municipality_code, dwelling_id))
    if dwelling is None:
        raise NotFoundError(f"dwelling {dwelling_id} not found")
    return dwelling


def record_survey(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    data: SurveyInput,
    recorded_by: str,
) -> tuple[DamageSurvey, DamageJudgement]:
    """Store a survey and judge it at once under the criteria the event judges by."""
    event = get_open_event(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        workflow=Workflow.damage_survey,
    )
    now = server_clock(session)
    require_event_date(field="surveyed_on", on=data.surveyed_on, event=event, now=now)
    dwelling = get_dwelling(
        session=session, municipality_code=municipality_code, dwelling_id=data.dwelling_id
    )
    structure = data.structure or dwelling.structure
    if structure is None:
        raise InvalidInputError("structure: the dwelling has none on record; give it")
    if data.part_damage is not None and data.direct_ratio is not None:
        raise InvalidInputError("give either part_damage or direct_ratio, not both")
    survey = DamageSurvey(
        municipality_code=municipality_code,
        event_id=event_id,
        dwelling_id=dwelling.id,
        round=data.round,
        hazard=data.hazard or HAZARD_OF_EVENT[event.hazard],
        structure=structure,
        surveyor=require_text(field="surveyor", value=data.surveyor),
        surveyed_on=data.surveyed_on,
        part_damage=data.part_damage,
        direct_ratio=data.direct_ratio,
        flood_depth_m=data.flood_depth_m,
        tilt=data.tilt,
        collapsed=data.collapsed,
        storey_collapsed=data.storey_collapsed,
        washed_away=data.washed_away,
        note=data.note,
        resurvey_request_id=data.resurvey_request_id,
        recorded_by=recorded_by,
    )
    session.add(survey)
    session.flush()
    criteria = criteria_in_force(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    judgement = judge(
        session=session, survey=survey, criteria=criteria, cause="survey", judged_by=recorded_by
    )
    return survey, judgement


def get_survey(
    *, session: Session, municipality_code: str, event_id: int, survey_id: int
) -> DamageSurvey:
    survey = session.get(DamageSurvey, (municipality_code, survey_id))
    if survey is None or survey.event_id != event_id:
        raise NotFoundError(f"damage survey {survey_id} not found in event {event_id}")
    return survey


def list_surveys(
    *, session: Session, municipality_code: str, event_id: int, dwelling_id: int | None = None
) -> list[DamageSurvey]:
    get_municipal_event(session=session, municipality_code=municipality_code, event_id=event_id)
    query = select(DamageSurvey).where(
        DamageSurvey.municipality_code == municipality_code, DamageSurvey.event_id == event_id
    )
    if dwelling_id is not None:
        query = query.where(DamageSurvey.dwelling_id == dwelling_id)
    return list(session.scalars(query.order_by(DamageSurvey.id)))


def judgement_history(
    *, session: Session, municipality_code: str, event_id: int, dwelling_id: int
) -> list[DamageJudgement]:
    """Every judgement of the dwelling, oldest first: both sides of every criteria switch."""
    get_municipal_event(session=session, municipality_code=municipality_code, event_id=event_id)
    return list(
        session.scalars(
            select(DamageJudgement)
            .where(
                DamageJudgement.municipality_code == municipality_code,
                DamageJudgement.event_id == event_id,
                DamageJudgement.dwelling_id == dwelling_id,
            )
            .order_by(DamageJudgement.id)
        )
    )
