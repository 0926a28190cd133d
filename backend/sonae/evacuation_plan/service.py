"""Make, change, read and count individual evacuation plans. Services never commit.

A plan is made only for a person on the current list (the latest build) whose consent to the
plan (scope evacuation_plan) in force is "agreed" (49条の14). If the consent is later withdrawn,
the plan stays stored but can no longer be read, changed or printed until consent is given again.

What a plan says is checked: its route lies within ROUTE_MARGIN_M of the municipality's outline
(a route may leave the city a little, to a shelter just across the border, not go anywhere), and
a welfare shelter (福祉避難所) is a destination only for a person the list marks as needing care
(the rule the evacuation assignment follows too): refused, not warned, as no one reads a warning
in a PUT's answer. Messages name the person as the caller typed them (`subject`: the CLI's
宛名番号), never by an id the caller has not seen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from geoalchemy2.shape import from_shape
from shapely.geometry import LineString
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.database.core import STORAGE_SRID
from sonae.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from sonae.evacuation_plan.schemas import Coverage, CoverageRow, PlanIn, PlanOut
from sonae.municipality.models import Municipality
from sonae.registry.models import Person
from sonae.shelter.models import Shelter
from sonae.support import service as support_service
from sonae.support.models import (
    ConsentScope,
    ConsentStatus,
    EvacuationPlan,
    SupportListBuild,
    SupportListEntry,
)
from sonae.support_extract.consent import consent_status, latest_consents
from sonae.support_extract.extract import UNKNOWN_DISTRICT

ROUTE_MARGIN_M = 3000
"""How far outside the municipality's outline a route may go (a shelter across the border)."""


class ConsentRequiredError(ConflictError):
    """The person has not agreed (or has withdrawn) to an individual evacuation plan."""


class NotListedError(ConflictError):
    """The person is not on the current support list."""


@dataclass(frozen=True)
class PlanContext:
    person: Person
    entry: SupportListEntry
    build: SupportListBuild
    plan: EvacuationPlan | None


def current_entry(
    *, session: Session, municipality_code: str, person_id: int, subject: str | None = None
) -> tuple[SupportListBuild, SupportListEntry]:
    build = support_service.latest_build(session=session, municipality_code=municipality_code)
    if build is None:
        raise NotListedError("no support list has been built yet")
    entry = session.scalars(
        select(SupportListEntry).where(
            SupportListEntry.municipality_code == municipality_code,
            SupportListEntry.build_id == build.id,
            SupportListEntry.person_id == person_id,
        )
    ).first()
    if entry is None:
        raise NotListedError(
            f"{subject or f'person {person_id}'} is not on the current support list"
        )
    return build, entry


def require_in_district(
    *, session: Session, municipality_code: str, person_id: int, district: str | None
) -> None:
    """A supporter's check, made before anything else is looked up: the person must be on the
    current list in the supporter's district. Whether someone outside it exists, is listed or
    has consented is not the supporter's to learn, so every other case is the same refusal."""
    build = support_service.latest_build(session=session, municipality_code=municipality_code)
    entry_district = (
        None
        if build is None or district is None
        else session.scalar(
            select(SupportListEntry.district).where(
                SupportListEntry.municipality_code == municipality_code,
                SupportListEntry.build_id == build.id,
                SupportListEntry.person_id == person_id,
            )
        )
    )
    if district is None or entry_district != district:
        raise PermissionDeniedError("a supporter may only read plans of their own district")


def plan_context(
    *, session: Session, municipality_code: str, person_id: int, subject: str | None = None
) -> PlanContext:
    """The person, their current entry and plan, after the list and consent checks. subject:
    how messages name the person (default "person <id>")."""
    subject = subject or f"person {person_id}"
    person = session.get(Person, (municipality_code, person_id))
    if person is None:
        raise NotFoundError(f"{subject} does not exist in {municipality_code}")
    build, entry = current_entry(
        session=session, municipality_code=municipality_code, person_id=person_id, subject=subject
    )
    status = consent_status(
        session=session,
        municipality_code=municipality_code,
        person_id=person_id,
        scope=ConsentScope.evacuation_plan,
    )
    if status != ConsentStatus.agreed:
        raise ConsentRequiredError(
            f"{subject} has not agreed to an individual evacuation plan "
            f"(consent in force: {status}); record the consent first (49条の14)"
        )
    plan = session.scalars(
        select(EvacuationPlan).where(
            EvacuationPlan.municipality_code == municipality_code,
            EvacuationPlan.person_id == person_id,
        )
    ).first()
    return PlanContext(person, entry, build, plan)


def save_plan(
    *,
    session: Session,
    municipality_code: str,
    person_id: int,
    plan: PlanIn,
    by: str,
    subject: str | None = None,
) -> EvacuationPlan:
    """Create the plan, or replace its content (the one plan per person stays one row)."""
    context = plan_context(
        session=session, municipality_code=municipality_code, person_id=person_id, subject=subject
    )
    _check_destination(session, context, plan.destination_shelter_id)
    _check_route(session, municipality_code, plan)
    destination = plan.destination_shelter_id
    if destination is None:  # no choice made: the shelter the latest assignment placed them in
        # Imported here: the assignment service brings scipy (a second), which reading and
        # printing plans, from the CLI especially, do not need.
        from sonae.assignment import service as assignment_service

        destination = assignment_service.assigned_shelter(
            session=session, municipality_code=municipality_code, person_id=person_id
        )
    values: dict[str, Any] = {
        "supporters": [s.model_dump() for s in plan.supporters],
        "destination_shelter_id": destination,
        "route": None
        if plan.route is None
        else from_shape(LineString(plan.route.coordinates), srid=STORAGE_SRID),
        "care_notes": plan.care_notes,
        "emergency_contacts": [c.model_dump() for c in plan.emergency_contacts],
        "is_active": True,
    }
    stored = context.plan
    if stored is None:
        stored = EvacuationPlan(
            municipality_code=municipality_code, person_id=person_id, created_by=by, **values
        )
        session.add(stored)
    else:
        for key, value in values.items():
            setattr(stored, key, value)
        stored.updated_by = by
    session.flush()
    session.refresh(stored)
    return stored


def _check_destination(session: Session, context: PlanContext, shelter_id: int | None) -> None:
    if shelter_id is None:
        return
    shelter = session.get(Shelter, (context.entry.municipality_code, shelter_id))
    if shelter is None:
        raise NotFoundError(f"shelter {shelter_id} does not exist")
    if shelter.is_welfare and not context.entry.snapshot.get("needs_care"):
        raise InvalidInputError(
            f"field 'destination_shelter_id': shelter {shelter_id} is a welfare shelter "
            "(福祉避難所), for people the list marks as needing care; this person is listed "
            "for another reason"
        )


def _check_route(session: Session, municipality_code: str, plan: PlanIn) -> None:
    """Every part of the route within ROUTE_MARGIN_M of the outline (none known: not checked)."""
    if plan.route is None:
        return
    route = from_shape(LineString(plan.route.coordinates), srid=STORAGE_SRID)
    # In metres: the municipality's plane rectangular zone.
    srid = Municipality.plane_rectangular_srid
    margin = func.ST_Buffer(func.ST_Transform(Municipality.outline, srid), ROUTE_MARGIN_M)
    inside = session.scalar(
        select(func.ST_Covers(margin, func.ST_Transform(route, srid))).where(
            Municipality.code == municipality_code, Municipality.outline.is_not(None)
        )
    )
    if inside is False:
        raise InvalidInputError(
            f"field 'route': leaves the municipality (more than {ROUTE_MARGIN_M} m outside it)"
        )


def get_plan(
    *, session: Session, municipality_code: str, person_id: int, subject: str | None = None
) -> PlanContext:
    context = plan_context(
        session=session, municipality_code=municipality_code, person_id=person_id, subject=subject
    )
    if context.plan is None:
        raise NotFoundError(f"{subject or f'person {person_id}'} has no evacuation plan yet")
    return context


def plan_out(*, session: Session, context: PlanContext) -> PlanOut:
    plan = context.plan
    if plan is None:
        raise NotFoundError("no evacuation plan")
    shelter = (
        session.get(Shelter, (plan.municipality_code, plan.destination_shelter_id))
        if plan.destination_shelter_id
        else None
    )
    route = None
    if plan.route is not None:
        route = json.loads(session.scalar(select(func.ST_AsGeoJSON(plan.route, 7))) or "null")
    return PlanOut.model_validate(
        {
            "person_id": plan.person_id,
            "district": context.entry.district,
            "supporters": plan.supporters,
            "destination_shelter_id": plan.destination_shelter_id,
            "destination_shelter_name": shelter.name if shelter else None,
            "route": route,
            "care_notes": plan.care_notes,
            "emergency_contacts": plan.emergency_contacts,
            "is_active": plan.is_active,
            "created_by": plan.created_by,
            "created_at": plan.created_at,
            "updated_by": plan.updated_by,
            "updated_at": plan.updated_at,
        }
    )


def coverage(*, session: Session, municipality_code: str, build_id: int | None = None) -> Coverage:
    """Per district: people listed, of them consenting to a plan, of those with an active plan."""
    build = (
        support_service.get_build(
            session=session, municipality_code=municipality_code, build_id=build_id
        )
        if build_id is not None
        else support_service.latest_build(session=session, municipality_code=municipality_code)
    )
    if build is None:
        raise NotFoundError("no support list has been built yet")
    entries = session.execute(
        select(SupportListEntry.person_id, SupportListEntry.district).where(
            SupportListEntry.municipality_code == municipality_code,
            SupportListEntry.build_id == build.id,
        )
    ).all()
    consents = latest_consents(
        session=session, municipality_code=municipality_code, scope=ConsentScope.evacuation_plan
    )
    planned = set(
        session.scalars(
            select(EvacuationPlan.person_id).where(
                EvacuationPlan.municipality_code == municipality_code,
                EvacuationPlan.is_active.is_(True),
            )
        )
    )
    rows: dict[str, CoverageRow] = {}
    for person_id, district in entries:
        name = district or UNKNOWN_DISTRICT
        row = rows.setdefault(name, CoverageRow(district=name, listed=0, consenting=0, with_plan=0))
        row.listed += 1
        if consents.get(person_id) == ConsentStatus.agreed:
            row.consenting += 1
            row.with_plan += person_id in planned
    districts = [rows[name] for name in sorted(rows)]
    return Coverage(
        build_id=build.id, as_of=build.as_of, districts=districts, total=total_of(districts)
    )


def total_of(districts: list[CoverageRow]) -> CoverageRow:
    """The 合計 row of the districts given (a supporter's: of their own district only)."""
    return CoverageRow(
        district="合計",
        listed=sum(r.listed for r in districts),
        consenting=sum(r.consenting for r in districts),
        with_plan=sum(r.with_plan for r in districts),
    )
