"""Stored assignment runs: one row per run (figures, per-shelter loads) and one per person.

A run is immutable, like a support-list build: rerunning stores a new run. The latest run of a
municipality is the one the support list and the evacuation plans take their shelter from.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CHAR,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin
from sonae.database.core import Base


class AssignmentScope(enum.StrEnum):
    residents = "residents"
    """Every resident with an address."""
    support_list = "support_list"
    """Only the people on the latest support list (避難行動要支援者)."""


ASSIGNMENT_SCOPE_LABELS = {
    AssignmentScope.residents: "全住民",
    AssignmentScope.support_list: "避難行動要支援者のみ",
}


class AssignmentReason(enum.StrEnum):
    """Why a person goes where they go (or nowhere); nearest = their nearest shelter."""

    nearest = "nearest"
    unsuitable = "unsuitable"
    welfare = "welfare"
    welfare_reserved = "welfare_reserved"
    full = "full"
    no_capacity = "no_capacity"
    no_suitable = "no_suitable"
    unreachable = "unreachable"
    no_location = "no_location"


ASSIGNMENT_REASON_LABELS = {
    AssignmentReason.nearest: "最寄りの避難所",
    AssignmentReason.unsuitable: "最寄りの避難所は想定される災害に適さない",
    AssignmentReason.welfare: "要配慮者のため福祉避難所へ",
    AssignmentReason.welfare_reserved: "最寄りは福祉避難所（要配慮者向け）",
    AssignmentReason.full: "最寄りの適した避難所が満員",
    AssignmentReason.no_capacity: "未割当: 適した避難所に空きがない",
    AssignmentReason.no_suitable: "未割当: 想定される災害に適した避難所がない",
    AssignmentReason.unreachable: "未割当: 道路網で到達できる避難所がない",
    AssignmentReason.no_location: "未割当: 住所の位置が不明",
}

UNASSIGNED_REASONS = frozenset(
    {
        AssignmentReason.no_capacity,
        AssignmentReason.no_suitable,
        AssignmentReason.unreachable,
        AssignmentReason.no_location,
    }
)


class EvacuationAssignment(MunicipalMixin, Base):
    """One run: who was in scope, the totals against plain nearest-shelter assignment."""

    __tablename__ = "evacuation_assignment"

    scope: Mapped[AssignmentScope] = mapped_column(Enum(AssignmentScope, name="assignment_scope"))
    hazard: Mapped[str | None] = mapped_column(String(40))
    """Only this hazard type's zones decide suitability (None: every hazard layer)."""
    support_build_id: Mapped[int | None] = mapped_column(BigInteger)
    """The support list build care needs and listing were read from (None: none built)."""
    as_of: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    people: Mapped[int] = mapped_column(Integer)
    assigned: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    figures: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """Totals: walking distance and time (assigned, and plain nearest), counts by reason."""
    shelters: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    """Per shelter: id, capacity, assigned, plain-nearest load."""


class AssignedPerson(MunicipalMixin, Base):
    """Where one person of a run goes, how far, and why not to their nearest shelter."""

    __tablename__ = "evacuation_assignment_person"
    __table_args__ = (
        ForeignKeyConstraint(
            ["municipality_code", "assignment_id"],
            ["evacuation_assignment.municipality_code", "evacuation_assignment.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["municipality_code", "person_id"],
            ["person.municipality_code", "person.id"],
            ondelete="CASCADE",
        ),
        Index("ix_evacuation_assignment_person", "municipality_code", "assignment_id", "person_id"),
    )

    municipality_code: Mapped[str] = mapped_column(CHAR(6), primary_key=True)
    """No foreign key to municipality of its own: the run's covers it (and cascades)."""
    assignment_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int] = mapped_column(BigInteger)
    shelter_id: Mapped[int | None] = mapped_column(BigInteger)
    nearest_shelter_id: Mapped[int | None] = mapped_column(BigInteger)
    """The nearest shelter on foot, whatever its suitability or room."""
    walk_m: Mapped[float | None] = mapped_column(Float)
    nearest_walk_m: Mapped[float | None] = mapped_column(Float)
    walk_minutes: Mapped[float | None] = mapped_column(Float)
    slow: Mapped[bool] = mapped_column(Boolean)
    """Walks at the slower speed (elderly or needing care)."""
    needs_care: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[AssignmentReason] = mapped_column(
        Enum(AssignmentReason, name="assignment_reason")
    )
