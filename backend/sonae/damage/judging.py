"""Criteria versions in the database, judging surveys, and switching an event to new criteria.

Judgements are only ever added. Switching an event to a new criteria version re-judges the
dwelling's survey in force (the latest one) under the new version; the judgement under the old
version stays, so both results can be shown and the change explained (Urayasu, May 2011).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sonae.damage.criteria import (
    CRITERIA_DIR,
    CriteriaDocument,
    SurveyFacts,
    classify,
    parse_criteria,
    read_criteria_file,
)
from sonae.damage.models import CriteriaSwitch, DamageCriteriaSet, DamageJudgement, DamageSurvey
from sonae.errors import ConflictError, NotFoundError
from sonae.event.phases import Workflow
from sonae.event.service import get_open_event
from sonae.logging import get_logger

log = get_logger(__name__)

DEFAULT_CRITERIA_FILE = CRITERIA_DIR / "cao-2021.toml"


def load_criteria(
    *, session: Session, municipality_code: str, path: Path, loaded_by: str
) -> DamageCriteriaSet:
    """Store a criteria file as a version. Loading the same criteria again is a no-op; other
    criteria under an existing version are refused (a version is never edited). What counts is
    what the file says (name and rules), not its bytes: a corrected comment is the same version,
    and must not make every database that loaded the shipped file refuse it (the first survey of
    an event loads the default file). The stored sha256 stays that of the file first loaded."""
    document, raw = read_criteria_file(path)
    digest = hashlib.sha256(raw).hexdigest()
    # Insert-or-nothing: concurrent first surveys all load the default version, and the losers
    # must wait for the winner and then read its row, not fail on the unique version.
    session.execute(
        insert(DamageCriteriaSet)
        .values(
            municipality_code=municipality_code,
            version=document.version,
            name=document.name,
            rules=document.model_dump(mode="json"),
            sha256=digest,
            loaded_by=loaded_by,
        )
        .on_conflict_do_nothing(index_elements=["municipality_code", "version"])
    )
    stored = criteria_by_version(
        session=session, municipality_code=municipality_code, version=document.version
    )
    if stored.sha256 != digest and (
        stored.name != document.name or stored.rules != document.model_dump(mode="json")
    ):
        raise ConflictError(
            f"{path.name}: criteria version {document.version} is already loaded with other "
            "content; give the changed criteria a new version"
        )
    log.info("damage criteria loaded", extra={"version": document.version})
    return stored


def document_of(criteria: DamageCriteriaSet) -> CriteriaDocument:
    return parse_criteria(criteria.rules, source=f"criteria {criteria.version}")


def criteria_by_version(
    *, session: Session, municipality_code: str, version: str
) -> DamageCriteriaSet:
    found = session.scalars(
        select(DamageCriteriaSet).where(
            DamageCriteriaSet.municipality_code == municipality_code,
            DamageCriteriaSet.version == version,
        )
    ).one_or_none()
    if found is None:
        raise NotFoundError(f"damage criteria version {version} is not loaded")
    return found


def criteria_in_force(
    *, session: Session, municipality_code: str, event_id: int
) -> DamageCriteriaSet:
    """The version the event was last switched to; before any switch, the default file's version
    (loaded on first use), so a fresh event can be surveyed without a setup step."""
    switched = session.scalars(
        select(DamageCriteriaSet)
        .join(
            CriteriaSwitch,
            (CriteriaSwitch.municipality_code == DamageCriteriaSet.municipality_code)
            & (CriteriaSwitch.criteria_set_id == DamageCriteriaSet.id),
        )
        .where(
            CriteriaSwitch.municipality_code == municipality_code,
            CriteriaSwitch.event_id == event_id,
        )
        .order_by(CriteriaSwitch.id.desc())
        .limit(1)
    ).one_or_none()
    if switched is not None:
        return switched
    default, _ = read_criteria_file(DEFAULT_CRITERIA_FILE)
    loaded = session.scalars(
        select(DamageCriteriaSet).where(
            DamageCriteriaSet.municipality_code == municipality_code,
            DamageCriteriaSet.version == default.version,
        )
    ).one_or_none()
    if loaded is not None:
        return loaded
    return load_criteria(
        session=session,
        municipality_code=municipality_code,
        path=DEFAULT_CRITERIA_FILE,
        loaded_by="system",
    )


def facts_of(survey: DamageSurvey) -> SurveyFacts:
    return SurveyFacts(
        structure=survey.structure,
        hazard=survey.hazard.value,
        part_damage=survey.part_damage,
        direct_ratio=survey.direct_ratio,
        flood_depth_m=survey.flood_depth_m,
        tilt=survey.tilt,
        collapsed=survey.collapsed,
        storey_collapsed=survey.storey_collapsed,
        washed_away=survey.washed_away,
    )


def judge(
    *,
    session: Session,
    survey: DamageSurvey,
    criteria: DamageCriteriaSet,
    cause: str,
    judged_by: str,
) -> DamageJudgement:
    result = classify(document_of(criteria), facts_of(survey))
    judgement = DamageJudgement(
        municipality_code=survey.municipality_code,
        event_id=survey.event_id,
        dwelling_id=survey.dwelling_id,
        survey_id=survey.id,
        criteria_set_id=criteria.id,
        level=result.level,
        ratio=float(result.ratio) if result.ratio is not None else None,
        rule=result.rule,
        cause=cause,
        judged_by=judged_by,
    )
    session.add(judgement)
    session.flush()
    return judgement


def switched_criteria_id(*, session: Session, municipality_code: str, event_id: int) -> int | None:
    return session.scalar(
        select(CriteriaSwitch.criteria_set_id)
        .where(
            CriteriaSwitch.municipality_code == municipality_code,
            CriteriaSwitch.event_id == event_id,
        )
        .order_by(CriteriaSwitch.id.desc())
        .limit(1)
    )


def current_judgement(
    *, session: Session, municipality_code: str, event_id: int, dwelling_id: int
) -> DamageJudgement | None:
    """The judgement in force: the dwelling's latest survey judged under the criteria in force.

    Not simply the latest row: after switching A → B → A the judgement under A made before the
    first switch is the one in force again (it is not repeated, one row per survey and version).
    """
    latest_survey = (
        select(func.max(DamageSurvey.id))
        .where(
            DamageSurvey.municipality_code == municipality_code,
            DamageSurvey.event_id == event_id,
            DamageSurvey.dwelling_id == dwelling_id,
        )
        .scalar_subquery()
    )
    query = select(DamageJudgement).where(
        DamageJudgement.municipality_code == municipality_code,
        DamageJudgement.survey_id == latest_survey,
    )
    criteria_id = switched_criteria_id(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    if criteria_id is not None:
        in_force = session.scalars(
            query.where(DamageJudgement.criteria_set_id == criteria_id)
        ).one_or_none()
        if in_force is not None:
            return in_force
    return session.scalars(query.order_by(DamageJudgement.id.desc()).limit(1)).one_or_none()


_IN_FORCE = text(
    """
    WITH latest_survey AS (
        SELECT DISTINCT ON (dwelling_id) dwelling_id, id AS survey_id
        FROM damage_survey
        WHERE municipality_code = :code AND event_id = :event
        ORDER BY dwelling_id, id DESC
    )
    SELECT DISTINCT ON (s.dwelling_id) s.dwelling_id, j.id
    FROM latest_survey s
    JOIN damage_judgement j ON j.municipality_code = :code AND j.survey_id = s.survey_id
    ORDER BY s.dwelling_id, (j.criteria_set_id = CAST(:criteria AS bigint)) DESC NULLS LAST,
             j.id DESC
    """
)


def judgements_in_force(
    *, session: Session, municipality_code: str, event_id: int
) -> dict[int, int]:
    """{dwelling id: judgement id in force} for the whole event in one query (the same rule as
    current_judgement, for lists of thousands)."""
    criteria_id = switched_criteria_id(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    rows = session.execute(
        _IN_FORCE, {"code": municipality_code, "event": event_id, "criteria": criteria_id}
    )
    return {dwelling_id: judgement_id for dwelling_id, judgement_id in rows}


def surveys_in_force(
    *, session: Session, municipality_code: str, event_id: int
) -> list[DamageSurvey]:
    """The latest survey of every surveyed dwelling of the event (a later visit supersedes)."""
    latest = (
        select(func.max(DamageSurvey.id))
        .where(
            DamageSurvey.municipality_code == municipality_code,
            DamageSurvey.event_id == event_id,
        )
        .group_by(DamageSurvey.dwelling_id)
    )
    return list(
        session.scalars(
            select(DamageSurvey)
            .where(
                DamageSurvey.municipality_code == municipality_code,
                DamageSurvey.id.in_(latest),
            )
            .order_by(DamageSurvey.id)
        )
    )


def switch_criteria(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    version: str,
    reason: str,
    switched_by: str,
) -> CriteriaSwitch:
    """Judge the event by `version` from now on and re-judge every surveyed dwelling under it."""
    get_open_event(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        workflow=Workflow.damage_survey,
    )
    target = criteria_by_version(
        session=session, municipality_code=municipality_code, version=version
    )
    current = criteria_in_force(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    has_switch = session.scalar(
        select(func.count())
        .select_from(CriteriaSwitch)
        .where(
            CriteriaSwitch.municipality_code == municipality_code,
            CriteriaSwitch.event_id == event_id,
        )
    )
    if has_switch and current.id == target.id:
        raise ConflictError(f"the event already judges by criteria version {version}")
    rejudged = 0
    for survey in surveys_in_force(
        session=session, municipality_code=municipality_code, event_id=event_id
    ):
        already = session.scalar(
            select(DamageJudgement.id).where(
                DamageJudgement.municipality_code == municipality_code,
                DamageJudgement.survey_id == survey.id,
                DamageJudgement.criteria_set_id == target.id,
            )
        )
        if already is None:
            judge(
                session=session,
                survey=survey,
                criteria=target,
                cause="criteria_switch",
                judged_by=switched_by,
            )
            rejudged += 1
    switch = CriteriaSwitch(
        municipality_code=municipality_code,
        event_id=event_id,
        criteria_set_id=target.id,
        reason=reason,
        rejudged=rejudged,
        switched_by=switched_by,
    )
    session.add(switch)
    session.flush()
    log.info("damage criteria switched", extra={"event_id": event_id, "rejudged": rejudged})
    return switch
