"""The registry over HTTP: import history (no personal data) and unmatched addresses (audited).

Roles: welfare and hq see the import history; only welfare, who corrects addresses, sees the
people whose address could not be placed, and every such read is in the audit trail.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from sonae.api import params
from sonae.api.deps import DbSession
from sonae.audit import service as audit
from sonae.registry import queries
from sonae.registry.schemas import ImportsPage, RegistryImportOut, UnmatchedOut, UnmatchedPage
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role

router = APIRouter(prefix="/api/registry", tags=["registry"])

Reader = Annotated[Principal, Depends(require_roles(Role.welfare, Role.hq))]
Welfare = Annotated[Principal, Depends(require_roles(Role.welfare))]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[params.Offset, Query()]
UNMATCHED_FIELDS = ("address_number", "status", "address_text", "geocode_note")


@router.get("/imports", summary="Registry and welfare files imported, newest first")
def imports(
    principal: Reader, session: DbSession, limit: Limit = 100, offset: Offset = 0
) -> ImportsPage:
    total, found = queries.list_imports(
        session=session, municipality_code=principal.municipality_code, limit=limit, offset=offset
    )
    return ImportsPage(total=total, imports=[RegistryImportOut.model_validate(i) for i in found])


@router.get("/geocoding/unmatched", summary="People whose address was not placed (audited)")
def unmatched(
    principal: Welfare,
    request: Request,
    session: DbSession,
    limit: Limit = 100,
    offset: Offset = 0,
) -> UnmatchedPage:
    total, found = queries.list_unmatched(
        session=session, municipality_code=principal.municipality_code, limit=limit, offset=offset
    )
    people = [
        UnmatchedOut(
            person_id=p.id,
            address_number=p.address_number,
            status=p.status,
            address_text=p.address_text,
            geocode_note=p.geocode_note,
        )
        for p in found
    ]
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource="registry.geocoding.unmatched",
        person_ids=[p.person_id for p in people],
        fields=UNMATCHED_FIELDS,
        request=request,
    )
    return UnmatchedPage(total=total, people=people)
