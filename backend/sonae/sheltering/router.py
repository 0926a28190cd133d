"""Shelters in an event over HTTP: openings, the intake API for tablets, occupancy, whereabouts.

Roles: hq everywhere; shelter_staff at the shelters in their Principal.shelter_ids; welfare
reads the shelter list and a person's whereabouts. Check-ins and check-outs need an
Idempotency-Key header: tablets queue while offline and resend, and a resend gets the first
answer (sheltering.idempotent).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Request, Response, status
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, defer

from sonae.api.deps import DbSession
from sonae.api.params import Id
from sonae.audit import service as audit
from sonae.errors import NotFoundError, PermissionDeniedError, SonaeError
from sonae.event.models import DisasterEvent
from sonae.idempotency import service as idempotency
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role
from sonae.sheltering import idempotent, identify, intake, openings, stays
from sonae.sheltering.models import CAPACITY_BASIS_LABELS
from sonae.sheltering.needs import Needs
from sonae.sheltering.schemas import (
    AmbiguousOut,
    CandidateOut,
    CheckinIn,
    CheckinOut,
    CheckoutIn,
    CheckoutOut,
    CloseIn,
    NeedsOut,
    OccupancyOut,
    OpenIn,
    OpeningOut,
    PresentOut,
    ReportOut,
    ShelterOut,
    StayHistoryOut,
    StayOut,
    WhereaboutsOut,
)

router = APIRouter(prefix="/api/events/{event_id}", tags=["sheltering"])

Desk = Annotated[Principal, Depends(require_roles(Role.hq, Role.shelter_staff))]
Reader = Annotated[Principal, Depends(require_roles(Role.hq, Role.shelter_staff, Role.welfare))]
Tracer = Annotated[Principal, Depends(require_roles(Role.hq, Role.welfare))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]
JsonBody = Annotated[dict[str, Any], Body()]
PRESENT_FIELDS = ("name", "checked_in_at", "needs", "language_support")
WHEREABOUTS_FIELDS = ("shelter_stays", "safety_status", "whereabouts")


@router.get("/shelters", summary="Open shelters with occupancy, capacity and needs")
def list_shelters(event_id: Id, principal: Reader, session: DbSession) -> list[ShelterOut]:
    event = _event(session, principal, event_id)
    only = None if principal.has(Role.hq, Role.welfare) else principal.shelter_ids
    return [
        ShelterOut(
            shelter_id=s.shelter.id,
            name=s.shelter.name,
            opened_at=s.opening.opened_at,
            opened_by=s.opening.opened_by,
            floor_area_m2=_float(s.opening.floor_area_m2),
            capacity=s.opening.capacity,
            capacity_basis=s.opening.capacity_basis,
            capacity_basis_label=CAPACITY_BASIS_LABELS[s.opening.capacity_basis],
            occupancy=s.occupancy,
            needs=_needs(s.needs),
        )
        for s in openings.shelter_states(session=session, event=event, shelter_ids=only)
    ]


@router.post(
    "/shelters/{shelter_id}/open",
    status_code=status.HTTP_201_CREATED,
    summary="Open a shelter in the event",
)
def open_shelter(
    event_id: Id, shelter_id: Id, body: OpenIn, principal: Desk, session: DbSession
) -> OpeningOut:
    event = _event(session, principal, event_id)
    _require_desk(principal, shelter_id)
    opening = openings.open_shelter(
        session=session,
        event=event,
        shelter_id=shelter_id,
        opened_by=principal.username,
        opened_at=body.opened_at,
        floor_area_m2=body.floor_area_m2,
    )
    out = _opening(opening)
    return out


@router.post("/shelters/{shelter_id}/close", summary="Close an empty shelter")
def close_shelter(
    event_id: Id, shelter_id: Id, body: CloseIn, principal: Desk, session: DbSession
) -> OpeningOut:
    event = _event(session, principal, event_id)
    _require_desk(principal, shelter_id)
    opening = openings.close_shelter(
        session=session,
        event=event,
        shelter_id=shelter_id,
        closed_by=principal.username,
        closed_at=body.closed_at,
    )
    out = _opening(opening)
    return out


@router.post(
    "/shelters/{shelter_id}/checkins",
    status_code=status.HTTP_201_CREATED,
    summary="Check people in (Idempotency-Key required; one household at a time, all or none)",
    responses={409: {"model": AmbiguousOut}, 428: {"description": "Idempotency-Key missing"}},
)
def checkins(
    event_id: Id,
    shelter_id: Id,
    body: JsonBody,
    principal: Desk,
    request: Request,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    claim, parsed = idempotent.begin(session, principal, request, idempotency_key, body, CheckinIn)
    if claim.replay is not None:
        return idempotent.answer(claim.replay.status_code, claim.replay.body)
    assert isinstance(parsed, CheckinIn)
    try:
        # The event, the opening and the clock in one round trip (the same checks, in order).
        found = openings.event_and_opening(
            session=session, municipality_code=principal.municipality_code, event_id=event_id,
            shelter_id=shelter_id,
        )  # fmt: skip
        if found is None:
            raise NotFoundError(f"event {event_id} not found")
        event, opened = found
        _require_desk(principal, shelter_id)
        result = intake.check_in(
            session=session, event=event, shelter_id=shelter_id, request=parsed,
            by=principal.username, opened=opened,
        )  # fmt: skip
    except identify.HouseholdAmbiguous as exc:
        return _ambiguous(session, principal, request, claim, exc)
    except SonaeError:
        idempotency.release(session=session, claim=claim)
        raise
    out = CheckinOut(
        event_id=event.id,
        shelter_id=shelter_id,
        occupancy=result.occupancy,
        capacity=result.capacity,
        stays=[
            StayOut(
                stay_id=o.stay.id,
                person_id=o.stay.person_id,
                evacuee_id=o.stay.evacuee_id,
                outcome=o.outcome,
                identified_by=o.stay.identified_by,
                checked_in_at=o.stay.checked_in_at,
                transferred_from_shelter_id=o.transferred_from_shelter_id,
            )
            for o in result.outcomes
        ],
    )
    entry = audit.entry(
        principal=principal,
        action="create",
        resource="sheltering.checkin",
        person_ids=[s.person_id for s in out.stays if s.person_id is not None],
        request=request,
        detail={
            "event_id": event.id,
            "shelter_id": shelter_id,
            "stays": len(out.stays),
            "transferred": sum(s.outcome == "transferred" for s in out.stays),
        },
    )
    return idempotent.finish(session, claim, status.HTTP_201_CREATED, out, audit_entry=entry)


@router.post(
    "/shelters/{shelter_id}/checkouts",
    summary="Check people out (Idempotency-Key required; all or none)",
    response_model=CheckoutOut,
)
def checkouts(
    event_id: Id,
    shelter_id: Id,
    body: JsonBody,
    principal: Desk,
    request: Request,
    session: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    claim, parsed = idempotent.begin(session, principal, request, idempotency_key, body, CheckoutIn)
    if claim.replay is not None:
        return idempotent.answer(claim.replay.status_code, claim.replay.body)
    assert isinstance(parsed, CheckoutIn)
    try:
        event = _event(session, principal, event_id)
        _require_desk(principal, shelter_id)
        closed = stays.check_out(
            session=session,
            event=event,
            shelter_id=shelter_id,
            stay_ids=parsed.stay_ids,
            by=principal.username,
            at=parsed.checked_out_at,
            departure=stays.Departure(parsed.going_to, parsed.place_note, parsed.contact),
        )
    except SonaeError:
        idempotency.release(session=session, claim=claim)
        raise
    occupancy = openings.occupancy_of(session=session, event=event, shelter_id=shelter_id)
    out = CheckoutOut(
        event_id=event.id, shelter_id=shelter_id, checked_out=list(closed), occupancy=occupancy
    )
    # Each check-out writes a safety report (where they went, place, contact): audited as the
    # check-in is, with the people's ids.
    entry = audit.entry(
        principal=principal,
        action="create",
        resource="sheltering.checkout",
        person_ids=[p for p in closed.values() if p is not None],
        request=request,
        detail={"event_id": event.id, "shelter_id": shelter_id, "stays": len(closed)},
    )
    return idempotent.finish(session, claim, status.HTTP_200_OK, out, audit_entry=entry)


@router.get("/shelters/{shelter_id}/occupancy", summary="Who is in the shelter now (audited)")
def occupancy(
    event_id: Id, shelter_id: Id, principal: Desk, request: Request, session: DbSession
) -> OccupancyOut:
    event = _event(session, principal, event_id)
    _require_desk(principal, shelter_id)
    opening = openings.require_open(session=session, event=event, shelter_id=shelter_id)
    people = stays.present(session=session, event=event, shelter_id=shelter_id)
    state = openings.shelter_states(
        session=session, event=event, shelter_ids=frozenset({shelter_id})
    )[0]
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource="sheltering.occupancy",
        person_ids=[p.stay.person_id for p in people if p.stay.person_id is not None],
        fields=PRESENT_FIELDS,
        request=request,
        detail={"event_id": event.id, "shelter_id": shelter_id, "present": len(people)},
    )
    return OccupancyOut(
        event_id=event.id,
        shelter_id=shelter_id,
        occupancy=len(people),
        capacity=opening.capacity,
        needs=_needs(state.needs),
        present=[
            PresentOut(
                stay_id=p.stay.id,
                person_id=p.stay.person_id,
                evacuee_id=p.stay.evacuee_id,
                name=p.name,
                identified_by=p.stay.identified_by,
                checked_in_at=p.stay.checked_in_at,
                needs_care=p.stay.needs_care,
                needs_medical=p.stay.needs_medical,
                allergy=p.stay.allergy,
                with_pets=p.stay.with_pets,
                language_support=p.stay.language_support,
            )
            for p in people
        ],
    )


@router.get("/people/{person_id}/whereabouts", summary="Where a person is, with history (audited)")
def whereabouts(
    event_id: Id, person_id: Id, principal: Tracer, request: Request, session: DbSession
) -> WhereaboutsOut:
    event = _event(session, principal, event_id)
    found = stays.whereabouts(session=session, event=event, person_id=person_id)
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource="sheltering.whereabouts",
        person_ids=[person_id],
        fields=WHEREABOUTS_FIELDS,
        request=request,
        detail={"event_id": event.id},
    )
    current = found.current
    return WhereaboutsOut(
        event_id=event.id,
        person_id=person_id,
        current_shelter_id=found.open_stay.shelter_id if found.open_stay else None,
        status=current.status if current else "unknown",
        whereabouts=current.whereabouts if current else "unknown",
        stays=[
            StayHistoryOut(
                stay_id=s.id,
                shelter_id=s.shelter_id,
                checked_in_at=s.checked_in_at,
                checked_out_at=s.checked_out_at,
                ended_by=s.ended_by,
            )
            for s in found.stays
        ],
        reports=[
            ReportOut(
                status=r.status,
                whereabouts=r.whereabouts,
                shelter_id=r.shelter_id,
                source=r.source,
                observed_at=r.observed_at,
            )
            for r in found.reports
        ],
    )


# Built once: every intake request reads its event.
_EVENT = (
    select(DisasterEvent)
    .where(
        DisasterEvent.municipality_code == bindparam("v_code"),
        DisasterEvent.id == bindparam("v_event_id"),
    )
    .options(defer(DisasterEvent.affected_area))
)


def _event(session: Session, principal: Principal, event_id: int) -> DisasterEvent:
    """The event of the caller's municipality, without its affected area: a real event's area
    is the union of many chome polygons, and no route here needs it."""
    where = {"v_code": principal.municipality_code, "v_event_id": event_id}
    event = session.scalars(_EVENT, where).first()
    if event is None:
        raise NotFoundError(f"event {event_id} not found")
    return event


def _require_desk(principal: Principal, shelter_id: int) -> None:
    if principal.has(Role.hq):
        return
    if shelter_id not in principal.shelter_ids:
        raise PermissionDeniedError(f"shelter staff act only at their own shelters ({shelter_id})")


def _ambiguous(
    session: Session,
    principal: Principal,
    request: Request,
    claim: idempotency.Claim,
    exc: identify.HouseholdAmbiguous,
) -> Response:
    out = AmbiguousOut(
        detail="several residents match: choose one (send its person_id with the same facts)",
        people={
            index: [CandidateOut(**c.__dict__) for c in found]
            for index, found in exc.candidates.items()
        },
    )
    entry = audit.entry(
        principal=principal,
        action="read",
        resource="sheltering.checkin.candidates",
        person_ids=[c.person_id for found in exc.candidates.values() for c in found],
        fields=("name_hint", "kana_hint", "town", "sex"),
        request=request,
    )
    return idempotent.finish(session, claim, status.HTTP_409_CONFLICT, out, audit_entry=entry)


def _needs(needs: Needs) -> NeedsOut:
    return NeedsOut(**needs.__dict__)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _opening(opening: Any) -> OpeningOut:
    out = OpeningOut.model_validate(opening)
    out.floor_area_m2 = _float(opening.floor_area_m2)
    return out
