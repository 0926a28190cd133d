"""The dashboard over HTTP: the page, its live figures, aggregated layers, tiles and the card.

Roles: hq, welfare, shelter_staff and supporter may open the dashboard (auditor and admin see
no operational data). Person-level answers (tiles from DETAIL_ZOOM, the household card) are for
hq and welfare only and every one of them is recorded in the audit trail.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sonae.api.deps import DbSession
from sonae.api.params import PG_BIGINT_MAX
from sonae.audit import service as audit
from sonae.dashboard import aggregates, cards, figures, live, tiles
from sonae.dashboard.page import REFRESH_SECONDS, dashboard_html
from sonae.dashboard.privacy import DASHBOARD_ROLES, PERSON_LEVEL_ROLES, sees_people
from sonae.dashboard.schemas import Figures, HouseholdCard
from sonae.errors import NotFoundError, PermissionDeniedError
from sonae.municipality import service as municipality_service
from sonae.security.deps import PageUser, require_roles
from sonae.security.roles import Principal

router = APIRouter(tags=["dashboard"])

Viewer = Annotated[Principal, Depends(require_roles(*DASHBOARD_ROLES))]
PersonViewer = Annotated[Principal, Depends(require_roles(*PERSON_LEVEL_ROLES))]
EventChoice = Annotated[
    int | None,
    Query(
        ge=1,
        le=PG_BIGINT_MAX,
        description="the event to show (default: the open event with the most affected chome)",
    ),
]
MVT = "application/vnd.mapbox-vector-tile"
TILE_LAYERS = ("support", "dwellings")


def _own_city(principal: Principal, municipality_code: str) -> None:
    """A user sees their own municipality only."""
    if principal.municipality_code != municipality_code:
        raise PermissionDeniedError("the dashboard shows your own municipality only")


@router.get("/dashboard", include_in_schema=False)
def dashboard_home(principal: PageUser) -> RedirectResponse:
    return RedirectResponse(f"/dashboard/{principal.municipality_code}", status_code=303)


@router.get("/dashboard/{municipality_code}", response_class=HTMLResponse, summary="HQ dashboard")
def dashboard_page(
    municipality_code: str,
    principal: PageUser,
    session: DbSession,
    refresh: Annotated[int, Query(ge=2, le=600, description="seconds between refreshes")] = (
        REFRESH_SECONDS
    ),
    event: EventChoice = None,
) -> HTMLResponse:
    if not principal.has(*DASHBOARD_ROLES):
        raise PermissionDeniedError(
            "the dashboard needs one of: hq, welfare, shelter_staff, supporter"
        )
    _own_city(principal, municipality_code)
    municipality_service.get(session=session, code=municipality_code)
    html = dashboard_html(
        session=session,
        principal=principal,
        municipality_code=municipality_code,
        refresh_seconds=refresh,
        event_id=event,
    )
    return HTMLResponse(html)


@router.get("/api/dashboard/{municipality_code}/figures", summary="Live figures of the panel")
def live_figures(
    municipality_code: str, principal: Viewer, session: DbSession, event: EventChoice = None
) -> Figures:
    _own_city(principal, municipality_code)
    return figures.figures(session=session, municipality_code=municipality_code, event_id=event)


@router.get(
    "/api/dashboard/{municipality_code}/layers",
    summary="Thematic layers of the map as rows (counts suppressed by role), refreshed by the page",
)
def thematic_rows(
    municipality_code: str, principal: Viewer, session: DbSession, event: EventChoice = None
) -> dict[str, Any]:
    _own_city(principal, municipality_code)
    return live.live_layers(
        session=session,
        municipality_code=municipality_code,
        people_visible=sees_people(principal),
        event_id=event,
    )


@router.get(
    "/api/dashboard/{municipality_code}/support-counts",
    summary="Support-list counts per chome or 250 m mesh (small counts suppressed by role)",
)
def support_counts(
    municipality_code: str,
    principal: Viewer,
    session: DbSession,
    by: Annotated[str, Query(pattern="^(chome|mesh)$")] = "chome",
) -> dict[str, Any]:
    _own_city(principal, municipality_code)
    people = aggregates.support_people(session=session, municipality_code=municipality_code)
    if people is None:
        return {"type": "FeatureCollection", "features": [], "available": False}
    if by == "mesh":
        counts = aggregates.counts_by_mesh(session=session, people=people)
    else:
        counts = aggregates.counts_by_chome(
            session=session, municipality_code=municipality_code, people=people
        )
    rows = aggregates.shown(counts, people_visible=sees_people(principal))
    features = [
        {
            "type": "Feature",
            "id": row["key"],
            "properties": row,
            "geometry": aggregates.mesh_polygon(row["key"]) if by == "mesh" else None,
        }
        for row in rows
    ]
    return {"type": "FeatureCollection", "features": features, "available": True}


@router.get(
    "/api/tiles/{municipality_code}/{layer}/{z}/{x}/{y}.pbf",
    summary="Person-level vector tile (hq and welfare; audited)",
    response_class=Response,
)
def vector_tile(
    request: Request,
    municipality_code: str,
    layer: str,
    z: int,
    x: int,
    y: int,
    principal: PersonViewer,
    session: DbSession,
    level: Annotated[list[str] | None, Query(max_length=10)] = None,
    certificate: Annotated[str | None, Query(max_length=40)] = None,
    support: Annotated[str | None, Query(max_length=40)] = None,
    chome: Annotated[str | None, Query(max_length=20)] = None,
    event: EventChoice = None,
) -> Response:
    _own_city(principal, municipality_code)
    if layer not in TILE_LAYERS or not tiles.tile_in_range(z, x, y):
        raise NotFoundError(f"no tile {layer}/{z}/{x}/{y}")
    filters = cards.DwellingFilter(level, certificate, support, chome)
    tile = cards.layer_tile(
        session=session,
        municipality_code=municipality_code,
        layer=layer,
        z=z,
        x=x,
        y=y,
        filters=filters,
        event_id=event,
    )
    if tile.ids:
        audit.record(
            session=session,
            principal=principal,
            action="read",
            resource=f"dashboard.tile.{layer}",
            person_ids=tile.ids if layer == "support" else (),
            fields=["location"],
            request=request,
            detail={"tile": f"{z}/{x}/{y}", "features": len(tile.ids)}
            | ({"dwelling_ids": tile.ids} if layer == "dwellings" else {}),
        )
    return Response(tile.data, media_type=MVT)


@router.get(
    "/api/dashboard/{municipality_code}/dwelling-options",
    summary="Values the victim-map filters offer",
)
def dwelling_options(
    municipality_code: str, principal: PersonViewer, session: DbSession, event: EventChoice = None
) -> dict[str, Any]:
    _own_city(principal, municipality_code)
    return cards.dwelling_options(
        session=session, municipality_code=municipality_code, event_id=event
    )


@router.get(
    "/api/dashboard/{municipality_code}/households/{household_number}",
    summary="A household's card on the victim map (hq and welfare; audited)",
)
def household_card(
    request: Request,
    municipality_code: str,
    household_number: Annotated[str, Path(max_length=15)],
    principal: PersonViewer,
    session: DbSession,
    event: EventChoice = None,
) -> HouseholdCard:
    _own_city(principal, municipality_code)
    card = cards.household_card(
        session=session,
        municipality_code=municipality_code,
        household_number=household_number,
        event_id=event,
    )
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource="dashboard.household_card",
        person_ids=[m.person_id for m in card.members],
        fields=["name", "age", "relation_to_head", "address", "damage", "support"],
        request=request,
    )
    return card
