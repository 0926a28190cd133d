"""Writing and reading the audit trail.

record() adds its row to the caller's session, so it commits or rolls back with the access it
records: a read whose audit row cannot be written fails with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.orm import Session

from sonae.audit.models import AuditAction, AuditEntry
from sonae.config import get_settings
from sonae.errors import InvalidInputError
from sonae.security.roles import Principal

if TYPE_CHECKING:
    # Only a type here: the CLI records accesses too and need not load FastAPI (0.1 s) for that.
    from fastapi import Request

MAX_PAGE = 1000


def request_id_of(request: Request | None) -> str | None:
    if request is None:
        return None
    value = getattr(request.state, "request_id", None)
    return value if isinstance(value, str) else None


def client_address_of(request: Request | None) -> str | None:
    return request.client.host if request is not None and request.client else None


_COLUMNS = (
    "municipality_code",
    "username",
    "user_id",
    "roles",
    "action",
    "resource",
    "person_ids",
    "fields",
    "purpose_code",
    "request_id",
    "client_address",
    "detail",
)
# Built once, a Core INSERT rather than an ORM object and a flush: every read of personal data
# writes an entry, and building the statement cost more CPU than running it. Bound with entry().
INSERT = insert(cast(Table, AuditEntry.__table__)).values(
    {name: bindparam(f"v_{name}", type_=AuditEntry.__table__.c[name].type) for name in _COLUMNS}
)


def record(
    *,
    session: Session,
    principal: Principal | None,
    action: str,
    resource: str,
    person_ids: Sequence[int] = (),
    fields: Sequence[str] = (),
    purpose_code: str | None = None,
    request: Request | None = None,
    detail: Mapping[str, object] | None = None,
    username: str | None = None,
    municipality_code: str | None = None,
) -> None:
    """Append one entry. person_ids are internal ids; never pass names, addresses or numbers.

    username and municipality_code are for events without a principal (a failed login); with a
    principal they come from it. The row is inserted at once, so a failure surfaces here.
    """
    values = entry(
        principal=principal,
        action=action,
        resource=resource,
        person_ids=person_ids,
        fields=fields,
        purpose_code=purpose_code,
        request=request,
        detail=detail,
        username=username,
        municipality_code=municipality_code,
    )
    session.execute(INSERT, values)


def entry(
    *,
    principal: Principal | None,
    action: str,
    resource: str,
    person_ids: Sequence[int] = (),
    fields: Sequence[str] = (),
    purpose_code: str | None = None,
    request: Request | None = None,
    detail: Mapping[str, object] | None = None,
    username: str | None = None,
    municipality_code: str | None = None,
) -> dict[str, object]:
    """The bound parameters of INSERT for one entry (as record() takes them), for a statement
    that writes the entry along with its own work, in the same round trip."""
    try:
        kind = AuditAction(action)
    except ValueError as exc:
        raise InvalidInputError(f"unknown audit action {action!r}") from exc
    if principal is not None:
        username, municipality_code = principal.username, principal.municipality_code
    values = {
        "municipality_code": municipality_code or get_settings().default_municipality,
        "username": username[:100] if username else None,
        "user_id": principal.user_id if principal else None,
        "roles": sorted(principal.roles) if principal else [],
        "action": kind,
        "resource": resource,
        "person_ids": sorted(set(person_ids)),
        "fields": list(fields),
        "purpose_code": purpose_code,
        "request_id": request_id_of(request),
        "client_address": client_address_of(request),
        "detail": dict(detail or {}),
    }
    return {f"v_{name}": value for name, value in values.items()}


@dataclass(frozen=True)
class AuditQuery:
    person_id: int | None = None
    username: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100
    offset: int = 0


def search(
    *, session: Session, municipality_code: str, query: AuditQuery
) -> tuple[int, list[AuditEntry]]:
    """Entries of one municipality, newest first, with the total count before paging."""
    where = [AuditEntry.municipality_code == municipality_code]
    if query.person_id is not None:
        where.append(AuditEntry.person_ids.contains([query.person_id]))
    if query.username is not None:
        where.append(AuditEntry.username == query.username)
    if query.since is not None:
        where.append(AuditEntry.at >= query.since)
    if query.until is not None:
        where.append(AuditEntry.at < query.until)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    rows = session.scalars(
        select(AuditEntry)
        .where(*where)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(min(query.limit, MAX_PAGE))
        .offset(query.offset)
    ).all()
    return total, list(rows)


def person_history(*, session: Session, municipality_code: str, person_id: int) -> list[AuditEntry]:
    """Every recorded access to one person's data, oldest first (for the person themselves)."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.municipality_code == municipality_code,
                AuditEntry.person_ids.contains([person_id]),
            )
            .order_by(AuditEntry.at, AuditEntry.id)
        ).all()
    )


def recent_login_failures(*, session: Session, username: str, window: timedelta) -> list[datetime]:
    """Times of failed logins (wrong password or unknown user) within the window and since the
    last success, newest first. Login throttling reads them here, so it holds across workers."""
    start = func.clock_timestamp() - window
    last_success = (
        select(func.max(AuditEntry.at))
        .where(AuditEntry.username == username, AuditEntry.action == AuditAction.login)
        .scalar_subquery()
    )
    rows = session.scalars(
        select(AuditEntry.at)
        .where(
            AuditEntry.username == username,
            AuditEntry.action == AuditAction.login_failed,
            AuditEntry.at >= start,
            AuditEntry.at > func.coalesce(last_success, start),
            AuditEntry.detail["reason"].astext == "bad_credentials",
        )
        .order_by(AuditEntry.at.desc())
    ).all()
    return list(rows)
