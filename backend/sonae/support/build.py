"""Build a version of the support list (避難行動要支援者名簿) from the registry and welfare data.

The work is done by a few set-based statements (support.build_sql); this module binds the
rules to them, stores the build and its counts. See docs/support_list.md for every decision.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from sonae.assignment.models import EvacuationAssignment
from sonae.chome.districts import district_of
from sonae.chome.models import Chome
from sonae.hazard.models import SHELTER_FLAG_FOR_HAZARD
from sonae.logging import get_logger
from sonae.municipality import service as municipality_service
from sonae.support import build_sql
from sonae.support import service as support_service
from sonae.support.models import SupportListBuild
from sonae.support.rules import SupportRules

log = get_logger(__name__)

UNKNOWN_HAZARD = "unknown"
UNKNOWN_HAZARDS = [
    {
        "hazard_type": UNKNOWN_HAZARD,
        "scenario": "",
        "rank": None,
        "rank_label": "不明（位置を特定できない）",
    }
]
"""The hazards of a listed person whose address did not geocode: unknown, not "none"."""

STAGES = (
    ("対象者の抽出", build_sql.LISTED),
    ("対象者の索引", build_sql.LISTED_INDEX),
    ("災害リスクの判定", build_sql.EXPOSURE),
    ("避難先の条件", build_sql.SEEK),
    ("避難先の条件の索引", build_sql.SEEK_INDEX),
    ("避難所の準備", build_sql.SHELTERS),
    ("避難所の圏域", build_sql.CELLS),
    ("最寄りの避難先", build_sql.CHOICE),
    ("名簿の作成", build_sql.ENTRIES),
)

SETTINGS = {"jit": "off", "work_mem": "64MB"}
"""For the build's statements only (restored after): JIT compiles for seconds and gains nothing
on these PostGIS-bound statements; the household aggregate over every resident needs memory."""

OnStage = Callable[[str, int, int], None]
"""Called before each stage with its Japanese name, its number (1-based) and the total."""


def build_support_list(
    *,
    session: Session,
    municipality_code: str,
    built_by: str,
    as_of: date,
    rule_set_id: int | None = None,
    on_stage: OnStage | None = None,
) -> SupportListBuild:
    """Store a new build of the list under the given (default: latest) rule set version."""
    municipality = municipality_service.get(session=session, code=municipality_code)
    rule_set = (
        support_service.get_rule_set(
            session=session, municipality_code=municipality_code, rule_set_id=rule_set_id
        )
        if rule_set_id is not None
        else support_service.current_rule_set(
            session=session, municipality_code=municipality_code, created_by=built_by
        )
    )
    rules = support_service.rules_of(rule_set)
    build = SupportListBuild(
        municipality_code=municipality_code,
        rule_set_id=rule_set.id,
        as_of=as_of,
        built_by=built_by,
        residents=0,
        listed=0,
        counts={},
    )
    session.add(build)
    session.flush()
    params = {
        "code": municipality_code,
        "as_of": as_of,
        "srid": municipality.plane_rectangular_srid,
        "build_id": build.id,
        **rule_params(rules),
        **_district_params(session, municipality_code),
        **_hazard_params(),
        "assignment_id": _latest_assignment_id(session, municipality_code),
    }
    started = time.perf_counter()
    previous = {
        name: session.scalar(text("SELECT current_setting(:name)"), {"name": name})
        for name in SETTINGS
    }
    _settings(session, SETTINGS)
    session.execute(text(build_sql.DROP_WORK_TABLES))
    for number, (name, sql) in enumerate(STAGES, start=1):
        if on_stage is not None:
            on_stage(name, number, len(STAGES))
        session.execute(text(sql), params)
    build.residents = session.scalar(text(build_sql.RESIDENTS), params) or 0
    build.counts = _counts(session, params)
    build.listed = sum(build.counts["by_district"].values())
    session.execute(text(build_sql.DROP_WORK_TABLES))
    _settings(session, {k: str(v) for k, v in previous.items()})
    session.flush()
    log.info(
        "support list built",
        municipality=municipality_code,
        build=build.id,
        rule_set=rule_set.id,
        residents=build.residents,
        listed=build.listed,
        seconds=round(time.perf_counter() - started, 2),
    )
    return build


def rule_params(rules: SupportRules) -> dict[str, Any]:
    """The rules as bind parameters: a criterion switched off can never match."""
    care, physical = rules.care_level, rules.physical_disability
    intellectual, mental = rules.intellectual_disability, rules.mental_disability
    alone, household = rules.elderly_alone, rules.elderly_only_household
    weights, shelter = rules.priority, rules.shelter
    return {
        "care_levels": [str(level) for level in care.levels] if care else [],
        "care_code": care.code if care else None,
        "physical_max": physical.max_grade if physical else None,
        "physical_types": list(physical.types) if physical else [],
        "physical_code": physical.code if physical else None,
        "intellectual_grades": list(intellectual.grades) if intellectual else [],
        "intellectual_code": intellectual.code if intellectual else None,
        "mental_max": mental.max_grade if mental else None,
        "mental_code": mental.code if mental else None,
        "intractable_on": rules.intractable_disease is not None,
        "intractable_code": rules.intractable_disease.code if rules.intractable_disease else None,
        "alone_min_age": alone.min_age if alone else None,
        "alone_code": alone.code if alone else None,
        "household_min_age": household.min_age if household else None,
        "household_code": household.code if household else None,
        "min_rule_age": min(rules.age_thresholds(), default=None),
        "self_request_on": rules.self_request is not None,
        "self_request_code": rules.self_request.code if rules.self_request else None,
        "language_on": rules.language_need is not None,
        "language_code": rules.language_need.code if rules.language_need else None,
        "w_hazard": weights.hazard,
        "w_care": weights.care,
        "w_mobility": weights.mobility,
        "w_alone": weights.alone,
        "w_age": weights.age,
        "mobility_types": list(weights.mobility_types),
        "mobility_max_grade": weights.mobility_max_grade,
        "age_from": weights.age_from,
        "age_span": weights.age_span,
        "welfare_care_levels": [str(level) for level in shelter.welfare_care_levels],
        "welfare_max_grade": shelter.welfare_max_disability_grade,
        "welfare_intellectual_grades": list(shelter.welfare_intellectual_grades),
        "welfare_max_m": shelter.welfare_max_distance_m,
        "unknown_hazards": json.dumps(UNKNOWN_HAZARDS, ensure_ascii=False),
    }


def _settings(session: Session, values: dict[str, str]) -> None:
    for name, value in values.items():
        session.execute(
            text("SELECT set_config(:name, :value, true)"), {"name": name, "value": value}
        )


def _district_params(session: Session, municipality_code: str) -> dict[str, list[str]]:
    rows = session.execute(
        select(Chome.key_code, Chome.name).where(Chome.municipality_code == municipality_code)
    ).all()
    return {
        "chome_keys": [key for key, _ in rows],
        "chome_districts": [district_of(name) for _, name in rows],
    }


def _latest_assignment_id(session: Session, municipality_code: str) -> int:
    """The latest evacuation assignment (0: none): its shelters replace the nearest ones."""
    return int(
        session.scalar(
            select(func.coalesce(func.max(EvacuationAssignment.id), 0)).where(
                EvacuationAssignment.municipality_code == municipality_code
            )
        )
        or 0
    )


def _hazard_params() -> dict[str, list[str]]:
    return {
        "hazard_types": [str(hazard) for hazard in SHELTER_FLAG_FOR_HAZARD],
        "hazard_flags": list(SHELTER_FLAG_FOR_HAZARD.values()),
    }


def _counts(session: Session, params: dict[str, Any]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {"by_reason": {}, "by_hazard": {}, "by_district": {}}
    for kind, key, n in session.execute(text(build_sql.COUNTS), params):
        counts[f"by_{kind}"][key] = int(n)
    return counts
