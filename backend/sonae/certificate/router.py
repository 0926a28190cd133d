"""Certificate applications, issuance, PDFs and daily statistics over HTTP.

hq does everything; welfare may read certificates (they decide support on them). Every read of a
household's certificate or application is audited with the household members' internal ids.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from sqlalchemy.orm import Session

from sonae.api.deps import DbSession
from sonae.api.params import Id
from sonae.audit import service as audit
from sonae.certificate import service, stats, template
from sonae.certificate.models import CertificateApplication
from sonae.certificate.printing import certificate_pdf
from sonae.certificate.schemas import (
    ApplicationIn,
    ApplicationOut,
    CertificateOut,
    DayStatsOut,
    IssueIn,
    TemplateIn,
    TemplateOut,
)
from sonae.dwelling.service import household_person_ids
from sonae.event.service import get_municipal_event
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role

router = APIRouter(tags=["damage certificates (罹災証明書)"])

Hq = Annotated[Principal, Depends(require_roles(Role.hq))]
Reader = Annotated[Principal, Depends(require_roles(Role.hq, Role.welfare))]
PURPOSE = "damage_certificate"
SerialPath = Annotated[str, Path(max_length=40, pattern=r"^[0-9-]+$")]


def _audit(
    session: Session,
    principal: Principal,
    request: Request,
    *,
    action: str,
    resource: str,
    households: list[str],
) -> None:
    audit.record(
        session=session,
        principal=principal,
        action=action,
        resource=resource,
        person_ids=household_person_ids(
            session=session,
            municipality_code=principal.municipality_code,
            household_numbers=sorted(set(households)),
        ),
        fields=["damage_certificate"],
        purpose_code=PURPOSE,
        request=request,
    )


@router.post(
    "/api/events/{event_id}/certificate-applications",
    status_code=status.HTTP_201_CREATED,
    summary="A household applies for its certificate (counter or online)",
)
def apply(
    event_id: Id, body: ApplicationIn, principal: Hq, session: DbSession, request: Request
) -> ApplicationOut:
    made = service.apply(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        applicant_address_number=body.applicant_address_number,
        channel=body.channel,
        received_by=principal.username,
    )
    _audit(
        session,
        principal,
        request,
        action="create",
        resource=f"event/{event_id}/certificate-application/{made.id}",
        households=[made.household_number],
    )
    return ApplicationOut.model_validate(made)


@router.get(
    "/api/events/{event_id}/certificate-applications",
    summary="Applications; pending=true lists those still waiting for a first certificate",
)
def list_applications(
    event_id: Id,
    principal: Reader,
    session: DbSession,
    request: Request,
    pending: Annotated[bool, Query()] = False,
) -> list[ApplicationOut]:
    get_municipal_event(
        session=session, municipality_code=principal.municipality_code, event_id=event_id
    )
    query = session.query(CertificateApplication).filter(
        CertificateApplication.municipality_code == principal.municipality_code,
        CertificateApplication.event_id == event_id,
    )
    if pending:
        query = query.filter(CertificateApplication.first_issued_at.is_(None))
    found = query.order_by(CertificateApplication.applied_at, CertificateApplication.id).all()
    _audit(
        session,
        principal,
        request,
        action="read",
        resource=f"event/{event_id}/certificate-applications",
        households=[a.household_number for a in found],
    )
    return [ApplicationOut.model_validate(a) for a in found]


@router.post(
    "/api/events/{event_id}/certificate-applications/{application_id}/issue",
    status_code=status.HTTP_201_CREATED,
    summary="Issue (or re-issue) the certificate with the judgement in force",
)
def issue(
    event_id: Id,
    application_id: Id,
    principal: Hq,
    session: DbSession,
    request: Request,
    body: IssueIn | None = None,
) -> CertificateOut:
    made = service.issue(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        application_id=application_id,
        issued_by=principal.username,
        reissue_reason=body.reissue_reason if body else None,
    )
    _audit(
        session,
        principal,
        request,
        action="create",
        resource=f"event/{event_id}/certificate/{made.serial}",
        households=[made.household_number],
    )
    return CertificateOut.model_validate(made)


@router.get(
    "/api/events/{event_id}/certificates/stats",
    summary="Per day: received, issued, re-issued, pending and backlog (no personal data)",
)
def daily(
    event_id: Id,
    principal: Reader,
    session: DbSession,
    target_days: Annotated[int, Query(ge=1, le=365)] = 7,
    start: Annotated[date | None, Query()] = None,
    end: Annotated[date | None, Query()] = None,
) -> list[DayStatsOut]:
    rows = stats.daily_stats(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        target_days=target_days,
        start=start,
        end=end,
    )
    return [DayStatsOut.model_validate(r) for r in rows]


@router.get(
    "/api/events/{event_id}/certificates",
    summary="The certificate in force of every household; outdated=true: those to re-issue",
)
def list_certificates(
    event_id: Id,
    principal: Reader,
    session: DbSession,
    request: Request,
    outdated: Annotated[bool, Query()] = False,
) -> list[CertificateOut]:
    found = service.list_certificates(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        outdated_only=outdated,
    )
    _audit(
        session,
        principal,
        request,
        action="read",
        resource=f"event/{event_id}/certificates",
        households=[c.household_number for c, _ in found],
    )
    return [
        CertificateOut.model_validate(c).model_copy(update={"outdated": flag}) for c, flag in found
    ]


@router.get("/api/events/{event_id}/certificates/{serial}", summary="One certificate (audited)")
def get_certificate(
    event_id: Id, serial: SerialPath, principal: Reader, session: DbSession, request: Request
) -> CertificateOut:
    found = service.get_certificate(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        serial=serial,
    )
    _audit(
        session,
        principal,
        request,
        action="read",
        resource=f"event/{event_id}/certificate/{found.serial}",
        households=[found.household_number],
    )
    outdated = service.is_outdated(session=session, certificate=found)
    return CertificateOut.model_validate(found).model_copy(update={"outdated": outdated})


@router.get(
    "/api/events/{event_id}/certificates/{serial}/pdf",
    summary="The printable certificate (PDF, Japanese; audited as an export)",
    response_class=Response,
)
def pdf(
    event_id: Id, serial: SerialPath, principal: Reader, session: DbSession, request: Request
) -> Response:
    found = service.get_certificate(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        serial=serial,
    )
    content = certificate_pdf(session=session, certificate=found)
    _audit(
        session,
        principal,
        request,
        action="export",
        resource=f"event/{event_id}/certificate/{found.serial}/pdf",
        households=[found.household_number],
    )
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="risai-{found.serial}.pdf"'},
    )


@router.get("/api/certificate-template", summary="The certificate layout text in force")
def get_template(principal: Hq, session: DbSession) -> TemplateOut:
    found = template.current_template(
        session=session, municipality_code=principal.municipality_code
    )
    return TemplateOut.model_validate(found)


@router.put(
    "/api/certificate-template",
    summary="Save a new version of the layout text ({placeholders} as in the default file)",
)
def put_template(
    body: TemplateIn, principal: Hq, session: DbSession, request: Request
) -> TemplateOut:
    saved = template.save_template(
        session=session,
        municipality_code=principal.municipality_code,
        text=template.TemplateText(title=body.title, body=body.body, issuer=body.issuer),
        created_by=principal.username,
    )
    audit.record(
        session=session,
        principal=principal,
        action="update",
        resource="certificate-template",
        purpose_code=PURPOSE,
        request=request,
        detail={"version": saved.version},
    )
    return TemplateOut.model_validate(saved)
