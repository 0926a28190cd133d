"""The FastAPI application."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from sonae import __version__
from sonae.api.errors import install_error_handlers
from sonae.api.health import router as health_router
from sonae.config import get_settings
from sonae.database.core import session_factory
from sonae.features.router import router as features_router
from sonae.logging import configure_logging, get_logger
from sonae.municipality.router import router as municipality_router
from sonae.web.router import router as web_router
from sonae_maps import assets_installed, vendor_dir

log = get_logger(__name__)


def create_app(*, sessions: sessionmaker[Session] | None = None) -> FastAPI:
    settings = get_settings()
    configure_logging(level=settings.log_level, json=settings.log_json)
    app = FastAPI(
        title="Sonae (備え)",
        version=__version__,
        description="Disaster-response system for Japanese municipalities",
    )
    app.state.session_factory = sessions or session_factory()
    install_error_handlers(app)
    for router in (health_router, municipality_router, features_router, web_router):
        app.include_router(router)
    if assets_installed():
        app.mount("/static/vendor/leaflet", StaticFiles(directory=vendor_dir()), name="leaflet")
    else:
        log.warning("map assets missing: run `make install` (npm fetches Leaflet)")
    return app
