"""Domain errors become HTTP responses here, and only here (see sonae.errors)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from sonae.errors import SonaeError, http_status_for
from sonae.logging import get_logger

log = get_logger(__name__)


async def sonae_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SonaeError)
    status = http_status_for(exc)
    log.info("request refused", path=request.url.path, status=status, error=type(exc).__name__)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(status_code=status, content={"detail": str(exc)}, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SonaeError, sonae_error_handler)
