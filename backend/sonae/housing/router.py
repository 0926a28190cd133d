"""Temporary housing over HTTP (hq, welfare): sites, applications, allocation runs, tenancies.

Application reads and changes (receipt, rejection, withdrawal, moves), allocation runs and the
list of expiring tenancies touch household and welfare-derived data: audited with the members'
person ids. Site writes hold no personal data; they are audited by site, as event writes are,
because a site's units and chome steer every later allocation.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.api.deps import DbSession
from sonae.api.params import Id
from sonae.audit import service as audit
from sonae.dwelling.service import household_person_ids
from sonae.errors import NotFoundError
from sonae.housing import runs, service, sites
from sonae.housing.models import HousingAllocationRun
from sonae.housing.schemas import (
    ApplicationIn,
    ApplicationOut,
    CloseIn,
    DecisionOut,
    MoveIn,
    RunIn,
    RunOut,
    SiteIn,
    SiteOut,
    SitePatch,
)
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role

router = APIRouter(prefix="/api/temporary-housing", tags=["temporary housing"])

Staff = Annotated[Principal, Depends(require_roles(Role.hq, Role.welfare))]
PURPOSE = "temporary_housing"


@router.post("/sites", status_code=status.HTTP_201_CREATED, summary="A built site or leased unit")
def add_site(body: SiteIn, principal: Staff, session: DbSession, request: Request) -> SiteOut:
    site = sites.add_site(
        session=session,
        municipality_code=principal.municipality_code,
        created_by=principal.username,
        **body.model_dump(),
    )
    _audit_site(session, principal, request, "create", site.id, sorted(body.model_fields_set))
    return SiteOut.model_validate(site)


@router.get("/sites", summary="Sites and leased units of an event")
def list_sites(
    principal: Staff, session: DbSession, event_id: Annotated[Id, Query()]
) -> list[SiteOut]:
    found = sites.sites(
        session=session, municipality_code=principal.municipality_code, event_id=event_id
    )
    return [SiteOut.model_validate(s) for s in found]


@router.patch("/sites/{site_id}", summary="Correct a site (never below the units it houses)")
def update_site(
    site_id: Id, body: SitePatch, principal: Staff, session: DbSession, request: Request
) -> SiteOut:
    changes = body.changes()
    site = sites.update_site(
        session=session,
        municipality_code=principal.municipality_code,
        site_id=site_id,
        changes=changes,
    )
    _audit_site(session, principal, request, "update", site_id, sorted(changes))
    return SiteOut.model_validate(site)


@router.delete(
    "/sites/{site_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a site no application is (or was) placed on",
)
def delete_site(site_id: Id, principal: Staff, session: DbSession, request: Request) -> None:
    sites.delete_site(
        session=session, municipality_code=principal.municipality_code, site_id=site_id
    )
    _audit_site(session, principal, request, "delete", site_id, [])


@router.post("/applications", status_code=status.HTTP_201_CREATED, summary="Receive")
def receive(
    body: ApplicationIn, principal: Staff, session: DbSession, request: Request
) -> ApplicationOut:
    application = service.receive(
        session=session,
        municipality_code=principal.municipality_code,
        received_by=principal.username,
        **body.model_dump(),
    )
    _audit(session, principal, request, "create", [body.household_number])
    return ApplicationOut.model_validate(application)


@router.get("/applications", summary="A household's applications (audited)")
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
    _audit(session, principal, request, "read", [household_number])
    return [ApplicationOut.model_validate(a) for a in found]


@router.post("/applications/{application_id}/close", summary="Reject or withdraw (辞退)")
def close(
    application_id: Id,
    body: CloseIn,
    principal: Staff,
    session: DbSession,
    request: Request,
) -> ApplicationOut:
    application = service.close(
        session=session,
        municipality_code=principal.municipality_code,
        application_id=application_id,
        to=body.to,
        reason=body.reason,
        changed_by=principal.username,
    )
    _audit(session, principal, request, "update", [application.household_number])
    return ApplicationOut.model_validate(application)


@router.post("/applications/{application_id}/move-in", summary="Move in (starts the 2 years)")
def move_in(
    application_id: Id,
    body: MoveIn,
    principal: Staff,
    session: DbSession,
    request: Request,
) -> ApplicationOut:
    application = service.move_in(
        session=session,
        municipality_code=principal.municipality_code,
        application_id=application_id,
        on=body.on,
        changed_by=principal.username,
    )
    _audit(session, principal, request, "update", [application.household_number])
    return ApplicationOut.model_validate(application)


@router.post("/applications/{application_id}/move-out", summary="Move out")
def move_out(
    application_id: Id,
    body: MoveIn,
    principal: Staff,
    session: DbSession,
    request: Request,
) -> ApplicationOut:
    application = service.move_out(
        session=session,
        municipality_code=principal.municipality_code,
        application_id=application_id,
        on=body.on,
        changed_by=principal.username,
    )
    _audit(session, principal, request, "update", [application.household_number])
    return ApplicationOut.model_validate(application)


@router.post(
    "/allocation-runs",
    status_code=status.HTTP_201_CREATED,
    summary="Allocate the waiting households (seeded, recorded, each decision explained)",
)
def run(body: RunIn, principal: Staff, session: DbSession, request: Request) -> RunOut:
    stored, _ = runs.run_allocation(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=body.event_id,
        as_of=body.as_of or japan_time.today(),
        run_by=principal.username,
        seed=body.seed,
    )
    return _run_out(session, principal, request, stored)


@router.get("/allocation-runs/{run_id}", summary="A run's decisions and reasons (audited)")
def get_run(run_id: Id, principal: Staff, session: DbSession, request: Request) -> RunOut:
    stored = session.get(HousingAllocationRun, (principal.municipality_code, run_id))
    if stored is None:
        raise NotFoundError(f"allocation run {run_id}: not found")
    return _run_out(session, principal, request, stored)


@router.get("/tenancies/expiring", summary="Occupied units at or near the 2-year limit (audited)")
def expiring(
    principal: Staff,
    session: DbSession,
    request: Request,
    event_id: Annotated[Id, Query()],
    as_of: Annotated[date | None, Query()] = None,
    within_days: Annotated[int, Query(ge=0, le=3650)] = 90,
) -> list[ApplicationOut]:
    found = service.expiring(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        as_of=as_of or japan_time.today(),
        within_days=within_days,
    )
    numbers = sorted({a.household_number for a in found})
    _audit(session, principal, request, "read", numbers, resource="housing-tenancies/expiring")
    return [ApplicationOut.model_validate(a) for a in found]


def _run_out(
    session: Session, principal: Principal, request: Request, stored: HousingAllocationRun
) -> RunOut:
    found = runs.decisions(
        session=session, municipality_code=principal.municipality_code, run_id=stored.id
    )
    numbers = [
        service.get(
            session=session,
            municipality_code=principal.municipality_code,
            application_id=d.application_id,
        ).household_number
        for d in found
    ]
    _audit(session, principal, request, "read", numbers, resource=f"allocation-run/{stored.id}")
    return RunOut(
        id=stored.id,
        event_id=stored.event_id,
        seed=stored.seed,
        as_of=stored.as_of,
        applicants=stored.applicants,
        allocated=stored.allocated,
        lottery_pool=list(stored.lottery_pool),
        decisions=[DecisionOut.model_validate(d) for d in found],
    )


def _audit(
    session: Session,
    principal: Principal,
    request: Request,
    action: str,
    household_numbers: list[str],
    resource: str = "housing-application",
) -> None:
    audit.record(
        session=session,
        principal=principal,
        action=action,
        resource=resource,
        person_ids=household_person_ids(
            session=session,
            municipality_code=principal.municipality_code,
            household_numbers=household_numbers,
            residents_only=True,
        ),
        fields=["temporary_housing", "care_reasons"],
        purpose_code=PURPOSE,
        request=request,
    )


def _audit_site(
    session: Session,
    principal: Principal,
    request: Request,
    action: str,
    site_id: int,
    fields: list[str],
) -> None:
    """Which site and which fields changed; the values are in the row (and hold no one's data)."""
    audit.record(
        session=session,
        principal=principal,
        action=action,
        resource=f"housing-site/{site_id}",
        fields=fields,
        purpose_code=PURPOSE,
        request=request,
    )
