"""The personal number (個人番号), kept apart from the person and never in clear text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKeyConstraint,
    LargeBinary,
    SmallInteger,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin
from sonae.database.core import Base


class MyNumberRecord(MunicipalMixin, Base):
    """AES-GCM ciphertext plus a keyed hash (HMAC-SHA256) for exact look-up.

    Nothing links by this table: other tables reference the person, never the number.
    """

    __tablename__ = "my_number"
    __table_args__ = (
        UniqueConstraint("municipality_code", "person_id"),
        UniqueConstraint("municipality_code", "lookup_hash"),
        ForeignKeyConstraint(
            ["municipality_code", "person_id"],
            ["person.municipality_code", "person.id"],
            ondelete="CASCADE",
        ),
    )

    person_id: Mapped[int] = mapped_column(BigInteger)
    nonce: Mapped[bytes] = mapped_column(LargeBinary(12))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    lookup_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    key_version: Mapped[int] = mapped_column(SmallInteger, default=1)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
