"""The login page for the browser: a server-rendered form, no script, no outside asset.

A successful login sets an HttpOnly, SameSite=Strict cookie holding an opaque token of the same
kind POST /api/auth/token returns; current_principal accepts either.
"""

from __future__ import annotations

from html import escape
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import URL

from sonae.api.deps import DbSession
from sonae.audit import service as audit
from sonae.config import get_settings
from sonae.errors import AuthenticationError, TooManyAttemptsError
from sonae.security import auth
from sonae.security.deps import SESSION_COOKIE, LoginRequired

router = APIRouter(tags=["login"], include_in_schema=False)

MESSAGES = {
    AuthenticationError: "ユーザー名またはパスワードが違います。",
    TooManyAttemptsError: "ログインの失敗が続いたため、15分間ログインできません。",
}

PAGE = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ログイン - Sonae (備え)</title>
<style>
body {{ font-family: sans-serif; background: #f4f5f7; margin: 0; }}
main {{ max-width: 22rem; margin: 12vh auto; background: #fff; padding: 2rem;
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }}
h1 {{ font-size: 1.3rem; margin-top: 0; }}
label {{ display: block; margin: 1rem 0 .3rem; }}
input[type=text], input[type=password] {{ width: 100%; box-sizing: border-box; padding: .5rem;
  font-size: 1rem; }}
button {{ margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; }}
.error {{ color: #b00020; }}
</style></head>
<body><main>
<h1>Sonae (備え) ログイン</h1>
{error}
<form method="post" action="/login">
<input type="hidden" name="next" value="{next}">
<label for="username">ユーザー名</label>
<input type="text" id="username" name="username" value="{username}" autocomplete="username"
  required autofocus>
<label for="password">パスワード</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">ログイン</button>
</form>
</main></body></html>
"""


def safe_next(next_path: str | None) -> str:
    """Only a path on this server: never another host (open redirect)."""
    if not next_path or not next_path.startswith("/") or next_path.startswith(("//", "/\\")):
        return "/"
    url = URL(next_path)
    return next_path if not url.scheme and not url.netloc else "/"


def login_page(*, next_path: str, username: str = "", error: str | None = None) -> str:
    shown = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return PAGE.format(error=shown, next=escape(safe_next(next_path)), username=escape(username))


@router.get("/login", response_class=HTMLResponse)
def login_form(next: str = "/") -> HTMLResponse:
    return HTMLResponse(login_page(next_path=next))


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    try:
        issued = auth.login(session=session, username=username, password=password, request=request)
    except (AuthenticationError, TooManyAttemptsError) as exc:
        status = 429 if isinstance(exc, TooManyAttemptsError) else 401
        page = login_page(next_path=next, username=username, error=MESSAGES[type(exc)])
        return HTMLResponse(page, status_code=status)
    settings = get_settings()
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=settings.token_ttl_minutes * 60,
        path="/",
        httponly=True,
        samesite="strict",
        secure=settings.environment == "production" or request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout_submit(request: Request, session: DbSession) -> RedirectResponse:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        principal = auth.principal_for_token(session=session, token=token)
        if auth.revoke_token(session=session, token=token) and principal is not None:
            audit.record(
                session=session,
                principal=principal,
                action="logout",
                resource="auth.session",
                request=request,
            )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def redirect_to_login(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(f"/login?{urlencode({'next': exc.next_path})}", status_code=303)


def install_login_redirect(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, redirect_to_login)
