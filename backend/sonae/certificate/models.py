"""Damage certificates (罹災証明書): applications, issued certificates and their serials.

Every issue (first or re-issue) is its own row with its own serial, the judgement it printed and
the level; the latest row per household and event is the certificate in force.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CHAR,
    BigInteger,
    DateTime,
    Enum,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from sonae.damage.levels import DamageLevel
from sonae.database.columns import MunicipalMixin, municipal_fk
from sonae.database.core import Base


class ApplicationChannel(enum.StrEnum):
    counter = "counter"
    """窓口"""
    online = "online"
    """オンライン (マイナポータル等)"""


APPLICATION_CHANNEL_LABELS: dict[ApplicationChannel, str] = {
    ApplicationChannel.counter: "窓口",
    ApplicationChannel.online: "オンライン",
}


class CertificateApplication(MunicipalMixin, Base):
    """One application per household and event; issues and re-issues hang off it."""

    __tablename__ = "certificate_application"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        UniqueConstraint("municipality_code", "event_id", "household_number"),
        Index("ix_certificate_application_applied", "municipality_code", "event_id", "applied_at"),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    household_number: Mapped[str] = mapped_column(String(15))
    applicant_address_number: Mapped[str] = mapped_column(String(15))
    """宛名番号 of the household member who applied."""
    channel: Mapped[ApplicationChannel] = mapped_column(
        Enum(ApplicationChannel, name="application_channel")
    )
    applied_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
    received_by: Mapped[str] = mapped_column(String(100))
    first_issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the first certificate went out: pending until then (the backlog counts these)."""


class DamageCertificate(MunicipalMixin, Base):
    __tablename__ = "damage_certificate"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        municipal_fk("application_id", "certificate_application"),
        municipal_fk("judgement_id", "damage_judgement"),
        UniqueConstraint("municipality_code", "event_id", "sequence"),
        UniqueConstraint("municipality_code", "event_id", "serial"),
        Index(
            "ix_damage_certificate_household", "municipality_code", "event_id", "household_number"
        ),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    application_id: Mapped[int] = mapped_column(BigInteger)
    household_number: Mapped[str] = mapped_column(String(15))
    sequence: Mapped[int] = mapped_column(Integer)
    """Per event, from certificate_serial_counter: 1, 2, 3… without gaps or duplicates."""
    serial: Mapped[str] = mapped_column(String(40))
    """Printed number, e.g. "122271-3-000042"."""
    judgement_id: Mapped[int] = mapped_column(BigInteger)
    damage_level: Mapped[DamageLevel] = mapped_column(
        Enum(DamageLevel, name="damage_level", create_type=False)
    )
    reissue_of: Mapped[int | None] = mapped_column(BigInteger)
    """The certificate this one replaces (re-issue after a new judgement, or a lost paper)."""
    reissue_reason: Mapped[str | None] = mapped_column(Text)
    template_version: Mapped[int] = mapped_column(Integer)
    issued_by: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class CertificateSerialCounter(Base):
    """The last sequence handed out per event. Incremented with a row lock (upsert … returning),
    so concurrent issuers queue on the row instead of racing to max()+1."""

    __tablename__ = "certificate_serial_counter"
    __table_args__ = (
        PrimaryKeyConstraint("municipality_code", "event_id"),
        ForeignKeyConstraint(
            ["municipality_code", "event_id"],
            ["disaster_event.municipality_code", "disaster_event.id"],
            ondelete="CASCADE",
        ),
    )

    municipality_code: Mapped[str] = mapped_column(CHAR(6))
    event_id: Mapped[int] = mapped_column(BigInteger)
    last_value: Mapped[int] = mapped_column(Integer)


class CertificateTemplate(MunicipalMixin, Base):
    """The municipality's certificate layout text, versioned; the latest version prints."""

    __tablename__ = "certificate_template"
    __table_args__ = (UniqueConstraint("municipality_code", "version"),)

    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    """Text with {placeholders} (see certificate.template for the list)."""
    issuer: Mapped[str] = mapped_column(String(200))
    """e.g. 浦安市長 ○○ ○○"""
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
