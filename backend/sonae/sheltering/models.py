"""Shelters in an event: openings, evacuees the registry does not know, and stays.

A stay is one person's time in one shelter, from check-in to check-out. At most one stay per
person and event is open at any time (a partial unique index), so a person can never be counted
in two shelters: a check-in elsewhere closes the open stay as a transfer.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Index,
    Integer,
    Numeric,
    String,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin, municipal_fk
from sonae.database.core import Base
from sonae.registry.models import Sex


class CapacityBasis(enum.StrEnum):
    floor_area = "floor_area"
    """floor area / 3.5 m² per person"""
    official = "official"
    """the shelter's designated capacity"""
    estimate = "estimate"
    """the configured estimate (shelter_capacity_rule)"""


CAPACITY_BASIS_LABELS: dict[CapacityBasis, str] = {
    CapacityBasis.floor_area: "面積から算定（3.5㎡/人）",
    CapacityBasis.official: "指定収容人数",
    CapacityBasis.estimate: "推定",
}


class ShelterOpening(MunicipalMixin, Base):
    """A shelter opened for an event; closed_at is set when it closes. Reopening adds a row."""

    __tablename__ = "shelter_opening"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        municipal_fk("shelter_id", "shelter", ondelete=None),
        Index(
            "uq_shelter_opening_open",
            "municipality_code",
            "event_id",
            "shelter_id",
            unique=True,
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    shelter_id: Mapped[int] = mapped_column(BigInteger)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[str] = mapped_column(String(100))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(100))
    floor_area_m2: Mapped[float | None] = mapped_column(Numeric(10, 1))
    capacity: Mapped[int] = mapped_column(Integer)
    capacity_basis: Mapped[CapacityBasis] = mapped_column(
        Enum(CapacityBasis, name="capacity_basis")
    )


class EvacueeKind(enum.StrEnum):
    visitor = "visitor"
    commuter = "commuter"
    tourist = "tourist"
    other = "other"


EVACUEE_KIND_LABELS: dict[EvacueeKind, str] = {
    EvacueeKind.visitor: "来訪者",
    EvacueeKind.commuter: "通勤・通学者",
    EvacueeKind.tourist: "観光客",
    EvacueeKind.other: "その他（住民登録なし）",
}


class Evacuee(MunicipalMixin, Base):
    """Someone the registry does not know, recorded as such when they arrive."""

    __tablename__ = "evacuee"
    __table_args__ = (municipal_fk("event_id", "disaster_event"),)

    event_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[EvacueeKind] = mapped_column(Enum(EvacueeKind, name="evacuee_kind"))
    name: Mapped[str] = mapped_column(String(100))
    name_kana: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[Sex | None] = mapped_column(Enum(Sex, name="sex", create_type=False))
    home_address: Mapped[str | None] = mapped_column(String(300))
    contact: Mapped[str | None] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class IdentifiedBy(enum.StrEnum):
    address_number = "address_number"
    """宛名番号"""
    card_facts = "card_facts"
    """基本4情報 read off the My Number card's face (never the number)"""
    typed = "typed"
    """name, kana, birth date and address typed by staff and matched"""
    unregistered = "unregistered"
    """not in the registry: an Evacuee"""


class StayEnd(enum.StrEnum):
    checked_out = "checked_out"
    transferred = "transferred"


class ShelterStay(MunicipalMixin, Base):
    """One person's stay in one shelter. Needs and disclosure consent follow the 安否情報 form."""

    __tablename__ = "shelter_stay"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        municipal_fk("shelter_id", "shelter", ondelete=None),
        CheckConstraint("(person_id IS NULL) <> (evacuee_id IS NULL)", name="one_subject"),
        Index(
            "uq_shelter_stay_open_person",
            "municipality_code",
            "event_id",
            "person_id",
            unique=True,
            postgresql_where=text("checked_out_at IS NULL AND person_id IS NOT NULL"),
        ),
        Index(
            "uq_shelter_stay_open_evacuee",
            "municipality_code",
            "event_id",
            "evacuee_id",
            unique=True,
            postgresql_where=text("checked_out_at IS NULL AND evacuee_id IS NOT NULL"),
        ),
        # Every query of stays by shelter wants the open ones (occupancy on each check-in, who
        # is present, the shelter list): a partial index, so counting them reads no heap rows.
        Index(
            "ix_shelter_stay_open_shelter",
            "municipality_code",
            "event_id",
            "shelter_id",
            postgresql_where=text("checked_out_at IS NULL"),
        ),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    shelter_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int | None] = mapped_column(BigInteger)
    evacuee_id: Mapped[int | None] = mapped_column(BigInteger)
    identified_by: Mapped[IdentifiedBy] = mapped_column(Enum(IdentifiedBy, name="identified_by"))
    checked_in_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    checked_in_by: Mapped[str] = mapped_column(String(100))
    checked_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    checked_out_by: Mapped[str | None] = mapped_column(String(100))
    ended_by: Mapped[StayEnd | None] = mapped_column(Enum(StayEnd, name="stay_end"))
    transferred_from_stay_id: Mapped[int | None] = mapped_column(BigInteger)
    needs_care: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_medical: Mapped[bool] = mapped_column(Boolean, default=False)
    allergy: Mapped[bool] = mapped_column(Boolean, default=False)
    with_pets: Mapped[bool] = mapped_column(Boolean, default=False)
    language_support: Mapped[str | None] = mapped_column(String(50))
    """The language help is needed in, if any."""
    needs_note: Mapped[str | None] = mapped_column(String(500))
    disclose_to_family: Mapped[bool] = mapped_column(Boolean, default=False)
    disclose_to_acquaintances: Mapped[bool] = mapped_column(Boolean, default=False)
    disclose_to_public: Mapped[bool] = mapped_column(Boolean, default=False)
