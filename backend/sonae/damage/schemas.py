"""API shapes of surveys, judgements, criteria and re-survey requests."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
    field_validator,
)

from sonae.api.params import Id, RequiredText
from sonae.damage.levels import DAMAGE_LEVEL_LABELS, DamageLevel
from sonae.damage.models import ResurveyState, SurveyHazard, SurveyRound
from sonae.damage.service import SurveyInput
from sonae.dwelling.models import StructureKind


def _no_nul(value: str) -> str:
    """PostgreSQL text and jsonb cannot hold NUL: refused here as 422, not a 500 there."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Required = Annotated[RequiredText, AfterValidator(_no_nul)]
"""Text that must say something (a name, a reason): blank or whitespace only is refused."""
Code = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_.-]+$")]
"""Household and address numbers, criteria versions: plain ASCII codes."""


class SurveyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dwelling_id: Id
    round: SurveyRound
    surveyor: Required = Field(max_length=100)
    surveyed_on: date
    hazard: SurveyHazard | None = None
    """Defaults from the event's hazard (e.g. liquefaction must be named)."""
    structure: StructureKind | None = None
    """Defaults from the dwelling."""
    part_damage: dict[str, float] | None = Field(default=None, max_length=30)
    """{part: damaged share of that part in %, 0–100}; parts as the criteria name them."""
    direct_ratio: float | None = Field(default=None, ge=0, le=100)
    flood_depth_m: float | None = Field(default=None, ge=0, le=30)
    tilt: float | None = Field(default=None, ge=0, le=1)
    collapsed: bool = False
    storey_collapsed: bool = False
    washed_away: bool = False
    note: Text | None = Field(default=None, max_length=2000)

    @field_validator("part_damage")
    @classmethod
    def _shares(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        for part, share in (value or {}).items():
            if not 0 <= share <= 100 or not re.fullmatch(r"[a-z][a-z0-9_]{0,49}", part):
                raise ValueError("each part a code (a-z, 0-9, _) and a share of 0–100")
        return value

    def to_input(self) -> SurveyInput:
        return SurveyInput(**self.model_dump())


class JudgementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    survey_id: int
    dwelling_id: int
    criteria_set_id: int
    level: DamageLevel
    ratio: float | None
    rule: str
    cause: str
    judged_by: str
    judged_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def level_label(self) -> str:
        return DAMAGE_LEVEL_LABELS[self.level]


class SurveyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    dwelling_id: int
    round: SurveyRound
    hazard: SurveyHazard
    structure: StructureKind
    surveyor: str
    surveyed_on: date
    part_damage: dict[str, float] | None
    direct_ratio: float | None
    flood_depth_m: float | None
    tilt: float | None
    collapsed: bool
    storey_collapsed: bool
    washed_away: bool
    note: str | None
    resurvey_request_id: int | None
    recorded_at: datetime


class SurveyJudgedOut(BaseModel):
    survey: SurveyOut
    judgement: JudgementOut


class DwellingJudgementsOut(BaseModel):
    dwelling_id: int
    in_force: JudgementOut | None
    history: list[JudgementOut]


class PhotoOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    survey_id: int
    path: str
    sha256: str
    content_type: str
    size_bytes: int
    uploaded_at: datetime


class CriteriaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: str
    name: str
    sha256: str
    loaded_by: str
    loaded_at: datetime


class CriteriaSwitchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Code = Field(min_length=1, max_length=50)
    reason: Required = Field(max_length=1000)


class CriteriaSwitchOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    criteria_set_id: int
    reason: str
    rejudged: int
    switched_by: str
    switched_at: datetime


class ResurveyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    household_number: Code = Field(min_length=1, max_length=15)
    reason: Text = Field(min_length=1, max_length=2000)


class ResurveyMoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: ResurveyState
    note: Text | None = Field(default=None, max_length=2000)


class ResurveyTransitionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_state: ResurveyState | None
    to_state: ResurveyState
    note: str | None
    moved_by: str
    moved_at: datetime


class ResurveyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    dwelling_id: int
    household_number: str
    contested_judgement_id: int | None
    reason: str
    state: ResurveyState
    requested_by: str
    requested_at: datetime
    history: list[ResurveyTransitionOut] = []
