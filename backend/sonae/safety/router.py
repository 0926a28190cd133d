"""Safety confirmation over HTTP: reports, a person's status, tasks and progress by district.

Supporters (民生委員, 自主防災組織) work their own district only; headquarters and welfare see
all. Every response that names a person is audited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from sonae.api.deps import DbSession
from sonae.api.params import Id, Offset
from sonae.audit import service as audit
from sonae.errors import PermissionDeniedError
from sonae.event import service as event_service
from sonae.event.models import DisasterEvent
from sonae.safety import service, tasks
from sonae.safety.models import SAFETY_STATUS_LABELS, SafetyStatus, Whereabouts
from sonae.safety.progress import district_progress, event_figures
from sonae.safety.schemas import (
    AssignIn,
    AssignOut,
    DistrictProgressOut,
    PersonSafetyOut,
    ProgressOut,
    ReportIn,
    ReportOut,
    TaskOut,
)
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role

router = APIRouter(tags=["safety confirmation"])

Confirmer = Annotated[Principal, Depends(require_roles(Role.hq, Role.welfare, Role.supporter))]
Coordinator = Annotated[Principal, Depends(require_roles(Role.hq, Role.welfare))]
PURPOSE = "safety_confirmation"


def _event(session: DbSession, principal: Principal, event_id: int) -> DisasterEvent:
    return event_service.get_municipal_event(
        session=session, event_id=event_id, municipality_code=principal.municipality_code
    )


def _scope(principal: Principal, district: str | None) -> str | None:
    """A supporter sees only their own district, whatever they ask for."""
    if principal.has(Role.hq, Role.welfare):
        return district
    if principal.district is None or district not in (None, principal.district):
        raise PermissionDeniedError("a supporter sees only their own district")
    return principal.district


def _check_person(session: DbSession, principal: Principal, event: DisasterEvent, pid: int) -> None:
    if principal.has(Role.hq, Role.welfare):
        return
    district = tasks.task_district(session=session, event=event, person_id=pid)
    if district is None or district != principal.district:
        raise PermissionDeniedError("this person is not in your district's safety tasks")


@router.post(
    "/api/events/{event_id}/safety/reports",
    status_code=status.HTTP_201_CREATED,
    summary="Record what was learnt of a person's safety (also people outside shelters)",
)
def report(
    event_id: Id, body: ReportIn, principal: Confirmer, session: DbSession, request: Request
) -> ReportOut:
    event = _event(session, principal, event_id)
    _check_person(session, principal, event, body.person_id)
    stored = service.record_report(
        session=session,
        event=event,
        observation=service.Observation(
            status=body.status,
            whereabouts=body.whereabouts,
            source=body.source,
            observed_at=body.observed_at,
            shelter_id=body.shelter_id,
            place_note=body.place_note,
            contact=body.contact,
            lon_lat=None if body.location is None else (body.location.lon, body.location.lat),
            note=body.note,
        ),
        recorded_by=principal.username,
        person_id=body.person_id,
    )
    audit.record(
        session=session,
        principal=principal,
        action="create",
        resource=f"event/{event_id}/safety/{body.person_id}",
        person_ids=[body.person_id],
        fields=["safety_status"],
        purpose_code=PURPOSE,
        request=request,
    )
    return ReportOut.of(stored)


@router.get("/api/events/{event_id}/safety/people/{person_id}", summary="A person's safety")
def person_safety(
    event_id: Id, person_id: Id, principal: Confirmer, session: DbSession, request: Request
) -> PersonSafetyOut:
    event = _event(session, principal, event_id)
    _check_person(session, principal, event, person_id)
    current = service.current_of(session=session, event=event, person_id=person_id)
    history = service.reports_of(session=session, event=event, person_id=person_id)
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource=f"event/{event_id}/safety/{person_id}",
        person_ids=[person_id],
        fields=["safety_status", "whereabouts", "contact"],
        purpose_code=PURPOSE,
        request=request,
    )
    now = current.status if current else SafetyStatus.unknown
    return PersonSafetyOut(
        person_id=person_id,
        status=now,
        status_label=SAFETY_STATUS_LABELS[now],
        whereabouts=current.whereabouts if current else Whereabouts.unknown,
        history=[ReportOut.of(r) for r in history],
    )


@router.get("/api/events/{event_id}/safety/progress", summary="Progress per district (counts, %)")
def progress(
    event_id: Id,
    principal: Confirmer,
    session: DbSession,
    district: Annotated[str | None, Query(max_length=100)] = None,
) -> ProgressOut:
    event = _event(session, principal, event_id)
    rows = district_progress(session=session, event=event, district=_scope(principal, district))
    figures = event_figures(session=session, event=event)
    return ProgressOut(
        event_id=event.id,
        districts=[
            DistrictProgressOut(
                district=r.district,
                tasks=r.tasks,
                confirmed=r.confirmed,
                percent=r.percent,
                listed=r.listed,
                listed_confirmed=r.listed_confirmed,
                listed_percent=r.listed_percent,
                by_status=dict(r.by_status),
                assigned_to=sorted(r.assigned_to),
            )
            for r in rows
        ],
        by_status=figures.by_status if principal.has(Role.hq, Role.welfare) else {},
        by_whereabouts=figures.by_whereabouts if principal.has(Role.hq, Role.welfare) else {},
        unregistered=figures.unregistered if principal.has(Role.hq, Role.welfare) else 0,
    )


@router.get("/api/events/{event_id}/safety/tasks", summary="Whom to confirm, listed people first")
def list_tasks(
    event_id: Id,
    principal: Confirmer,
    session: DbSession,
    request: Request,
    district: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[Offset, Query()] = 0,
) -> list[TaskOut]:
    event = _event(session, principal, event_id)
    rows = tasks.list_tasks(
        session=session,
        event=event,
        district=_scope(principal, district),
        limit=limit,
        offset=offset,
    )
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource=f"event/{event_id}/safety/tasks",
        person_ids=[r.person_id for r in rows],
        fields=["name", "name_kana", "address", "safety_status"],
        purpose_code=PURPOSE,
        request=request,
    )
    return [
        TaskOut(
            person_id=r.person_id,
            district=r.district,
            priority=r.priority,
            assigned_to=r.assigned_to,
            name=r.name,
            name_kana=r.name_kana,
            address=r.address,
            status=r.status,
            status_label=SAFETY_STATUS_LABELS[r.status],
        )
        for r in rows
    ]


@router.post("/api/events/{event_id}/safety/tasks/assign", summary="Hand a district to a supporter")
def assign(
    event_id: Id, body: AssignIn, principal: Coordinator, session: DbSession, request: Request
) -> AssignOut:
    event = _event(session, principal, event_id)
    count = tasks.assign_district(
        session=session, event=event, district=body.district, assigned_to=body.assigned_to
    )
    audit.record(
        session=session,
        principal=principal,
        action="update",
        resource=f"event/{event_id}/safety/tasks",
        detail={"district": body.district, "tasks": count},
        request=request,
    )
    return AssignOut(district=body.district, assigned_to=body.assigned_to, tasks=count)
