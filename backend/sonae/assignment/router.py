"""Evacuation assignments over HTTP.

Roles: hq runs assignments; hq and welfare read them. Run figures carry no personal data;
every read of person-level results is recorded in the audit trail with the people's ids, in
the same transaction as the read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from sonae import japan_time
from sonae.api.deps import DbSession
from sonae.api.params import Id, Offset
from sonae.assignment import service
from sonae.assignment.models import ASSIGNMENT_REASON_LABELS, AssignmentReason
from sonae.assignment.schemas import (
    AssignedPeoplePage,
    AssignedPersonOut,
    AssignmentIn,
    AssignmentOut,
)
from sonae.audit import service as audit
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role

router = APIRouter(tags=["evacuation assignment"])

Runner = Annotated[Principal, Depends(require_roles(Role.hq))]
Reader = Annotated[Principal, Depends(require_roles(Role.hq, Role.welfare))]
MAX_PAGE = 1000


@router.post(
    "/api/assignments",
    status_code=status.HTTP_201_CREATED,
    summary="Assign people to shelters (capacity, hazards, care needs; shortest total walk)",
)
def run(body: AssignmentIn, principal: Runner, session: DbSession) -> AssignmentOut:
    result = service.run_assignment(
        session=session,
        municipality_code=principal.municipality_code,
        created_by=principal.username,
        scope=body.scope,
        hazard=str(body.hazard) if body.hazard else None,
        as_of=body.as_of or japan_time.today(),
    )
    return AssignmentOut.model_validate(result)


@router.get("/api/assignments", summary="Stored assignments, newest first (figures only)")
def runs(principal: Reader, session: DbSession) -> list[AssignmentOut]:
    found = service.list_assignments(session=session, municipality_code=principal.municipality_code)
    return [AssignmentOut.model_validate(r) for r in found]


@router.get("/api/assignments/{assignment_id}", summary="One assignment (figures only)")
def one(assignment_id: Id, principal: Reader, session: DbSession) -> AssignmentOut:
    found = service.get_assignment(
        session=session, municipality_code=principal.municipality_code, assignment_id=assignment_id
    )
    return AssignmentOut.model_validate(found)


@router.get(
    "/api/assignments/{assignment_id}/people",
    summary="Where each person goes and why (audited)",
)
def people(
    assignment_id: Id,
    principal: Reader,
    session: DbSession,
    request: Request,
    shelter_id: Annotated[Id | None, Query()] = None,
    reason: Annotated[list[AssignmentReason] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[Offset, Query()] = 0,
) -> AssignedPeoplePage:
    total, rows = service.list_people(
        session=session,
        municipality_code=principal.municipality_code,
        assignment_id=assignment_id,
        shelter_id=shelter_id,
        reasons=[str(r) for r in reason] if reason else None,
        limit=limit,
        offset=offset,
    )
    items = [
        AssignedPersonOut(
            person_id=r.person_id,
            shelter_id=r.shelter_id,
            nearest_shelter_id=r.nearest_shelter_id,
            walk_m=r.walk_m,
            nearest_walk_m=r.nearest_walk_m,
            walk_minutes=r.walk_minutes,
            slow=r.slow,
            needs_care=r.needs_care,
            reason=r.reason,
            reason_label=ASSIGNMENT_REASON_LABELS[r.reason],
        )
        for r in rows
    ]
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource=f"evacuation_assignment/{assignment_id}/people",
        person_ids=[i.person_id for i in items],
        fields=["shelter", "walk", "needs_care", "reason"],
        purpose_code="evacuation_assignment",
        request=request,
        detail={"offset": offset, "rows": len(items)},
    )
    return AssignedPeoplePage(assignment_id=assignment_id, total=total, offset=offset, items=items)
