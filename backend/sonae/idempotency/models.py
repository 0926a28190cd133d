"""Idempotency keys: a retried request gets the first answer, never a second effect."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin
from sonae.database.core import Base


class IdempotencyRecord(MunicipalMixin, Base):
    """The first answer to a request carrying this key, stored in the request's own transaction.

    The key is scoped to the user who sent it. A concurrent duplicate blocks on the primary key
    (the unique constraint) until the first commits, then reads its answer.
    """

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("municipality_code", "user_id", "key"),)

    user_id: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    """SHA-256 of method, path and body: the same key with another request is refused."""
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[Any | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
