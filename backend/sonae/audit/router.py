"""The audit trail for auditors: search it, and export one person's access history as CSV.

Both reads are themselves audited.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from sonae.api.deps import DbSession
from sonae.api.params import Id, Offset
from sonae.audit import service
from sonae.audit.models import AuditEntry
from sonae.audit.schemas import AuditEntryRead, AuditPage
from sonae.japan_time import in_japan
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role

router = APIRouter(prefix="/api/audit", tags=["audit"])
Auditor = Annotated[Principal, Depends(require_roles(Role.auditor))]

CSV_COLUMNS = ["日時", "利用者", "役割", "操作", "対象", "項目", "利用目的", "要求ID"]


@router.get("", summary="Search the audit trail (newest first)")
def search(
    principal: Auditor,
    request: Request,
    session: DbSession,
    person_id: Annotated[Id | None, Query()] = None,
    username: Annotated[str | None, Query(max_length=100)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = 100,
    offset: Annotated[Offset, Query()] = 0,
) -> AuditPage:
    query = service.AuditQuery(
        person_id=person_id,
        username=username,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    total, entries = service.search(
        session=session, municipality_code=principal.municipality_code, query=query
    )
    service.record(
        session=session,
        principal=principal,
        action="read",
        resource="audit.search",
        person_ids=[person_id] if person_id is not None else [],
        request=request,
        detail={
            "username": username,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "returned": len(entries),
        },
    )
    return AuditPage(
        total=total,
        limit=limit,
        offset=offset,
        entries=[AuditEntryRead.model_validate(e) for e in entries],
    )


def _cell(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: quote them."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def person_history_csv(entries: list[AuditEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        row = [
            in_japan(e.at).isoformat(),  # for the resident: Japan time, offset shown
            e.username or "",
            " ".join(e.roles),
            e.action.value,
            e.resource,
            " ".join(e.fields),
            e.purpose_code or "",
            e.request_id or "",
        ]
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


@router.get(
    "/persons/{person_id}/export",
    summary="One person's access history as CSV (UTF-8 with BOM), for the person",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def export_person_history(
    person_id: Id, principal: Auditor, request: Request, session: DbSession
) -> Response:
    entries = service.person_history(
        session=session, municipality_code=principal.municipality_code, person_id=person_id
    )
    service.record(
        session=session,
        principal=principal,
        action="export",
        resource="audit.person_history",
        person_ids=[person_id],
        request=request,
        detail={"entries": len(entries)},
    )
    return Response(
        content="\ufeff" + person_history_csv(entries),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="access_history_{person_id}.csv"'},
    )
