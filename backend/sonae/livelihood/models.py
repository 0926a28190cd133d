"""Applications for livelihood support per household, their history, and payments.

A household is (municipality_code, household_number) of the registry at application time. The
amount is computed from the table when the application is received and kept: a later change of
the table does not silently change a decided amount.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Enum,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin, municipal_fk
from sonae.database.core import Base
from sonae.livelihood.table import Plan, SupportKind, SupportLevel


class ApplicationStatus(enum.StrEnum):
    received = "received"
    """受付"""
    approved = "approved"
    """支給決定"""
    rejected = "rejected"
    """不支給決定"""
    withdrawn = "withdrawn"
    """取下げ"""
    paid = "paid"
    """支給済"""


APPLICATION_STATUS_LABELS: dict[ApplicationStatus, str] = {
    ApplicationStatus.received: "受付",
    ApplicationStatus.approved: "支給決定",
    ApplicationStatus.rejected: "不支給決定",
    ApplicationStatus.withdrawn: "取下げ",
    ApplicationStatus.paid: "支給済",
}


class LivelihoodApplication(MunicipalMixin, Base):
    __tablename__ = "livelihood_application"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        Index(
            "ix_livelihood_application_household",
            "municipality_code",
            "event_id",
            "household_number",
        ),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    household_number: Mapped[str] = mapped_column(String(15))
    kind: Mapped[SupportKind] = mapped_column(Enum(SupportKind, name="livelihood_kind"))
    plan: Mapped[Plan] = mapped_column(Enum(Plan, name="livelihood_plan"))
    level: Mapped[SupportLevel] = mapped_column(Enum(SupportLevel, name="livelihood_level"))
    """The level applied under: the certificate's, or demolition / long_term_evacuation."""
    certificate_serial: Mapped[str | None] = mapped_column(String(40))
    household_size: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    """Yen, from the table at receipt (the rent-then-build cap already applied)."""
    applied_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[ApplicationStatus] = mapped_column(
        Enum(ApplicationStatus, name="livelihood_status")
    )
    received_by: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class LivelihoodApplicationHistory(MunicipalMixin, Base):
    """Append-only: every status change of an application."""

    __tablename__ = "livelihood_application_history"
    __table_args__ = (
        municipal_fk("application_id", "livelihood_application"),
        Index("ix_livelihood_history_application", "municipality_code", "application_id"),
    )

    application_id: Mapped[int] = mapped_column(BigInteger)
    from_status: Mapped[ApplicationStatus | None] = mapped_column(
        Enum(ApplicationStatus, name="livelihood_status", create_type=False)
    )
    to_status: Mapped[ApplicationStatus] = mapped_column(
        Enum(ApplicationStatus, name="livelihood_status", create_type=False)
    )
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class LivelihoodPayment(MunicipalMixin, Base):
    """A payment made on an approved application (the prefecture's fund pays; we record it)."""

    __tablename__ = "livelihood_payment"
    __table_args__ = (
        municipal_fk("application_id", "livelihood_application"),
        Index("ix_livelihood_payment_application", "municipality_code", "application_id"),
    )

    application_id: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(100))
    """The fund's payment reference (支給決定番号), if known."""
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
