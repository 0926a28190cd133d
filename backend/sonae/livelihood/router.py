"""Livelihood support over HTTP: the counter estimate, applications, payments, push notices.

hq and welfare only. Application reads and the push-notice list name households, so they are
audited with the members' ids; the notice letters carry names and addresses and are audited as
exports.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response, status

from sonae import japan_time
from sonae.api.deps import DbSession
from sonae.api.params import Id
from sonae.audit import service as audit
from sonae.dwelling.service import household_person_ids
from sonae.livelihood import notices as notice_service
from sonae.livelihood import service
from sonae.livelihood.schemas import (
    ApplicationIn,
    ApplicationOut,
    EstimateOut,
    HistoryOut,
    NoticeOut,
    PaymentIn,
    PaymentOut,
    TransitionIn,
)
from sonae.livelihood.table import (
    LARGEST_HOUSEHOLD,
    PLAN_LABELS,
    SUPPORT_KIND_LABELS,
    SUPPORT_LEVEL_LABELS,
    Plan,
    SupportLevel,
    default_table,
    estimate,
)
from sonae.municipality import service as municipality_service
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role

router = APIRouter(prefix="/api/livelihood-support", tags=["livelihood support"])

Staff = Annotated[Principal, Depends(require_roles(Role.hq, Role.welfare))]
PURPOSE = "livelihood_support"


@router.get("/estimate", summary="Basic, additional and total support in yen (no personal data)")
def estimate_route(
    principal: Staff,
    damage_level: Annotated[SupportLevel, Query()],
    household_size: Annotated[int, Query(ge=1, le=LARGEST_HOUSEHOLD)],
    plan: Annotated[Plan, Query()] = Plan.none,
) -> EstimateOut:
    table = default_table()
    result = estimate(level=damage_level, household_size=household_size, plan=plan, table=table)
    return EstimateOut(
        damage_level=damage_level,
        damage_level_label=SUPPORT_LEVEL_LABELS[damage_level],
        household_size=household_size,
        plan=plan,
        plan_label=PLAN_LABELS[plan],
        basic=result.basic,
        additional=result.additional,
        total=result.total,
        law=table.law,
        verify=table.verify,
    )


@router.post("/applications", status_code=status.HTTP_201_CREATED, summary="Receive")
def receive(
    body: ApplicationIn, principal: Staff, session: DbSession, request: Request
) -> ApplicationOut:
    application = service.receive(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=body.event_id,
        household_number=body.household_number,
        kind=body.kind,
        plan=body.plan,
        applied_on=body.applied_on,
        received_by=principal.username,
        demolition=body.demolition,
        long_term_evacuation=body.long_term_evacuation,
    )
    _audit(session, principal, request, "create", body.household_number, application.id)
    return ApplicationOut.model_validate(application)


@router.get("/applications", summary="A household's applications for an event (audited)")
def household(
    principal: Staff,
    session: DbSession,
    request: Request,
    event_id: Annotated[Id, Query()],
    household_number: Annotated[str, Query(min_length=1, max_length=15)],
) -> list[ApplicationOut]:
    found = service.household_applications(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        household_number=household_number,
    )
    _audit(session, principal, request, "read", household_number, None)
    return [ApplicationOut.model_validate(a) for a in found]


@router.post("/applications/{application_id}/status", summary="Decide, reject or withdraw")
def move(
    application_id: Id, body: TransitionIn, principal: Staff, session: DbSession, request: Request
) -> ApplicationOut:
    application = service.transition(
        session=session,
        municipality_code=principal.municipality_code,
        application_id=application_id,
        to=body.to,
        reason=body.reason,
        changed_by=principal.username,
    )
    _audit(session, principal, request, "update", application.household_number, application.id)
    return ApplicationOut.model_validate(application)


@router.get("/applications/{application_id}/history", summary="Every status change")
def application_history(
    application_id: Id, principal: Staff, session: DbSession
) -> list[HistoryOut]:
    service.get(
        session=session,
        municipality_code=principal.municipality_code,
        application_id=application_id,
    )
    rows = service.history(
        session=session,
        municipality_code=principal.municipality_code,
        application_id=application_id,
    )
    return [HistoryOut.model_validate(r) for r in rows]


@router.post(
    "/applications/{application_id}/payments",
    status_code=status.HTTP_201_CREATED,
    summary="Record the payment of an approved application",
)
def pay(
    application_id: Id, body: PaymentIn, principal: Staff, session: DbSession, request: Request
) -> PaymentOut:
    payment = service.record_payment(
        session=session,
        municipality_code=principal.municipality_code,
        application_id=application_id,
        amount=body.amount,
        paid_on=body.paid_on,
        reference=body.reference,
        recorded_by=principal.username,
    )
    application = service.get(
        session=session,
        municipality_code=principal.municipality_code,
        application_id=application_id,
    )
    _audit(session, principal, request, "create", application.household_number, application_id)
    return PaymentOut.model_validate(payment)


@router.get("/notices", summary="Push notices: eligible households that have not applied (audited)")
def notices(
    principal: Staff,
    session: DbSession,
    request: Request,
    event_id: Annotated[Id, Query()],
    as_of: Annotated[date | None, Query()] = None,
) -> list[NoticeOut]:
    found = notice_service.push_notices(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        as_of=as_of or japan_time.today(),
    )
    # Household numbers with their damage level: a read of personal data, like the letters.
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource=f"event/{event_id}/livelihood-notices",
        person_ids=household_person_ids(
            session=session,
            municipality_code=principal.municipality_code,
            household_numbers=sorted({n.household_number for n in found}),
            residents_only=True,
        ),
        fields=["livelihood_support", "damage"],
        purpose_code=PURPOSE,
        request=request,
        detail={"households": len(found)},
    )
    return [
        NoticeOut(
            household_number=n.household_number,
            kind=n.kind,
            kind_label=SUPPORT_KIND_LABELS[n.kind],
            level=n.level,
            level_label=SUPPORT_LEVEL_LABELS[n.level],
            certificate_serial=n.certificate_serial,
            household_size=n.household_size,
            amount=n.amount,
            deadline=n.deadline,
            days_left=n.days_left,
        )
        for n in found
    ]


@router.get(
    "/notices/export",
    summary="Notice letters: printable HTML or CSV (UTF-8 BOM), Japanese (audited export)",
    response_class=Response,
)
def export(
    principal: Staff,
    session: DbSession,
    request: Request,
    event_id: Annotated[Id, Query()],
    as_of: Annotated[date | None, Query()] = None,
    fmt: Annotated[str, Query(alias="format", pattern="^(csv|html)$")] = "html",
) -> Response:
    found = notice_service.push_notices(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        as_of=as_of or japan_time.today(),
    )
    items = notice_service.letters(
        session=session, municipality_code=principal.municipality_code, notices=found
    )
    audit.record(
        session=session,
        principal=principal,
        action="export",
        resource=f"event/{event_id}/livelihood-notices",
        person_ids=[letter.person_id for letter in items],
        fields=["name", "address"],
        purpose_code=PURPOSE,
        request=request,
        detail={"letters": len(items), "format": fmt},
    )
    if fmt == "csv":
        content, media = notice_service.to_csv(items), "text/csv; charset=utf-8"
    else:
        name = municipality_service.get(session=session, code=principal.municipality_code).name
        content = notice_service.to_html(items, municipality_name=name)
        media = "text/html; charset=utf-8"
    filename = f"livelihood_notices_{event_id}.{fmt}"
    return Response(
        content=content,
        media_type=media,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "no-store",
        },
    )


def _audit(
    session: DbSession,
    principal: Principal,
    request: Request,
    action: str,
    household_number: str,
    application_id: int | None,
) -> None:
    audit.record(
        session=session,
        principal=principal,
        action=action,
        resource="livelihood-application"
        + (f"/{application_id}" if application_id is not None else ""),
        person_ids=household_person_ids(
            session=session,
            municipality_code=principal.municipality_code,
            household_numbers=[household_number],
            residents_only=True,
        ),
        fields=["livelihood_support"],
        purpose_code=PURPOSE,
        request=request,
    )
