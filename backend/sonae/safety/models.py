"""Safety confirmation (安否確認): every report kept as history, the latest one per person current.

A report concerns either a registered person (person_id) or an evacuee the registry does not know
(sheltering.models.Evacuee: visitors, commuters, tourists). People outside shelters — in cars, with
relatives, in other cities — are reports with a whereabouts, a contact and a location.
"""

from __future__ import annotations

import enum
from datetime import datetime

from geoalchemy2 import WKBElement
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Enum,
    Index,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin, geometry, municipal_fk
from sonae.database.core import Base


class SafetyStatus(enum.StrEnum):
    unknown = "unknown"
    safe = "safe"
    injured = "injured"
    missing = "missing"
    deceased = "deceased"
    evacuated = "evacuated"


SAFETY_STATUS_LABELS: dict[SafetyStatus, str] = {
    SafetyStatus.unknown: "未確認",
    SafetyStatus.safe: "無事",
    SafetyStatus.injured: "負傷",
    SafetyStatus.missing: "行方不明",
    SafetyStatus.deceased: "死亡",
    SafetyStatus.evacuated: "避難済",
}


class Whereabouts(enum.StrEnum):
    unknown = "unknown"
    home = "home"
    shelter = "shelter"
    relative_home = "relative_home"
    car = "car"
    outside_city = "outside_city"
    hospital = "hospital"
    other = "other"


WHEREABOUTS_LABELS: dict[Whereabouts, str] = {
    Whereabouts.unknown: "不明",
    Whereabouts.home: "自宅",
    Whereabouts.shelter: "避難所",
    Whereabouts.relative_home: "親族・知人宅",
    Whereabouts.car: "車中",
    Whereabouts.outside_city: "市外",
    Whereabouts.hospital: "病院",
    Whereabouts.other: "その他",
}


class ReportSource(enum.StrEnum):
    visit = "visit"
    phone = "phone"
    shelter_checkin = "shelter_checkin"
    third_party = "third_party"
    self_report = "self_report"


REPORT_SOURCE_LABELS: dict[ReportSource, str] = {
    ReportSource.visit: "訪問",
    ReportSource.phone: "電話",
    ReportSource.shelter_checkin: "避難所受付",
    ReportSource.third_party: "第三者からの情報",
    ReportSource.self_report: "本人申告",
}

_SUBJECT = "(person_id IS NULL) <> (evacuee_id IS NULL)"
"""Exactly one of the two: a registered person or an unregistered evacuee."""


class SafetyReport(MunicipalMixin, Base):
    """Append-only: one observation of a person's safety, with where, source, time and recorder."""

    __tablename__ = "safety_report"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        CheckConstraint(_SUBJECT, name="one_subject"),
        Index("ix_safety_report_person", "municipality_code", "event_id", "person_id"),
        Index("ix_safety_report_evacuee", "municipality_code", "event_id", "evacuee_id"),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int | None] = mapped_column(BigInteger)
    evacuee_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[SafetyStatus] = mapped_column(Enum(SafetyStatus, name="safety_status"))
    whereabouts: Mapped[Whereabouts] = mapped_column(Enum(Whereabouts, name="whereabouts"))
    shelter_id: Mapped[int | None] = mapped_column(BigInteger)
    place_note: Mapped[str | None] = mapped_column(String(300))
    """Where, in words: the relative's town, the car park, the other city."""
    contact: Mapped[str | None] = mapped_column(String(200))
    """How to reach them while they are away from home (personal data)."""
    location: Mapped[WKBElement | None] = mapped_column(geometry("POINT", nullable=True))
    source: Mapped[ReportSource] = mapped_column(Enum(ReportSource, name="report_source"))
    note: Mapped[str | None] = mapped_column(Text)
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class SafetyCurrent(MunicipalMixin, Base):
    """The latest report per subject and event, kept in the same transaction as the report."""

    __tablename__ = "safety_current"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        CheckConstraint(_SUBJECT, name="one_subject"),
        Index(
            "uq_safety_current_person",
            "municipality_code",
            "event_id",
            "person_id",
            unique=True,
            postgresql_where=text("person_id IS NOT NULL"),
        ),
        Index(
            "uq_safety_current_evacuee",
            "municipality_code",
            "event_id",
            "evacuee_id",
            unique=True,
            postgresql_where=text("evacuee_id IS NOT NULL"),
        ),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int | None] = mapped_column(BigInteger)
    evacuee_id: Mapped[int | None] = mapped_column(BigInteger)
    report_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[SafetyStatus] = mapped_column(
        Enum(SafetyStatus, name="safety_status", create_type=False)
    )
    whereabouts: Mapped[Whereabouts] = mapped_column(
        Enum(Whereabouts, name="whereabouts", create_type=False)
    )
    shelter_id: Mapped[int | None] = mapped_column(BigInteger)
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SafetyTask(MunicipalMixin, Base):
    """Confirm one person: assigned by district to supporters; listed people come first."""

    __tablename__ = "safety_task"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        Index("uq_safety_task_person", "municipality_code", "event_id", "person_id", unique=True),
        Index("ix_safety_task_district", "municipality_code", "event_id", "district"),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int] = mapped_column(BigInteger)
    district: Mapped[str] = mapped_column(String(100))
    chome_key_code: Mapped[str | None] = mapped_column(String(20))
    priority: Mapped[int] = mapped_column()
    """1: on the support list; 2: anyone else in the affected area."""
    assigned_to: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
