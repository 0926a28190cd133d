"""Damage criteria as versioned data, and the classification of one survey under them.

A criteria file (data/reference/damage_criteria/<version>.toml) holds the ratio thresholds, the
part weights per structure and hazard, and the direct rules (collapse, tilt, flood depth). The
arithmetic is exact (fractions): 49.99 % must stay below a 50 % threshold, and a tilt of 1/20
typed as 0.05 must meet a "1/20" rule, which binary floats do not promise.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sonae.config import PROJECT_ROOT
from sonae.damage.levels import LEVEL_ORDER, DamageLevel
from sonae.dwelling.models import StructureKind
from sonae.errors import InvalidInputError

CRITERIA_DIR = PROJECT_ROOT / "data" / "reference" / "damage_criteria"

Number = float | int | str
"""A number in a criteria file: 0.05, 50 or the fraction "1/20"."""


def exact(value: Number) -> Fraction:
    """The exact value a person typed: Fraction("0.05") is 1/20, unlike Fraction(0.05)."""
    return Fraction(str(value))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Threshold(_Strict):
    level: DamageLevel
    min_ratio: Number
    """The level applies from this damage ratio (%) upwards, inclusive."""

    @field_validator("min_ratio")
    @classmethod
    def _number(cls, value: Number) -> Number:
        exact(value)
        return value


DirectField = Literal["collapsed", "storey_collapsed", "washed_away", "tilt", "flood_depth_m"]
FLAG_FIELDS = frozenset({"collapsed", "storey_collapsed", "washed_away"})


class DirectRule(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,49}$")
    label: str = Field(min_length=1, max_length=200)
    field: DirectField
    at_least: Number | None = None
    """For tilt and flood depth: the rule applies when value ≥ at_least …"""
    below: Number | None = None
    """… and value < below, when given."""
    level: DamageLevel
    structures: list[StructureKind] = Field(default_factory=list)
    """Empty: every structure."""
    hazards: list[str] = Field(default_factory=list)
    """Empty: every hazard (survey_hazard codes)."""


class CriteriaDocument(_Strict):
    version: str = Field(pattern=r"^[A-Za-z0-9._-]{1,50}$")
    name: str = Field(min_length=1, max_length=200)
    source: str = ""
    thresholds: list[Threshold] = Field(min_length=1)
    weights: dict[str, dict[str, dict[str, Number]]]
    """weights[structure][hazard][part] = share of the dwelling's value in % (sum 100)."""
    direct_rules: list[DirectRule] = Field(default_factory=list)

    def check(self) -> None:
        """Whole-document checks pydantic cannot express; raise ValueError naming the place."""
        levels = [t.level for t in self.thresholds]
        if len(set(levels)) != len(levels):
            raise ValueError("thresholds: a level appears twice")
        mins = [exact(t.min_ratio) for t in self.thresholds]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("thresholds: min_ratio must fall strictly from the worst level")
        if mins[-1] != 0:
            raise ValueError("thresholds: the last level must start at 0 so every ratio has one")
        for structure, by_hazard in self.weights.items():
            if structure not in StructureKind.__members__:
                raise ValueError(f"weights.{structure}: unknown structure")
            for hazard, parts in by_hazard.items():
                total = sum((exact(w) for w in parts.values()), Fraction(0))
                if total != 100:
                    raise ValueError(f"weights.{structure}.{hazard}: parts sum to {float(total)}")
        for rule in self.direct_rules:
            if (rule.field in FLAG_FIELDS) != (rule.at_least is None and rule.below is None):
                raise ValueError(f"direct rule {rule.code}: flags take no bounds, numbers need one")


def parse_criteria(data: dict[str, Any], *, source: str) -> CriteriaDocument:
    try:
        document = CriteriaDocument.model_validate(data)
        document.check()
    except (ValidationError, ValueError) as exc:
        raise InvalidInputError(f"{source}: invalid damage criteria: {_first(exc)}") from exc
    return document


def read_criteria_file(path: Path) -> tuple[CriteriaDocument, bytes]:
    if not path.is_file():
        raise InvalidInputError(f"{path.name}: file not found")
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInputError(f"{path.name}: not UTF-8 TOML ({exc})") from exc
    return parse_criteria(data, source=path.name), raw


def _first(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        return f"{where}: {error['msg']}"
    return str(exc)


@dataclass(frozen=True)
class SurveyFacts:
    """What classification needs from a survey (damage.models.DamageSurvey)."""

    structure: StructureKind
    hazard: str
    part_damage: dict[str, float] | None = None
    direct_ratio: float | None = None
    flood_depth_m: float | None = None
    tilt: float | None = None
    collapsed: bool = False
    storey_collapsed: bool = False
    washed_away: bool = False


@dataclass(frozen=True)
class Classification:
    level: DamageLevel
    ratio: Fraction | None
    rule: str
    """"ratio" or the code of the direct rule that decided."""


def damage_ratio(criteria: CriteriaDocument, facts: SurveyFacts) -> Fraction | None:
    """The damage ratio in %: the direct ratio if the surveyor gave one, else Σ weight × damage."""
    if facts.direct_ratio is not None:
        return exact(facts.direct_ratio)
    if not facts.part_damage:
        return None
    weights = criteria.weights.get(facts.structure.value, {}).get(facts.hazard)
    if weights is None:
        raise InvalidInputError(
            f"criteria {criteria.version} have no part weights for structure "
            f"{facts.structure.value} and hazard {facts.hazard}"
        )
    unknown = sorted(set(facts.part_damage) - set(weights))
    if unknown:
        raise InvalidInputError(
            f"part_damage: unknown parts {', '.join(unknown)} (known: {', '.join(weights)})"
        )
    return sum(
        (exact(weights[part]) * exact(share) / 100 for part, share in facts.part_damage.items()),
        Fraction(0),
    )


def level_for_ratio(criteria: CriteriaDocument, ratio: Fraction) -> DamageLevel:
    for threshold in criteria.thresholds:
        if ratio >= exact(threshold.min_ratio):
            return threshold.level
    return criteria.thresholds[-1].level


def _applies(rule: DirectRule, facts: SurveyFacts) -> bool:
    if rule.structures and facts.structure not in rule.structures:
        return False
    if rule.hazards and facts.hazard not in rule.hazards:
        return False
    value = getattr(facts, rule.field)
    if rule.field in FLAG_FIELDS:
        return bool(value)
    if value is None:
        return False
    measured = exact(value)
    if rule.at_least is not None and measured < exact(rule.at_least):
        return False
    return not (rule.below is not None and measured >= exact(rule.below))


def classify(criteria: CriteriaDocument, facts: SurveyFacts) -> Classification:
    """The most severe of the direct rules that apply and the ratio's level; on a tie the direct
    rule is named, since it is the stronger reason to print."""
    ratio = damage_ratio(criteria, facts)
    candidates = [
        Classification(rule.level, ratio, rule.code)
        for rule in criteria.direct_rules
        if _applies(rule, facts)
    ]
    if ratio is not None:
        if ratio < 0 or ratio > 100:
            raise InvalidInputError(f"damage ratio {float(ratio)} % is outside 0–100")
        candidates.append(Classification(level_for_ratio(criteria, ratio), ratio, "ratio"))
    if not candidates:
        raise InvalidInputError(
            "the survey gives neither part damage, a damage ratio nor a fact a direct rule uses"
        )
    return min(candidates, key=lambda c: LEVEL_ORDER.index(c.level))
