"""Domain errors become HTTP responses here, and only here (see sonae.errors).

Refused request data (FastAPI's RequestValidationError) is answered here too, for every route:
where (loc), what kind (type) and why (msg), never the value that was sent. FastAPI's default
echoes it as `input`, and bodies hold names, addresses, birth dates and personal numbers.

So is a database error that got past the schemas and services (a bug: they should have refused
the input): its message holds the statement's parameters or the failing row (PostgreSQL's
"Failing row contains (…)"), so neither the answer nor the log carries it, only the kind of
error, the SQLSTATE and the constraint or table named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic_core import PydanticKnownError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from sonae.errors import SonaeError, http_status_for
from sonae.logging import get_logger

log = get_logger(__name__)

# Context that comes from the schema (bounds, patterns, allowed values), never from the input.
SCHEMA_CONTEXT = frozenset(
    {
        "gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern",
        "expected", "expected_tags", "discriminator", "field_type", "max_digits",
        "decimal_places", "whole_digits", "expected_schemes", "tz_expected", "expected_version",
    }
)  # fmt: skip
# Error types whose standard message quotes part of the input (the tag, a character).
QUOTING_INPUT = {"union_tag_invalid": ("tag",), "uuid_parsing": ("error",)}
# A location part is shown when it looks like a field name; dictionary keys that were sent
# (free text) are not.
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,63}")
HIDDEN_KEY = "<key>"
# unique_violation, exclusion_violation: another request stored the same thing first.
CONFLICTS = frozenset({"23505", "23P01"})


async def sonae_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SonaeError)
    status = http_status_for(exc)
    log.info("request refused", path=request.url.path, status=status, error=type(exc).__name__)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(status_code=status, content={"detail": str(exc)}, headers=headers)


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail = safe_errors(exc.errors())
    log.info(
        "request refused", path=request.url.path, status=422, error="RequestValidationError",
        fields=[".".join(str(part) for part in e["loc"]) for e in detail[:10]],
    )  # fmt: skip
    return JSONResponse(status_code=422, content={"detail": detail})


async def database_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    status, detail = _database_answer(exc)
    diag = getattr(exc.orig, "diag", None)
    log.error(
        "database error",
        path=request.url.path,
        status=status,
        error=type(exc).__name__,
        dbapi_error=type(exc.orig).__name__,
        sqlstate=getattr(exc.orig, "sqlstate", None),
        constraint=getattr(diag, "constraint_name", None),
        table=getattr(diag, "table_name", None),
    )
    return JSONResponse(status_code=status, content={"detail": detail})


def _database_answer(exc: DBAPIError) -> tuple[int, str]:
    """A value the column cannot hold is the input's fault (422); a duplicate is a conflict
    (409, two requests racing); anything else, a broken check or a failed audit write included,
    is the server's (500)."""
    if isinstance(exc, DataError):
        return 422, "a value does not fit the database (out of range or too long)"
    if isinstance(exc, IntegrityError) and getattr(exc.orig, "sqlstate", None) in CONFLICTS:
        return 409, "the change conflicts with data already stored"
    return 500, "database error (the server log has the details, without the data sent)"


def safe_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """loc, type, msg and the schema's own context of each error; the input is left out."""
    safe = []
    for error in errors:
        context = error.get("ctx") or {}
        shown: dict[str, Any] = {
            "loc": safe_loc(error.get("loc", ())),
            "type": error["type"],
            "msg": safe_message(error["type"], str(error.get("msg", "")), context),
        }
        kept = {k: v for k, v in context.items() if k in SCHEMA_CONTEXT}
        if kept:
            shown["ctx"] = jsonable_encoder(kept)
        safe.append(shown)
    return safe


def safe_loc(loc: Sequence[Any]) -> list[str | int]:
    return [
        part if isinstance(part, int) or FIELD_NAME.fullmatch(str(part)) else HIDDEN_KEY
        for part in loc
    ]


def safe_message(kind: str, message: str, context: Mapping[str, Any]) -> str:
    quoted = QUOTING_INPUT.get(kind)
    if quoted is None:
        return message
    masked = {k: ("…" if k in quoted else v) for k, v in context.items()}
    try:
        return PydanticKnownError(kind, masked).message()  # type: ignore[arg-type]
    except (KeyError, TypeError):
        return "invalid value"


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SonaeError, sonae_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(DBAPIError, database_error_handler)
