"""Individual evacuation plans over HTTP.

welfare makes and changes plans and reads them; a supporter reads (and prints) the plans of
people in their own district. Every read, change and print is audited; every one of them needs
the person's evacuation_plan consent in force (the service refuses otherwise, 409).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from sonae.api.deps import DbSession
from sonae.api.params import Id
from sonae.audit import service as audit
from sonae.evacuation_plan import service
from sonae.evacuation_plan.printing import plan_html
from sonae.evacuation_plan.schemas import Coverage, PlanIn, PlanOut
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role

router = APIRouter(prefix="/api/evacuation-plans", tags=["evacuation plans"])

Welfare = Annotated[Principal, Depends(require_roles(Role.welfare))]
Reader = Annotated[Principal, Depends(require_roles(Role.welfare, Role.supporter))]
CoverageReader = Annotated[Principal, Depends(require_roles(Role.welfare, Role.hq, Role.supporter))]
FIELDS = ["evacuation_plan"]


def _readable(session: DbSession, principal: Principal, person_id: int) -> None:
    """Before the plan is looked up: the consent check there would otherwise tell a supporter
    the consent decision of people outside their district (and unaudited)."""
    if principal.has(Role.welfare):
        return
    service.require_in_district(
        session=session,
        municipality_code=principal.municipality_code,
        person_id=person_id,
        district=principal.district,
    )


@router.get("/coverage", summary="Per district: listed, consenting to a plan, with a plan")
def coverage(
    principal: CoverageReader,
    session: DbSession,
    build_id: Annotated[Id | None, Query()] = None,
) -> Coverage:
    result = service.coverage(
        session=session, municipality_code=principal.municipality_code, build_id=build_id
    )
    if not principal.has(Role.welfare, Role.hq):
        # Their own district and its total: the city's figures are not theirs to see, as in
        # safety-confirmation progress.
        mine = [row for row in result.districts if row.district == principal.district]
        result = result.model_copy(update={"districts": mine, "total": service.total_of(mine)})
    return result


@router.get("/{person_id}", summary="A person's plan (audited)")
def read(person_id: Id, principal: Reader, session: DbSession, request: Request) -> PlanOut:
    _readable(session, principal, person_id)
    context = service.get_plan(
        session=session, municipality_code=principal.municipality_code, person_id=person_id
    )
    shown = service.plan_out(session=session, context=context)
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource=f"evacuation_plan/{person_id}",
        person_ids=[person_id],
        fields=FIELDS,
        purpose_code="evacuation_plan",
        request=request,
    )
    return shown


@router.put("/{person_id}", summary="Create or change a person's plan (needs their consent)")
def save(
    person_id: Id, body: PlanIn, principal: Welfare, session: DbSession, request: Request
) -> PlanOut:
    stored = service.save_plan(
        session=session,
        municipality_code=principal.municipality_code,
        person_id=person_id,
        plan=body,
        by=principal.username,
    )
    audit.record(
        session=session,
        principal=principal,
        action="update" if stored.updated_by else "create",
        resource=f"evacuation_plan/{person_id}",
        person_ids=[person_id],
        fields=FIELDS,
        purpose_code="evacuation_plan",
        request=request,
    )
    context = service.get_plan(
        session=session, municipality_code=principal.municipality_code, person_id=person_id
    )
    return service.plan_out(session=session, context=context)


@router.get(
    "/{person_id}/print", response_class=HTMLResponse, summary="The printable plan (audited)"
)
def print_plan(
    person_id: Id, principal: Reader, session: DbSession, request: Request
) -> HTMLResponse:
    _readable(session, principal, person_id)
    context = service.get_plan(
        session=session, municipality_code=principal.municipality_code, person_id=person_id
    )
    html = plan_html(session=session, context=context)
    audit.record(
        session=session,
        principal=principal,
        action="export",
        resource=f"evacuation_plan/{person_id}/print",
        person_ids=[person_id],
        fields=[*FIELDS, "name", "birth_date", "address", "phone"],
        purpose_code="evacuation_plan",
        request=request,
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})
