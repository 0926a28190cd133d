"""FastAPI dependencies: who is calling, and may they.

    principal: CurrentUser                                          # any logged-in user
    principal: Annotated[Principal, Depends(require_roles(Role.welfare, Role.hq))]
    principal: Annotated[Principal, Depends(require_permission(Permission.my_number_read))]

A request authenticates with `Authorization: Bearer <token>` (from POST /api/auth/token) or with
the HttpOnly session cookie the /login page sets; both carry the same kind of opaque token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from sonae.api.deps import DbSession
from sonae.errors import AuthenticationError, PermissionDeniedError
from sonae.security import auth
from sonae.security.roles import Permission, Principal, Role

SESSION_COOKIE = "sonae_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


class LoginRequired(Exception):
    """An HTML page was asked for without a login: the browser is sent to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__("login required")
        self.next_path = next_path


def request_token(request: Request, bearer: str | None) -> str | None:
    """The bearer token, else the session cookie (refused on cross-site unsafe requests)."""
    if bearer:
        return bearer
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and request.method not in SAFE_METHODS and not _same_origin(request):
        raise PermissionDeniedError("cross-site request refused")
    return cookie


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is None:
        return True  # SameSite=Strict already keeps the cookie off cross-site requests
    return urlsplit(origin).netloc == request.headers.get("host", request.url.netloc)


def current_principal(
    request: Request,
    session: DbSession,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal:
    """The logged-in user, or 401 (with WWW-Authenticate: Bearer)."""
    token = request_token(request, bearer)
    if not token:
        raise AuthenticationError("login required: send a bearer token (POST /api/auth/token)")
    principal = auth.principal_for_token(session=session, token=token)
    if principal is None:
        raise AuthenticationError("the token is invalid, expired or revoked: log in again")
    request.state.principal = principal
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


def page_principal(
    request: Request,
    session: DbSession,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal:
    """Like current_principal, for HTML pages: an anonymous browser is redirected to /login."""
    token = request_token(request, bearer)
    principal = auth.principal_for_token(session=session, token=token) if token else None
    if principal is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(path)
    request.state.principal = principal
    return principal


PageUser = Annotated[Principal, Depends(page_principal)]


def require_roles(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting a user who holds at least one of the roles, else 403.

    Roles do not nest: admin does not imply hq, welfare or any other operational role.
    """
    if not roles:
        raise ValueError("require_roles needs at least one role")
    needed = ", ".join(role.value for role in roles)

    # async: a pure check, so it runs on the event loop instead of taking a worker thread.
    async def has_role(principal: CurrentUser) -> Principal:
        if not principal.has(*roles):
            raise PermissionDeniedError(f"this needs one of the roles: {needed}")
        return principal

    has_role.__name__ = f"require_roles_{'_'.join(role.value for role in roles)}"
    return has_role


def require_permission(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting a user who holds the permission, else 403."""

    async def has_permission(principal: CurrentUser) -> Principal:
        if not principal.may(permission):
            raise PermissionDeniedError(f"this needs the permission {permission.value}")
        return principal

    has_permission.__name__ = f"require_permission_{permission.value}"
    return has_permission
