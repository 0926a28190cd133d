"""Disaster events (災害) and the phases headquarters drive them through.

An event is declared by headquarters for one municipality; its phase moves forward through a
guarded state machine (event.phases) and every move is kept in an append-only history.
"""

from __future__ import annotations

import enum
from datetime import datetime

from geoalchemy2 import WKBElement
from sqlalchemy import (
    BigInteger,
    DateTime,
    Enum,
    Index,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin, geometry, municipal_fk
from sonae.database.core import Base


class EventPhase(enum.StrEnum):
    normal = "normal"
    """平常時: before the event was declared"""
    initial_response = "initial_response"
    """初動対応"""
    sheltering = "sheltering"
    """避難所運営"""
    damage_certification = "damage_certification"
    """被害認定・罹災証明"""
    temporary_housing = "temporary_housing"
    """応急仮設住宅"""
    reconstruction = "reconstruction"
    """復旧・復興"""
    closed = "closed"
    """終了"""


PHASE_LABELS: dict[EventPhase, str] = {
    EventPhase.normal: "平常時",
    EventPhase.initial_response: "初動対応",
    EventPhase.sheltering: "避難所運営",
    EventPhase.damage_certification: "被害認定・罹災証明",
    EventPhase.temporary_housing: "応急仮設住宅",
    EventPhase.reconstruction: "復旧・復興",
    EventPhase.closed: "終了",
}


class EventHazard(enum.StrEnum):
    """What struck: wider than the hazard-map layers (an earthquake has no zone of its own)."""

    earthquake = "earthquake"
    tsunami = "tsunami"
    flood = "flood"
    storm_surge = "storm_surge"
    inland_flooding = "inland_flooding"
    landslide = "landslide"
    typhoon = "typhoon"
    large_fire = "large_fire"
    volcano = "volcano"
    other = "other"


EVENT_HAZARD_LABELS: dict[EventHazard, str] = {
    EventHazard.earthquake: "地震",
    EventHazard.tsunami: "津波",
    EventHazard.flood: "洪水",
    EventHazard.storm_surge: "高潮",
    EventHazard.inland_flooding: "内水氾濫",
    EventHazard.landslide: "土砂災害",
    EventHazard.typhoon: "台風",
    EventHazard.large_fire: "大規模火災",
    EventHazard.volcano: "火山",
    EventHazard.other: "その他",
}


class DisasterEvent(MunicipalMixin, Base):
    """A declared disaster. The affected area is kept both as chome keys and as their union."""

    __tablename__ = "disaster_event"
    __table_args__ = (Index("ix_disaster_event_area", "affected_area", postgresql_using="gist"),)

    name: Mapped[str] = mapped_column(String(200))
    hazard: Mapped[EventHazard] = mapped_column(Enum(EventHazard, name="event_hazard"))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    phase: Mapped[EventPhase] = mapped_column(Enum(EventPhase, name="event_phase"))
    scenario: Mapped[str | None] = mapped_column(String(100))
    """The hazard scenario (hazard_zone.scenario) this event is read against, if any."""
    affected_chome: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    """key_code of every affected chome (a polygon is resolved to the chome it touches)."""
    affected_area: Mapped[WKBElement] = mapped_column(geometry("MULTIPOLYGON"))
    declared_by: Mapped[str] = mapped_column(String(100))
    declared_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PhaseTransition(MunicipalMixin, Base):
    """Append-only: who moved the event to which phase, when and why."""

    __tablename__ = "event_phase_transition"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        Index("ix_event_phase_transition_event", "municipality_code", "event_id", "id"),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    from_phase: Mapped[EventPhase] = mapped_column(
        Enum(EventPhase, name="event_phase", create_type=False)
    )
    to_phase: Mapped[EventPhase] = mapped_column(
        Enum(EventPhase, name="event_phase", create_type=False)
    )
    reason: Mapped[str] = mapped_column(Text)
    moved_by: Mapped[str] = mapped_column(String(100))
    moved_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
