"""Security tables: the personal number (個人番号) kept apart and encrypted, users, tokens.

Passwords are stored only as argon2id hashes, bearer tokens only as SHA-256 hashes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Enum,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import ChildOfPersonMixin, MunicipalMixin
from sonae.database.core import Base
from sonae.security.roles import Permission, Role


class MyNumberRecord(ChildOfPersonMixin, Base):
    """AES-GCM ciphertext plus a keyed hash (HMAC-SHA256) for exact look-up.

    Nothing links by this table: other tables reference the person, never the number.
    """

    __tablename__ = "my_number"
    __table_args__ = (
        UniqueConstraint("municipality_code", "person_id"),
        UniqueConstraint("lookup_hash", "municipality_code"),  # code last: see Person
        ForeignKeyConstraint(
            ["municipality_code", "person_id"],
            ["person.municipality_code", "person.id"],
            ondelete="CASCADE",
        ),
        {"postgresql_partition_by": "LIST (municipality_code)"},  # registry.partitions
    )

    person_id: Mapped[int] = mapped_column(BigInteger)
    nonce: Mapped[bytes] = mapped_column(LargeBinary(12))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    lookup_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    key_version: Mapped[int] = mapped_column(SmallInteger, default=1)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AppUser(MunicipalMixin, Base):
    """A member of staff who logs in. Usernames are unique across the whole installation."""

    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("username"),)

    username: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[Role]] = mapped_column(ARRAY(Enum(Role, name="user_role")))
    permissions: Mapped[list[Permission]] = mapped_column(
        ARRAY(Enum(Permission, name="user_permission")), server_default=text("'{}'")
    )
    district: Mapped[str | None] = mapped_column(String(100))
    shelter_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), server_default=text("'{}'"))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AccessToken(MunicipalMixin, Base):
    """An opaque bearer token, stored only as its SHA-256; revoked on logout."""

    __tablename__ = "access_token"
    __table_args__ = (
        UniqueConstraint("token_hash"),
        ForeignKeyConstraint(
            ["municipality_code", "user_id"],
            ["app_user.municipality_code", "app_user.id"],
            ondelete="CASCADE",
        ),
        Index("ix_access_token_user", "municipality_code", "user_id"),
    )

    user_id: Mapped[int] = mapped_column(BigInteger)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
