"""Staff accounts: create, list, disable, set a password, and the development demo user."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.chome.districts import district_of
from sonae.chome.models import Chome
from sonae.config import get_settings
from sonae.errors import ConflictError, InvalidInputError, NotFoundError
from sonae.municipality import service as municipality_service
from sonae.municipality.models import Municipality
from sonae.security import auth
from sonae.security.models import AppUser
from sonae.security.roles import Permission, Role
from sonae.shelter.models import Shelter

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
DEMO_USERNAME = "demo"


@dataclass(frozen=True)
class NewUser:
    username: str
    municipality_code: str
    roles: Sequence[Role]
    password: str
    district: str | None = None
    shelter_ids: Sequence[int] = field(default_factory=tuple)
    permissions: Sequence[Permission] = field(default_factory=tuple)


def _check(session: Session, new: NewUser) -> None:
    if not USERNAME.match(new.username):
        raise InvalidInputError(
            "a username is 1–100 ASCII letters, digits or . _ @ -, starting with a letter or digit"
        )
    if not new.roles:
        raise InvalidInputError("a user needs at least one role")
    municipality_service.get(session=session, code=new.municipality_code)
    if Role.supporter in new.roles and not new.district:
        raise InvalidInputError("a supporter needs --district (the district they support)")
    if Role.shelter_staff in new.roles and not new.shelter_ids:
        raise InvalidInputError("shelter staff need --shelter-id (the shelters they work in)")
    if Permission.my_number_read in new.permissions and not {Role.welfare, Role.hq} & set(
        new.roles
    ):
        raise InvalidInputError("my_number_read is only for users with role welfare or hq")
    if new.district is not None:
        names = session.scalars(
            select(Chome.name).where(Chome.municipality_code == new.municipality_code)
        ).all()
        if new.district not in {district_of(name) for name in names}:
            raise InvalidInputError(
                f"district {new.district!r} is no chome name of {new.municipality_code} "
                "(without 丁目, e.g. 当代島)"
            )
    if new.shelter_ids:
        known = set(
            session.scalars(
                select(Shelter.id).where(
                    Shelter.municipality_code == new.municipality_code,
                    Shelter.id.in_(new.shelter_ids),
                )
            ).all()
        )
        missing = sorted(set(new.shelter_ids) - known)
        if missing:
            raise InvalidInputError(f"no shelter with id {missing} in {new.municipality_code}")
    if get_user(session=session, username=new.username) is not None:
        raise ConflictError(f"user {new.username!r} already exists")


def create_user(*, session: Session, new: NewUser) -> AppUser:
    _check(session, new)
    user = AppUser(
        municipality_code=new.municipality_code,
        username=new.username,
        password_hash=auth.hash_password(new.password),
        roles=sorted(set(new.roles)),
        permissions=sorted(set(new.permissions)),
        district=new.district,
        shelter_ids=sorted(set(new.shelter_ids)),
        is_active=True,
    )
    session.add(user)
    session.flush()
    return user


def get_user(*, session: Session, username: str) -> AppUser | None:
    return session.scalar(select(AppUser).where(AppUser.username == username))


def _existing(session: Session, username: str) -> AppUser:
    user = get_user(session=session, username=username)
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    return user


def list_users(*, session: Session, municipality_code: str | None = None) -> list[AppUser]:
    query = select(AppUser).order_by(AppUser.municipality_code, AppUser.username)
    if municipality_code is not None:
        query = query.where(AppUser.municipality_code == municipality_code)
    return list(session.scalars(query).all())


def disable_user(*, session: Session, username: str) -> AppUser:
    """Disable the account and revoke its live tokens at once."""
    user = _existing(session, username)
    user.is_active = False
    auth.revoke_all_tokens(session=session, user=user)
    session.flush()
    return user


def set_password(*, session: Session, username: str, password: str) -> AppUser:
    """A new password; the user's live tokens are revoked."""
    user = _existing(session, username)
    user.password_hash = auth.hash_password(password)
    auth.revoke_all_tokens(session=session, user=user)
    session.flush()
    return user


def ensure_demo_user(*, session: Session, municipality_code: str | None = None) -> tuple[str, str]:
    """Development only: the user `demo` (role hq) with a new random password, which is
    returned once to be shown to whoever runs `make demo`. Returns (username, password)."""
    if get_settings().environment != "development":
        raise InvalidInputError("the demo user exists only in environment=development")
    code = municipality_code or _demo_municipality(session)
    password = secrets.token_urlsafe(12)
    user = get_user(session=session, username=DEMO_USERNAME)
    if user is None:
        create_user(
            session=session,
            new=NewUser(
                username=DEMO_USERNAME, municipality_code=code, roles=[Role.hq], password=password
            ),
        )
    else:
        set_password(session=session, username=DEMO_USERNAME, password=password)
        user.is_active = True
    return DEMO_USERNAME, password


def _demo_municipality(session: Session) -> str:
    default = get_settings().default_municipality
    codes = session.scalars(select(Municipality.code).order_by(Municipality.code)).all()
    if default in codes:
        return default
    if not codes:
        raise NotFoundError("no municipality loaded yet: run `sonae import city …` first")
    return codes[0]
