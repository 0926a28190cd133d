"""Events over HTTP: headquarters declare and move them; operational roles read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from shapely.geometry import shape

from sonae.api.deps import DbSession
from sonae.api.params import Id
from sonae.audit import service as audit
from sonae.errors import InvalidInputError
from sonae.event import service
from sonae.event.models import DisasterEvent
from sonae.event.phases import Workflow, allowed_next, workflow_open
from sonae.event.schemas import EventIn, EventOut, PhaseIn, TransitionOut
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role

router = APIRouter(tags=["events"])

Headquarters = Annotated[Principal, Depends(require_roles(Role.hq))]
Operational = Annotated[
    Principal,
    Depends(require_roles(Role.hq, Role.welfare, Role.shelter_staff, Role.supporter)),
]


def event_out(event: DisasterEvent, history: list[TransitionOut] | None = None) -> EventOut:
    return EventOut(
        id=event.id,
        name=event.name,
        hazard=event.hazard,
        started_at=event.started_at,
        phase=event.phase,
        scenario=event.scenario,
        affected_chome=list(event.affected_chome),
        declared_by=event.declared_by,
        declared_at=event.declared_at,
        closed_at=event.closed_at,
        next_phases=sorted(allowed_next(event.phase), key=list(type(event.phase)).index),
        workflows=EventOut.workflow_rows(
            event.phase, {w: workflow_open(w, event.phase) for w in Workflow}
        ),
        history=history or [],
        **EventOut.labels(event.hazard, event.phase),
    )


@router.post("/api/events", status_code=status.HTTP_201_CREATED, summary="Declare an event")
def declare(
    body: EventIn, principal: Headquarters, session: DbSession, request: Request
) -> EventOut:
    area = None
    if body.area is not None:
        try:
            area = shape(body.area)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidInputError("field 'area': not a GeoJSON geometry") from exc
    event = service.declare_event(
        session=session,
        municipality_code=principal.municipality_code,
        declaration=service.Declaration(
            name=body.name,
            hazard=body.hazard,
            started_at=body.started_at,
            area=area,
            chome_keys=tuple(body.chome),
            scenario=body.scenario,
        ),
        declared_by=principal.username,
    )
    audit.record(
        session=session,
        principal=principal,
        action="create",
        resource=f"event/{event.id}",
        request=request,
    )
    return _with_history(session, event)


@router.get("/api/events", summary="Events of my municipality, newest first")
def list_events(principal: Operational, session: DbSession) -> list[EventOut]:
    return [
        event_out(e)
        for e in service.list_events(session=session, municipality_code=principal.municipality_code)
    ]


@router.get("/api/events/{event_id}", summary="One event with its phase history")
def get_event(event_id: Id, principal: Operational, session: DbSession) -> EventOut:
    event = service.get_municipal_event(
        session=session, event_id=event_id, municipality_code=principal.municipality_code
    )
    return _with_history(session, event)


@router.post("/api/events/{event_id}/phase", summary="Move the event to its next phase (or close)")
def move_phase(
    event_id: Id, body: PhaseIn, principal: Headquarters, session: DbSession, request: Request
) -> EventOut:
    service.get_municipal_event(
        session=session, event_id=event_id, municipality_code=principal.municipality_code
    )
    service.move_phase(
        session=session,
        event_id=event_id,
        to_phase=body.to_phase,
        reason=body.reason,
        moved_by=principal.username,
    )
    audit.record(
        session=session,
        principal=principal,
        action="update",
        resource=f"event/{event_id}/phase",
        detail={"to_phase": body.to_phase.value},
        request=request,
    )
    event = service.get_event(session=session, event_id=event_id)
    return _with_history(session, event)


def _with_history(session: DbSession, event: DisasterEvent) -> EventOut:
    moves = service.history(session=session, event_id=event.id)
    return event_out(event, [TransitionOut.model_validate(m) for m in moves])
