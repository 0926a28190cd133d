"""Dwellings over HTTP (hq): one dwelling and the households linked to it (audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from geoalchemy2.shape import to_shape
from shapely.geometry import Point
from sqlalchemy import select

from sonae.api.deps import DbSession
from sonae.api.params import Id
from sonae.audit import service as audit
from sonae.damage.service import get_dwelling
from sonae.dwelling.models import DwellingHousehold
from sonae.dwelling.schemas import DwellingOut
from sonae.dwelling.service import household_person_ids
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role

router = APIRouter(tags=["dwellings (住家)"])

Hq = Annotated[Principal, Depends(require_roles(Role.hq))]


@router.get("/api/dwellings/{dwelling_id}", summary="A dwelling and its households (audited)")
def read(dwelling_id: Id, principal: Hq, session: DbSession, request: Request) -> DwellingOut:
    code = principal.municipality_code
    dwelling = get_dwelling(session=session, municipality_code=code, dwelling_id=dwelling_id)
    households = list(
        session.scalars(
            select(DwellingHousehold.household_number)
            .where(
                DwellingHousehold.municipality_code == code,
                DwellingHousehold.dwelling_id == dwelling_id,
            )
            .order_by(DwellingHousehold.household_number)
        )
    )
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource=f"dwelling/{dwelling_id}",
        person_ids=household_person_ids(
            session=session, municipality_code=code, household_numbers=households
        ),
        fields=["dwelling"],
        purpose_code="damage_survey",
        request=request,
    )
    point = to_shape(dwelling.location) if dwelling.location is not None else None
    assert point is None or isinstance(point, Point)
    return DwellingOut(
        id=dwelling.id,
        source=dwelling.source,
        source_ref=dwelling.source_ref,
        structure=dwelling.structure,
        storeys=dwelling.storeys,
        chome_key_code=dwelling.chome_key_code,
        location_precision=dwelling.location_precision,
        lon=point.x if point is not None else None,
        lat=point.y if point is not None else None,
        household_numbers=households,
    )
