from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from sonae.api.deps import DbSession
from sonae.logging import get_logger

router = APIRouter(tags=["health"])
log = get_logger(__name__)


@router.get("/health", summary="Liveness and database check")
def health(session: DbSession) -> JSONResponse:
    try:
        postgis = session.scalar(text("SELECT postgis_lib_version()"))
    except SQLAlchemyError as exc:
        log.error("health check failed", error=type(exc).__name__)
        return JSONResponse(
            status_code=503, content={"status": "unavailable", "database": "unreachable"}
        )
    return JSONResponse(content={"status": "ok", "database": "ok", "postgis": postgis})
