"""audit_log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE; see migration 0003).

It records people by their internal id only: never names, addresses or numbers of residents.
The municipality code leads the key like every municipal table, but is deliberately not a
foreign key: the trail must outlive the municipality's other data.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import CHAR, BigInteger, DateTime, Enum, Identity, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.core import Base


class AuditAction(enum.StrEnum):
    read = "read"
    create = "create"
    update = "update"
    delete = "delete"
    export = "export"
    login = "login"
    login_failed = "login_failed"
    logout = "logout"


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_username_at", "username", "at"),
        # The login's lockout check (service.recent_login_failures) reads only these.
        Index(
            "ix_audit_log_logins",
            "username",
            "at",
            postgresql_where=text("action IN ('login', 'login_failed')"),
        ),
        Index("ix_audit_log_municipality_at", "municipality_code", "at"),
        Index("ix_audit_log_person_ids", "person_ids", postgresql_using="gin"),
    )

    municipality_code: Mapped[str] = mapped_column(CHAR(6), primary_key=True)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
    username: Mapped[str | None] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(20)), server_default=text("'{}'"))
    action: Mapped[AuditAction] = mapped_column(Enum(AuditAction, name="audit_action"))
    resource: Mapped[str] = mapped_column(String(100))
    person_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), server_default=text("'{}'"))
    fields: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    purpose_code: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(Text)
    client_address: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'"))
