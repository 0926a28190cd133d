"""The idempotent request cycle of the intake: check the key, parse the body, claim or replay,
and store the answer with the work.

Bodies are parsed here rather than by FastAPI so that the key is checked, and a personal number
refused, before anything else; a body that does not parse is refused like any other
(RequestValidationError, answered without the input by api.errors). NUL is refused app-wide
before this (api.nul).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from sonae.api.deps import commit_in_handler
from sonae.errors import InvalidInputError
from sonae.idempotency import service as idempotency
from sonae.security.roles import Principal
from sonae.security.twelve_digits import holds_twelve_digits


def begin(
    session: Session,
    principal: Principal,
    request: Request,
    key: str | None,
    body: dict[str, Any],
    model: type[BaseModel],
) -> tuple[idempotency.Claim, BaseModel | None]:
    """Refuse a body holding a personal number, parse it, then claim the key (or replay)."""
    checked = idempotency.check_key(key)
    if checked is None:
        raise HTTPException(
            status_code=status.HTTP_428_PRECONDITION_REQUIRED,
            detail="header 'Idempotency-Key' is required (a UUID per request, kept on retry)",
        )
    if holds_twelve_digits(body):
        raise InvalidInputError("a 12-digit number was sent: the personal number is never taken")
    try:
        parsed = model.model_validate(body)
    except ValidationError as exc:
        errors = exc.errors(include_input=False, include_url=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None
    fingerprint = idempotency.fingerprint(request.method, request.url.path, body)
    claim = idempotency.claim(
        session=session, principal=principal, key=checked, fingerprint=fingerprint
    )
    return claim, parsed


def finish(
    session: Session,
    claim: idempotency.Claim,
    code: int,
    out: BaseModel,
    audit_entry: Mapping[str, object] | None = None,
) -> Response:
    """Store the answer (with the request's audit entry, audit.service.entry, in the same
    statement) and commit: the handler's last database act."""
    body = out.model_dump(mode="json")
    idempotency.store(
        session=session, claim=claim, status_code=code, body=body, audit_entry=audit_entry
    )
    # The stored answer commits with the work, before the answer is sent, so a tablet told
    # "checked in" was checked in; committing here spares get_db a thread hop.
    commit_in_handler(session)
    return answer(code, body)


def answer(code: int, body: Any) -> Response:
    return Response(idempotency.encode(body), status_code=code, media_type="application/json")
