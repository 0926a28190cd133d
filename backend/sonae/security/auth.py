"""Passwords, bearer tokens and logins.

Passwords are hashed with argon2id (argon2-cffi's defaults follow RFC 9106). A token is 32 random
bytes (secrets.token_urlsafe) handed to the client once and stored only as its SHA-256, with an
expiry, until logout revokes it. After MAX_FAILURES failed logins for a username within
FAILURE_WINDOW, logins for it are refused for LOCKOUT; the failures are read back from the audit
trail, so the limit holds across workers and restarts.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.orm import Session

from sonae.audit import service as audit
from sonae.config import get_settings
from sonae.errors import AuthenticationError, InvalidInputError, TooManyAttemptsError
from sonae.security.models import AccessToken, AppUser
from sonae.security.roles import Permission, Principal, Role

if TYPE_CHECKING:
    # Only a type here: the CLI calls this too and need not load FastAPI (0.1 s) for that.
    from fastapi import Request


MIN_PASSWORD_LENGTH = 12
MIN_DISTINCT_CHARACTERS = 5
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
LOGIN_RESOURCE = "auth.token"
BAD_CREDENTIALS = "wrong username or password"
LOCKED = "too many failed logins for this username: try again in 15 minutes"

_hasher = PasswordHasher()


@lru_cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so both cases take the same time."""
    return _hasher.hash(secrets.token_urlsafe(16))


def check_password_policy(password: str) -> str:
    """The one password rule, for every way a password is set (CLI and service, create and
    change): at least MIN_PASSWORD_LENGTH characters, not only whitespace, and at least
    MIN_DISTINCT_CHARACTERS different characters (refuses "aaaaaaaaaaaa", "abababababab").
    Length counts most; no character classes are demanded, so a long passphrase passes."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if not password.strip():
        raise InvalidInputError("a password may not be only whitespace")
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        raise InvalidInputError(
            f"a password needs at least {MIN_DISTINCT_CHARACTERS} different characters"
        )
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(check_password_policy(password))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def principal_of(user: AppUser | Row[*tuple[Any, ...]]) -> Principal:
    """From the ORM user, or from the token query's row (same column names, no ORM object)."""
    return Principal(
        user_id=user.id,
        username=user.username,
        roles=frozenset(Role(r) for r in user.roles),
        municipality_code=user.municipality_code,
        district=user.district,
        shelter_ids=frozenset(user.shelter_ids or ()),
        permissions=frozenset(Permission(p) for p in user.permissions or ()),
    )


@dataclass(frozen=True)
class IssuedToken:
    token: str
    """The only copy of the clear token: hand it to the client, never log or store it."""
    expires_at: datetime
    principal: Principal


def _locked(failures: list[datetime], now: datetime) -> bool:
    """failures: newest first. Locked for LOCKOUT after the failure that completes a run of
    MAX_FAILURES within FAILURE_WINDOW (refused attempts while locked are not failures)."""
    for i in range(len(failures) - MAX_FAILURES + 1):
        if now - failures[i] >= LOCKOUT:
            return False
        if failures[i] - failures[i + MAX_FAILURES - 1] <= FAILURE_WINDOW:
            return True
    return False


def login(
    *, session: Session, username: str, password: str, request: Request | None = None
) -> IssuedToken:
    """Check the credentials and issue a token; every attempt is audited.

    Raises AuthenticationError (unknown user, wrong password, disabled) with one message for
    all three, or TooManyAttemptsError. The caller must still commit, so failures are kept.
    """
    username = username.strip()
    # One login at a time per username, across workers: the count of failures stays exact.
    session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"login:{username}"))))
    now: datetime = session.execute(select(func.clock_timestamp())).scalar_one()
    failures = audit.recent_login_failures(
        session=session, username=username, window=FAILURE_WINDOW + LOCKOUT
    )
    user = session.scalar(select(AppUser).where(AppUser.username == username))
    code = user.municipality_code if user else None
    if _locked(failures, now):
        audit.record(
            session=session,
            principal=None,
            action="login_failed",
            resource=LOGIN_RESOURCE,
            request=request,
            username=username,
            municipality_code=code,
            detail={"reason": "locked"},
        )
        raise TooManyAttemptsError(LOCKED)
    valid = verify_password(user.password_hash if user else _dummy_hash(), password)
    if user is None or not valid or not user.is_active:
        audit.record(
            session=session,
            principal=None,
            action="login_failed",
            resource=LOGIN_RESOURCE,
            request=request,
            username=username,
            municipality_code=code,
            detail={"reason": "bad_credentials"},
        )
        raise AuthenticationError(BAD_CREDENTIALS)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    issued = issue_token(session=session, user=user)
    audit.record(
        session=session,
        principal=issued.principal,
        action="login",
        resource=LOGIN_RESOURCE,
        request=request,
    )
    return issued


def issue_token(*, session: Session, user: AppUser) -> IssuedToken:
    token = secrets.token_urlsafe(32)
    ttl = timedelta(minutes=get_settings().token_ttl_minutes)
    row = AccessToken(
        municipality_code=user.municipality_code,
        user_id=user.id,
        token_hash=token_digest(token),
        expires_at=func.clock_timestamp() + ttl,
    )
    session.add(row)
    session.flush()
    session.refresh(row, ["expires_at"])
    return IssuedToken(token=token, expires_at=row.expires_at, principal=principal_of(user))


_users = AppUser.__table__.c
_tokens = AccessToken.__table__.c
# Built once: on every authenticated request, building and cache-keying the statement (and
# loading an ORM object) cost more CPU than running it.
_PRINCIPAL_FOR_TOKEN = (
    select(
        _users.id,
        _users.username,
        _users.roles,
        _users.municipality_code,
        _users.district,
        _users.shelter_ids,
        _users.permissions,
    )
    .join_from(
        AppUser.__table__,
        AccessToken.__table__,
        (_tokens.municipality_code == _users.municipality_code) & (_tokens.user_id == _users.id),
    )
    .where(
        _tokens.token_hash == bindparam("digest"),
        _tokens.revoked_at.is_(None),
        _tokens.expires_at > func.clock_timestamp(),
        _users.is_active.is_(True),
    )
)


def principal_for_token(*, session: Session, token: str) -> Principal | None:
    """The active user a valid, unexpired, unrevoked token belongs to; None otherwise."""
    if not token or len(token) > 200:
        return None
    row = session.execute(_PRINCIPAL_FOR_TOKEN, {"digest": token_digest(token)}).first()
    return None if row is None else principal_of(row)


def revoke_token(*, session: Session, token: str) -> bool:
    """Revoke one token (logout); True when it was live."""
    result = session.execute(
        update(AccessToken)
        .where(AccessToken.token_hash == token_digest(token), AccessToken.revoked_at.is_(None))
        .values(revoked_at=func.clock_timestamp())
    )
    return bool(getattr(result, "rowcount", 0))


def revoke_all_tokens(*, session: Session, user: AppUser) -> None:
    session.execute(
        update(AccessToken)
        .where(
            AccessToken.municipality_code == user.municipality_code,
            AccessToken.user_id == user.id,
            AccessToken.revoked_at.is_(None),
        )
        .values(revoked_at=func.clock_timestamp())
    )
