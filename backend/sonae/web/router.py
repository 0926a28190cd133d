"""The headquarters map page, rendered on the server, every asset served from here."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from sonae.api.deps import DbSession
from sonae.config import get_settings
from sonae.web.layers import city_layers
from sonae_maps import build_city_map

router = APIRouter(tags=["map"])


@router.get("/", include_in_schema=False)
def index() -> RedirectResponse:
    return RedirectResponse(url=f"/map/{get_settings().default_municipality}")


@router.get("/map/{municipality_code}", response_class=HTMLResponse, summary="City map")
def city_map(request: Request, municipality_code: str, session: DbSession) -> HTMLResponse:
    settings = get_settings()
    layers = city_layers(session=session, municipality_code=municipality_code)
    folium_map = build_city_map(
        layers, tiles_url=settings.base_tiles_url, tiles_attribution=settings.base_tiles_attribution
    )
    return HTMLResponse(folium_map.get_root().render())
