"""Classification under the shipped criteria (cao-2021): every threshold and direct rule.

Part weights of a wooden house in an earthquake (the file): roof 15, columns 15, floors 10,
exterior_walls 10, interior_walls 10, ceilings 5, fittings 10, foundation 10, services 15.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from sonae.damage.criteria import (
    CRITERIA_DIR,
    CriteriaDocument,
    SurveyFacts,
    classify,
    parse_criteria,
    read_criteria_file,
)
from sonae.damage.levels import DAMAGE_LEVEL_LABELS, DamageLevel
from sonae.dwelling.models import StructureKind
from sonae.errors import InvalidInputError

L = DamageLevel


@pytest.fixture(scope="module")
def criteria() -> CriteriaDocument:
    document, _ = read_criteria_file(CRITERIA_DIR / "cao-2021.toml")
    return document


def wooden(hazard: str = "earthquake", **facts: object) -> SurveyFacts:
    return SurveyFacts(structure=StructureKind.wooden, hazard=hazard, **facts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ratio", "level"),
    [
        (100, L.total_collapse),
        (50, L.total_collapse),
        (49.99, L.large_scale_half),
        (40, L.large_scale_half),
        (39.99, L.medium_scale_half),
        (30, L.medium_scale_half),
        (29.99, L.half),
        (20, L.half),
        (19.99, L.quasi_half),
        (10, L.quasi_half),
        (9.99, L.partial),
        (0, L.partial),
    ],
)
def test_direct_ratio_thresholds(
    criteria: CriteriaDocument, ratio: float, level: DamageLevel
) -> None:
    result = classify(criteria, wooden(direct_ratio=ratio))
    assert (result.level, result.rule) == (level, "ratio")
    assert result.ratio == Fraction(str(ratio))


def test_part_damage_reaching_exactly_fifty_percent_is_total_collapse(
    criteria: CriteriaDocument,
) -> None:
    # roof 15 + columns 15 + floors 10 + exterior walls 10 fully damaged = 50 %.
    facts = wooden(part_damage={"roof": 100, "columns": 100, "floors": 100, "exterior_walls": 100})
    result = classify(criteria, facts)
    assert (result.level, result.ratio) == (L.total_collapse, 50)


def test_part_damage_just_below_a_threshold_stays_below(criteria: CriteriaDocument) -> None:
    # 15×100 % + 15×100 % + 10×99.9 % = 30 + 9.99 = 39.99 % (binary floats would not be exact).
    facts = wooden(part_damage={"roof": 100, "columns": 100, "floors": 99.9})
    result = classify(criteria, facts)
    assert result.ratio == Fraction("39.99")
    assert result.level is L.medium_scale_half


def test_part_damage_weighted_by_shares(criteria: CriteriaDocument) -> None:
    # foundation 10 × 60 % + services 15 × 40 % + roof 15 × 20 % = 6 + 6 + 3 = 15 % → 準半壊.
    facts = wooden(part_damage={"foundation": 60, "services": 40, "roof": 20})
    result = classify(criteria, facts)
    assert (result.ratio, result.level) == (15, L.quasi_half)


@pytest.mark.parametrize("flag", ["collapsed", "storey_collapsed", "washed_away"])
def test_collapse_flags_are_total_collapse_whatever_the_ratio(
    criteria: CriteriaDocument, flag: str
) -> None:
    result = classify(criteria, wooden(direct_ratio=5, **{flag: True}))
    assert (result.level, result.rule) == (L.total_collapse, flag)


@pytest.mark.parametrize(
    ("tilt", "level", "rule"),
    [
        (0.05, L.total_collapse, "wooden_tilt"),  # exactly 1/20
        (0.0499, L.partial, "ratio"),  # just under 1/20, no damage otherwise
        (0.1, L.total_collapse, "wooden_tilt"),
    ],
)
def test_wooden_tilt(
    criteria: CriteriaDocument, tilt: float, level: DamageLevel, rule: str
) -> None:
    result = classify(criteria, wooden(tilt=tilt, direct_ratio=0))
    assert (result.level, result.rule) == (level, rule)


def test_tilt_rule_is_for_wooden_and_prefabricated_only(criteria: CriteriaDocument) -> None:
    facts = SurveyFacts(
        structure=StructureKind.non_wooden, hazard="earthquake", tilt=0.05, direct_ratio=0
    )
    assert classify(criteria, facts).level is L.partial
    prefab = SurveyFacts(structure=StructureKind.prefabricated, hazard="earthquake", tilt=0.05)
    assert classify(criteria, prefab).level is L.total_collapse


@pytest.mark.parametrize(
    ("depth", "level", "rule"),
    [
        (2.5, L.total_collapse, "flood_above_floor_1_8m"),
        (1.8, L.total_collapse, "flood_above_floor_1_8m"),
        (1.79, L.large_scale_half, "flood_above_floor_1m"),
        (1.0, L.large_scale_half, "flood_above_floor_1m"),
        (0.99, L.partial, "ratio"),
    ],
)
def test_flood_depth_above_floor(
    criteria: CriteriaDocument, depth: float, level: DamageLevel, rule: str
) -> None:
    result = classify(criteria, wooden("flood", flood_depth_m=depth, direct_ratio=0))
    assert (result.level, result.rule) == (level, rule)


def test_flood_depth_rule_needs_a_flood_survey(criteria: CriteriaDocument) -> None:
    result = classify(criteria, wooden("earthquake", flood_depth_m=2.0, direct_ratio=0))
    assert result.level is L.partial


def test_the_worse_of_ratio_and_direct_rule_wins(criteria: CriteriaDocument) -> None:
    # 1.2 m of water says 大規模半壊, the parts say 55 % → 全壊.
    result = classify(criteria, wooden("flood", flood_depth_m=1.2, direct_ratio=55))
    assert (result.level, result.rule) == (L.total_collapse, "ratio")
    # and the other way round: 12 % by parts, 1.2 m of water → 大規模半壊 by the rule.
    result = classify(criteria, wooden("flood", flood_depth_m=1.2, direct_ratio=12))
    assert (result.level, result.rule) == (L.large_scale_half, "flood_above_floor_1m")


@pytest.mark.parametrize(
    ("tilt", "level"),
    # 1/60 = 0.01666…: a typed 0.0167 is above it, 0.0166 below (values compare as typed).
    [
        (0.05, L.total_collapse),
        (0.0499, L.large_scale_half),
        (0.0167, L.large_scale_half),
        (0.0166, L.half),
        (0.01, L.half),
        (0.0099, L.partial),
    ],
)
def test_liquefaction_tilt_bands(
    criteria: CriteriaDocument, tilt: float, level: DamageLevel
) -> None:
    facts = SurveyFacts(
        structure=StructureKind.non_wooden, hazard="liquefaction", tilt=tilt, direct_ratio=0
    )
    assert classify(criteria, facts).level is level


def test_nothing_to_judge_is_refused(criteria: CriteriaDocument) -> None:
    with pytest.raises(InvalidInputError, match="neither part damage"):
        classify(criteria, wooden())


def test_unknown_part_is_refused(criteria: CriteriaDocument) -> None:
    with pytest.raises(InvalidInputError, match="unknown parts chimney"):
        classify(criteria, wooden(part_damage={"chimney": 100}))


def test_weights_must_sum_to_a_hundred(criteria: CriteriaDocument) -> None:
    data = criteria.model_dump(mode="json")
    data["weights"]["wooden"]["earthquake"]["roof"] = 20
    with pytest.raises(InvalidInputError, match=r"weights.wooden.earthquake: parts sum to 105"):
        parse_criteria(data, source="edited.toml")


def test_thresholds_must_fall(criteria: CriteriaDocument) -> None:
    data = criteria.model_dump(mode="json")
    data["thresholds"][1]["min_ratio"] = 60
    with pytest.raises(InvalidInputError, match="must fall strictly"):
        parse_criteria(data, source="edited.toml")


def test_every_level_has_a_japanese_label() -> None:
    assert DAMAGE_LEVEL_LABELS[L.total_collapse] == "全壊"
    assert DAMAGE_LEVEL_LABELS[L.partial] == "準半壊に至らない（一部損壊）"
    assert set(DAMAGE_LEVEL_LABELS) == set(DamageLevel)
