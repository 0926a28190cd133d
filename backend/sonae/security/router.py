"""Login, logout and who-am-I: POST /api/auth/token (OAuth2 password form), /logout, /me."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import OAuth2PasswordRequestForm

from sonae.api.deps import DbSession
from sonae.audit import service as audit
from sonae.config import get_settings
from sonae.errors import AuthenticationError, SonaeError, TooManyAttemptsError, http_status_for
from sonae.security import auth
from sonae.security.deps import SESSION_COOKIE, CurrentUser, oauth2_scheme, request_token
from sonae.security.schemas import PrincipalRead, TokenResponse

router = APIRouter(prefix="/api/auth", tags=["auth"])


def refusal(exc: SonaeError) -> JSONResponse:
    """A refused login as a response, not an exception, so the request still commits its
    login_failed audit entry (which the lockout counts)."""
    status = http_status_for(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if status == 429:
        headers["Retry-After"] = str(int(auth.LOCKOUT.total_seconds()))
    return JSONResponse(status_code=status, content={"detail": str(exc)}, headers=headers)


@router.post(
    "/token",
    response_model=TokenResponse,
    summary="Log in: username and password (OAuth2 password form) for a bearer token",
    responses={401: {"description": "wrong credentials"}, 429: {"description": "locked"}},
)
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, session: DbSession
) -> TokenResponse | JSONResponse:
    try:
        issued = auth.login(
            session=session, username=form.username, password=form.password, request=request
        )
    except (AuthenticationError, TooManyAttemptsError) as exc:
        return refusal(exc)
    return TokenResponse(
        access_token=issued.token,
        expires_in=get_settings().token_ttl_minutes * 60,
        expires_at=issued.expires_at,
    )


@router.post("/logout", status_code=204, summary="Revoke the token this request carries")
def logout(
    principal: CurrentUser,
    request: Request,
    session: DbSession,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
) -> Response:
    presented = request_token(request, bearer)
    if presented:
        auth.revoke_token(session=session, token=presented)
    audit.record(
        session=session,
        principal=principal,
        action="logout",
        resource="auth.token",
        request=request,
    )
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/me", summary="The logged-in user: roles, district, shelters, permissions")
async def me(principal: CurrentUser) -> PrincipalRead:  # no I/O: no worker thread needed
    return PrincipalRead.of(principal)


openapi_router = APIRouter(include_in_schema=False)


@openapi_router.get("/openapi.json", name="openapi")
def openapi(request: Request, principal: CurrentUser) -> JSONResponse:
    """The OpenAPI description, for logged-in users only (the /docs UI is not served: it would
    load Swagger UI from a CDN, which closed networks and the CSP forbid)."""
    return JSONResponse(request.app.openapi())
