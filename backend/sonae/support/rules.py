"""The support list's inclusion criteria as versioned data, and a reference evaluator.

A rule set is a TOML/JSON document validated by SupportRules: one optional section per kind of
criterion, each with a rule code (what entries and exports cite as the reason) and a Japanese
label. The build evaluates the rules in SQL (support.build); `evaluate` here is the same logic in
Python, used by the diff to ask "would the other version of the rules list this person?", and
by the tests to check the SQL against it.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from sonae.config import PROJECT_ROOT
from sonae.errors import InvalidInputError
from sonae.welfare.models import CareLevel

DEFAULT_RULES_FILE = PROJECT_ROOT / "data" / "reference" / "support_rules_default.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        """Rule sets are kept as jsonb, which cannot hold NUL (\\u0000): refused here, as 422."""
        texts = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("text must not contain NUL characters")
        return value


class Rule(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,49}$")
    label: str = Field(min_length=1, max_length=100)


class CareLevelRule(Rule):
    levels: list[CareLevel] = Field(min_length=1)


class GradeRule(Rule):
    max_grade: int = Field(ge=1, le=6)


class PhysicalDisabilityRule(GradeRule):
    types: list[str] = Field(default_factory=list)
    """Empty: every type of 身体障害."""


class IntellectualRule(Rule):
    grades: list[str] = Field(min_length=1)


class AgeRule(Rule):
    min_age: int = Field(ge=0, le=130)

    @model_validator(mode="after")
    def _label_says_the_age(self) -> Self:
        """The label is what the list, the diff and the extracts print: a label still saying
        75歳 over a min_age of 80 would tell supporters the wrong criterion."""
        ages = {
            int(age) for age in re.findall(r"(\d+)\s*歳", unicodedata.normalize("NFKC", self.label))
        }
        if ages and ages != {self.min_age}:
            raise ValueError(
                f"label {self.label!r} names {', '.join(f'{a}歳' for a in sorted(ages))} but "
                f"min_age is {self.min_age}: change both"
            )
        return self


class PriorityWeights(_Strict):
    hazard: float = Field(default=40.0, ge=0)
    care: float = Field(default=20.0, ge=0)
    mobility: float = Field(default=15.0, ge=0)
    alone: float = Field(default=15.0, ge=0)
    age: float = Field(default=10.0, ge=0)
    mobility_types: list[str] = Field(default_factory=lambda: ["肢体不自由", "視覚"])
    mobility_max_grade: int = Field(default=2, ge=1, le=6)
    age_from: int = Field(default=65, ge=0)
    age_span: int = Field(default=35, ge=1)


class ShelterChoice(_Strict):
    welfare_care_levels: list[CareLevel] = Field(
        default_factory=lambda: [CareLevel.care_3, CareLevel.care_4, CareLevel.care_5]
    )
    welfare_max_disability_grade: int = Field(default=2, ge=0, le=6)
    """Physical or mental disability at or under this grade needs care (0: none does)."""
    welfare_intellectual_grades: list[str] = Field(default_factory=lambda: ["A"])
    welfare_max_distance_m: float = Field(default=3000.0, ge=0)
    """A suitable welfare shelter is preferred when it is at most this far."""


class SupportRules(_Strict):
    """One version of the criteria. A section left out switches that criterion off."""

    name: str = Field(min_length=1, max_length=200)
    note: str | None = None
    care_level: CareLevelRule | None = None
    physical_disability: PhysicalDisabilityRule | None = None
    intellectual_disability: IntellectualRule | None = None
    mental_disability: GradeRule | None = None
    intractable_disease: Rule | None = None
    elderly_alone: AgeRule | None = None
    elderly_only_household: AgeRule | None = None
    self_request: Rule | None = None
    language_need: Rule | None = None
    priority: PriorityWeights = Field(default_factory=PriorityWeights)
    shelter: ShelterChoice = Field(default_factory=ShelterChoice)

    @model_validator(mode="after")
    def _codes_unique(self) -> Self:
        codes = [rule.code for rule in self.rules()]
        if not codes:
            raise ValueError("a rule set needs at least one criterion")
        if len(set(codes)) != len(codes):
            raise ValueError("rule codes must be unique")
        return self

    def rules(self) -> list[Rule]:
        """The criteria switched on, in the canonical order reasons are listed in."""
        candidates: list[Rule | None] = [
            self.care_level,
            self.physical_disability,
            self.intellectual_disability,
            self.mental_disability,
            self.intractable_disease,
            self.elderly_alone,
            self.elderly_only_household,
            self.self_request,
            self.language_need,
        ]
        return [rule for rule in candidates if rule is not None]

    def labels(self) -> dict[str, str]:
        return {rule.code: rule.label for rule in self.rules()}

    def age_thresholds(self) -> list[int]:
        return sorted(
            {r.min_age for r in (self.elderly_alone, self.elderly_only_household) if r is not None}
        )


def parse_rules(data: dict[str, Any], *, source: str = "rules") -> SupportRules:
    try:
        return SupportRules.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or '(top)'}: {error['msg']}"
            for error in exc.errors()
        )
        raise InvalidInputError(f"{source}: invalid support rules: {problems}") from exc


def read_rules_file(path: Path) -> SupportRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInputError(f"{path.name}: cannot read the rules ({exc})") from exc
    return parse_rules(data, source=path.name)


def default_rules() -> SupportRules:
    return read_rules_file(DEFAULT_RULES_FILE)


@dataclass(frozen=True)
class Facts:
    """What the criteria look at for one person on one date (as kept in an entry's snapshot)."""

    age: int
    household_members: int
    household_youngest_age: int
    care_level: str | None = None
    physical_grade: int | None = None
    physical_type: str | None = None
    intellectual_grade: str | None = None
    mental_grade: int | None = None
    intractable: bool = False
    self_request: bool = False
    language_need: str | None = None

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any]) -> Facts:
        return cls(
            age=int(snapshot["age"]),
            household_members=int(snapshot["household_members"]),
            household_youngest_age=int(snapshot["household_youngest_age"]),
            care_level=snapshot.get("care_level"),
            physical_grade=snapshot.get("physical_grade"),
            physical_type=snapshot.get("physical_type"),
            intellectual_grade=snapshot.get("intellectual_grade"),
            mental_grade=snapshot.get("mental_grade"),
            intractable=bool(snapshot.get("intractable")),
            self_request=bool(snapshot.get("self_request")),
            language_need=snapshot.get("language_need") or None,
        )


def evaluate(rules: SupportRules, facts: Facts) -> list[str]:
    """The codes of the rules that list this person, in canonical order (as the SQL does)."""
    hits: list[str] = []
    if rules.care_level and facts.care_level in rules.care_level.levels:
        hits.append(rules.care_level.code)
    physical = rules.physical_disability
    if (
        physical
        and facts.physical_grade is not None
        and facts.physical_grade <= physical.max_grade
        and (not physical.types or facts.physical_type in physical.types)
    ):
        hits.append(physical.code)
    intellectual = rules.intellectual_disability
    if intellectual and facts.intellectual_grade in intellectual.grades:
        hits.append(intellectual.code)
    mental = rules.mental_disability
    if mental and facts.mental_grade is not None and facts.mental_grade <= mental.max_grade:
        hits.append(mental.code)
    if rules.intractable_disease and facts.intractable:
        hits.append(rules.intractable_disease.code)
    alone = rules.elderly_alone
    if alone and facts.household_members == 1 and facts.age >= alone.min_age:
        hits.append(alone.code)
    only = rules.elderly_only_household
    if only and facts.household_members >= 2 and facts.household_youngest_age >= only.min_age:
        hits.append(only.code)
    if rules.self_request and facts.self_request:
        hits.append(rules.self_request.code)
    if rules.language_need and facts.language_need:
        hits.append(rules.language_need.code)
    return hits


def age_on(birth_date: date, on: date) -> int:
    """満年齢 on a date, as PostgreSQL's age() counts it: one year more from the birthday on.

    A person born on 29 February is a year older from 1 March in common years, which is also
    what 年齢計算ニ関スル法律 gives (the age goes up at the end of the day before the birthday).
    """
    years = on.year - birth_date.year
    return years - 1 if (on.month, on.day) < (birth_date.month, birth_date.day) else years
