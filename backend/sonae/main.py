"""The FastAPI application."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import Scope

from sonae import __version__
from sonae.api.errors import install_error_handlers
from sonae.api.health import router as health_router
from sonae.api.nul import refuse_nul_characters
from sonae.assignment.router import router as assignment_router
from sonae.audit.router import router as audit_router
from sonae.certificate.router import router as certificate_router
from sonae.config import get_settings
from sonae.damage.router import router as damage_router
from sonae.dashboard import page as dashboard_page
from sonae.dashboard import wiring as dashboard_wiring
from sonae.dashboard.page import STATIC_PREFIX as DASHBOARD_STATIC
from sonae.dashboard.router import router as dashboard_router
from sonae.database.core import session_factory
from sonae.dwelling.router import router as dwelling_router
from sonae.evacuation_plan.router import router as evacuation_plan_router
from sonae.event.router import router as event_router
from sonae.features.router import router as features_router
from sonae.housing.router import router as housing_router
from sonae.livelihood.router import router as livelihood_router
from sonae.logging import configure_logging, get_logger
from sonae.municipality.router import router as municipality_router
from sonae.registry.router import router as registry_router
from sonae.safety.router import router as safety_router
from sonae.security.deps import current_principal, page_principal
from sonae.security.middleware import (
    RequestIdMiddleware,
    SecurityHeadersMiddleware,
    tiles_origin,
)
from sonae.security.my_number_router import router as my_number_router
from sonae.security.router import openapi_router
from sonae.security.router import router as auth_router
from sonae.security.web import install_login_redirect
from sonae.security.web import router as login_router
from sonae.sheltering.router import router as sheltering_router
from sonae.support.router import router as support_router
from sonae.support_extract.router import router as support_extract_router
from sonae.victim_registry.router import router as victim_registry_router
from sonae.web.router import router as web_router
from sonae_maps import assets_installed, vendor_dir
from sonae_maps.assets import SERVED_SUFFIXES, VENDOR_PACKAGES

DASHBOARD_STATIC_DIR = Path(__file__).resolve().parent / "dashboard" / "static"

log = get_logger(__name__)


class AssetFiles(StaticFiles):
    """A vendored npm package, serving only scripts, styles and images (SERVED_SUFFIXES)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        if PurePosixPath(path).suffix.lower() not in SERVED_SUFFIXES:
            raise HTTPException(status_code=404)
        return await super().get_response(path, scope)


def served_app() -> FastAPI:
    """The app as `sonae serve` runs it: also renders the dashboard's base maps at start."""
    return create_app(warm_dashboard=True)


def create_app(
    *, sessions: sessionmaker[Session] | None = None, warm_dashboard: bool = False
) -> FastAPI:
    settings = get_settings()
    configure_logging(level=settings.log_level, json=settings.log_json)
    app = FastAPI(
        title="Sonae (備え)",
        version=__version__,
        description="Disaster-response system for Japanese municipalities",
        openapi_url=None,  # served by security.router.openapi_router, to logged-in users only
        docs_url=None,
        redoc_url=None,
        max_body_size=settings.max_body_bytes,  # larger bodies get 413
        dependencies=[Depends(refuse_nul_characters)],
    )
    app.state.session_factory = sessions or session_factory()
    install_error_handlers(app)
    install_login_redirect(app)
    dashboard_wiring.install()
    if warm_dashboard:
        factory = app.state.session_factory
        app.router.add_event_handler("startup", lambda: dashboard_page.warm_up(factory))
    # Public: /health, the login page and POST /api/auth/token. Everything else needs a login;
    # routers declare their roles with security.deps (CurrentUser, require_roles).
    logged_in = [Depends(current_principal)]
    # FastAPI tries the routers in the order included, each route's pattern in turn: the
    # intake's check-ins (tablets at every open shelter) are the busiest route, so sheltering
    # comes first. No other router's paths overlap its /api/events/{id}/shelters… and
    # /api/events/{id}/people/{id}/whereabouts, so the order changes no answer.
    app.include_router(sheltering_router)
    for router in (health_router, login_router, auth_router, openapi_router, audit_router):
        app.include_router(router)
    app.include_router(my_number_router)
    # Each declares its roles per route (security.deps.require_roles).
    for router in (
        support_router,
        support_extract_router,
        evacuation_plan_router,
        registry_router,
        event_router,
        safety_router,
        livelihood_router,
        housing_router,
        victim_registry_router,
        dwelling_router,
        damage_router,
        certificate_router,
        assignment_router,
        dashboard_router,
    ):
        app.include_router(router)
    app.include_router(municipality_router, dependencies=logged_in)
    app.include_router(features_router, dependencies=logged_in)
    app.include_router(web_router, dependencies=[Depends(page_principal)])
    if assets_installed():
        for name in VENDOR_PACKAGES:
            if vendor_dir(name).is_dir():
                app.mount(
                    f"/static/vendor/{name}", AssetFiles(directory=vendor_dir(name)), name=name
                )
    else:
        log.warning("map assets missing: run `make install` (npm fetches Leaflet)")
    app.mount(DASHBOARD_STATIC, StaticFiles(directory=DASHBOARD_STATIC_DIR), name="dashboard")
    # Added innermost first: request id (outermost), security headers, CORS.
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID", "Idempotency-Key"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(
        SecurityHeadersMiddleware,
        img_sources=tiles_origin(settings.base_tiles_url),
        map_prefix=("/map/", "/dashboard/"),
    )
    app.add_middleware(RequestIdMiddleware)
    return app
