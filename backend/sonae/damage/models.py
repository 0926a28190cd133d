"""Damage surveys (被害認定調査), judgements under versioned criteria, and re-survey requests.

Judgements are append-only: a survey judged under criteria version A and later under version B
keeps both rows (Urayasu 2011); the latest row per dwelling and event is the one in force.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from sonae.damage.levels import DamageLevel
from sonae.database.columns import MunicipalMixin, municipal_fk
from sonae.database.core import Base
from sonae.dwelling.models import StructureKind


class SurveyRound(enum.StrEnum):
    first_exterior = "first_exterior"
    """第1次調査 (外観目視)"""
    second_interior = "second_interior"
    """第2次調査 (内部立入)"""


SURVEY_ROUND_LABELS: dict[SurveyRound, str] = {
    SurveyRound.first_exterior: "第1次調査（外観）",
    SurveyRound.second_interior: "第2次調査（内部）",
}


class SurveyHazard(enum.StrEnum):
    """The hazard a survey judges against: it picks the part weights and direct rules."""

    earthquake = "earthquake"
    liquefaction = "liquefaction"
    flood = "flood"
    wind = "wind"


SURVEY_HAZARD_LABELS: dict[SurveyHazard, str] = {
    SurveyHazard.earthquake: "地震",
    SurveyHazard.liquefaction: "液状化",
    SurveyHazard.flood: "水害",
    SurveyHazard.wind: "風害",
}


class DamageCriteriaSet(MunicipalMixin, Base):
    """One version of the criteria (data/reference/damage_criteria/<version>.toml), never edited."""

    __tablename__ = "damage_criteria_set"
    __table_args__ = (UniqueConstraint("municipality_code", "version"),)

    version: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    rules: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """Thresholds, part weights per structure and hazard, direct rules (damage.criteria)."""
    sha256: Mapped[str] = mapped_column(String(64))
    loaded_by: Mapped[str] = mapped_column(String(100))
    loaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class CriteriaSwitch(MunicipalMixin, Base):
    """Append-only: which criteria version an event judges by from when on."""

    __tablename__ = "damage_criteria_switch"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        municipal_fk("criteria_set_id", "damage_criteria_set"),
        Index("ix_damage_criteria_switch_event", "municipality_code", "event_id", "id"),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    criteria_set_id: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    rejudged: Mapped[int] = mapped_column(Integer)
    """How many dwellings were re-judged by the switch."""
    switched_by: Mapped[str] = mapped_column(String(100))
    switched_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class DamageSurvey(MunicipalMixin, Base):
    """One visit to one dwelling for one event. Facts only; the level is in DamageJudgement."""

    __tablename__ = "damage_survey"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        municipal_fk("dwelling_id", "dwelling"),
        Index("ix_damage_survey_dwelling", "municipality_code", "event_id", "dwelling_id"),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    dwelling_id: Mapped[int] = mapped_column(BigInteger)
    round: Mapped[SurveyRound] = mapped_column(Enum(SurveyRound, name="survey_round"))
    hazard: Mapped[SurveyHazard] = mapped_column(Enum(SurveyHazard, name="survey_hazard"))
    structure: Mapped[StructureKind] = mapped_column(
        Enum(StructureKind, name="structure_kind", create_type=False)
    )
    surveyor: Mapped[str] = mapped_column(String(100))
    surveyed_on: Mapped[date] = mapped_column(Date)
    part_damage: Mapped[dict[str, float] | None] = mapped_column(JSONB)
    """{part: damaged share of that part in %}, e.g. {"roof": 50, "foundation": 100}."""
    direct_ratio: Mapped[float | None] = mapped_column(Float)
    """A damage ratio (%) the surveyor judged directly, instead of parts."""
    flood_depth_m: Mapped[float | None] = mapped_column(Float)
    """浸水深: flood depth above the floor, metres."""
    tilt: Mapped[float | None] = mapped_column(Float)
    """傾斜 as a ratio (horizontal / vertical): 1/20 = 0.05."""
    collapsed: Mapped[bool] = mapped_column(Boolean, default=False)
    """住家全部が倒壊"""
    storey_collapsed: Mapped[bool] = mapped_column(Boolean, default=False)
    """一部の階が全部倒壊"""
    washed_away: Mapped[bool] = mapped_column(Boolean, default=False)
    """流出"""
    note: Mapped[str | None] = mapped_column(Text)
    resurvey_request_id: Mapped[int | None] = mapped_column(BigInteger)
    """Set when the survey answers a re-survey request."""
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class SurveyPhoto(MunicipalMixin, Base):
    """A photo kept as a file under settings.damage_photo_dir; the row holds path and hash."""

    __tablename__ = "damage_survey_photo"
    __table_args__ = (
        municipal_fk("survey_id", "damage_survey"),
        UniqueConstraint("municipality_code", "survey_id", "sha256"),
    )

    survey_id: Mapped[int] = mapped_column(BigInteger)
    path: Mapped[str] = mapped_column(String(500))
    """Relative to the photo directory."""
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class DamageJudgement(MunicipalMixin, Base):
    """Append-only: the level a survey gives under one criteria version, and why."""

    __tablename__ = "damage_judgement"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        municipal_fk("dwelling_id", "dwelling"),
        municipal_fk("survey_id", "damage_survey"),
        municipal_fk("criteria_set_id", "damage_criteria_set"),
        UniqueConstraint("municipality_code", "survey_id", "criteria_set_id"),
        Index("ix_damage_judgement_dwelling", "municipality_code", "event_id", "dwelling_id", "id"),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    dwelling_id: Mapped[int] = mapped_column(BigInteger)
    survey_id: Mapped[int] = mapped_column(BigInteger)
    criteria_set_id: Mapped[int] = mapped_column(BigInteger)
    level: Mapped[DamageLevel] = mapped_column(Enum(DamageLevel, name="damage_level"))
    ratio: Mapped[float | None] = mapped_column(Float)
    """The damage ratio (%) when it was computed; None when a direct rule decided."""
    rule: Mapped[str] = mapped_column(String(100))
    """What decided: "ratio" or the code of the direct rule (e.g. "wooden_tilt")."""
    cause: Mapped[str] = mapped_column(String(30))
    """"survey" (a new survey), "criteria_switch" (re-judged under a new version)."""
    judged_by: Mapped[str] = mapped_column(String(100))
    judged_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class ResurveyState(enum.StrEnum):
    requested = "requested"
    """受付"""
    scheduled = "scheduled"
    """調査予定"""
    surveyed = "surveyed"
    """再調査済"""
    decided = "decided"
    """判定済 (the household was told the result)"""
    rejected = "rejected"
    """却下"""
    withdrawn = "withdrawn"
    """取下げ"""


RESURVEY_STATE_LABELS: dict[ResurveyState, str] = {
    ResurveyState.requested: "受付",
    ResurveyState.scheduled: "調査予定",
    ResurveyState.surveyed: "再調査済",
    ResurveyState.decided: "判定済",
    ResurveyState.rejected: "却下",
    ResurveyState.withdrawn: "取下げ",
}


class ResurveyRequest(MunicipalMixin, Base):
    """再調査の申出 by a household about its dwelling's judgement."""

    __tablename__ = "resurvey_request"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        municipal_fk("dwelling_id", "dwelling"),
        Index("ix_resurvey_request_event", "municipality_code", "event_id", "state"),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    dwelling_id: Mapped[int] = mapped_column(BigInteger)
    household_number: Mapped[str] = mapped_column(String(15))
    contested_judgement_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[ResurveyState] = mapped_column(Enum(ResurveyState, name="resurvey_state"))
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class ResurveyTransition(MunicipalMixin, Base):
    """Append-only history of a re-survey request's states."""

    __tablename__ = "resurvey_transition"
    __table_args__ = (
        municipal_fk("request_id", "resurvey_request"),
        Index("ix_resurvey_transition_request", "municipality_code", "request_id", "id"),
    )

    request_id: Mapped[int] = mapped_column(BigInteger)
    from_state: Mapped[ResurveyState | None] = mapped_column(
        Enum(ResurveyState, name="resurvey_state", create_type=False)
    )
    to_state: Mapped[ResurveyState] = mapped_column(
        Enum(ResurveyState, name="resurvey_state", create_type=False)
    )
    note: Mapped[str | None] = mapped_column(Text)
    moved_by: Mapped[str] = mapped_column(String(100))
    moved_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
