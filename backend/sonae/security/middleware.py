"""ASGI middleware: request ids and security headers (the body size limit is FastAPI's own).

Pure ASGI (no BaseHTTPMiddleware), so streaming and the request's contextvars behave.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sonae.security.twelve_digits import holds_twelve_digits

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


class RequestIdMiddleware:
    """Takes X-Request-ID from the client (if well-formed) or makes one; echoes it back, puts
    it in request.state.request_id (audit entries) and in every log line of the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope).get(REQUEST_ID_HEADER))
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            await self.app(scope, receive, send_with_id)


def request_id_from(given: str | None) -> str:
    """The client's id when it is safe to log and to keep in the append-only audit trail:
    letters, digits and hyphens, at most 64, and no run of 12 digits (a personal number would
    stay there for good). Otherwise a fresh one."""
    if given and _VALID_REQUEST_ID.fullmatch(given) and not holds_twelve_digits(given):
        return given
    return fresh_request_id()


def fresh_request_id() -> str:
    """A random id; hex may by chance hold 12 digits in a row (a few % of uuid4s), so those
    are drawn again: the id is echoed and logged everywhere."""
    while holds_twelve_digits(request_id := uuid.uuid4().hex):
        pass
    return request_id


def content_security_policy(*, script_hashes: list[str], img_sources: list[str]) -> str:
    scripts = " ".join(["'self'", *(f"'sha256-{h}'" for h in script_hashes)])
    images = " ".join(["'self'", "data:", *img_sources])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {images}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def script_hashes(html: bytes) -> list[str]:
    return [
        base64.b64encode(hashlib.sha256(body).digest()).decode()
        for body in _INLINE_SCRIPT.findall(html)
    ]


class SecurityHeadersMiddleware:
    """nosniff, DENY framing, no referrer, no caching of API answers, and a CSP of 'self' only.

    Only the map pages (paths under map_prefix: one prefix or a tuple) may run inline scripts:
    the ones folium writes into the page, allowed by their SHA-256 (no 'unsafe-inline' for
    scripts, so no inline event handlers). Styles allow 'unsafe-inline': folium and Leaflet set
    style attributes.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        img_sources: list[str],
        map_prefix: str | tuple[str, ...] = "/map/",
    ) -> None:
        self.app = app
        self.img_sources = img_sources
        self.map_prefix = map_prefix

    def _headers(self, path: str, script_hash_list: list[str]) -> dict[str, str]:
        headers = {
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Content-Security-Policy": content_security_policy(
                script_hashes=script_hash_list, img_sources=self.img_sources
            ),
        }
        if not path.startswith("/static/"):
            headers["Cache-Control"] = "no-store"
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if not path.startswith(self.map_prefix):
            await self.app(scope, receive, self._plain(path, send))
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffer_html(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            html = Headers(raw=start["headers"]).get("content-type", "").startswith("text/html")
            hashes = script_hashes(body) if html else []
            MutableHeaders(scope=start).update(self._headers(path, hashes))
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffer_html)

    def _plain(self, path: str, send: Send) -> Send:
        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(self._headers(path, []))
            await send(message)

        return add_headers


def tiles_origin(url: str | None) -> list[str]:
    """The origin of the optional base tiles, which the CSP must let images come from."""
    match = re.match(r"^(https?://[^/{}]+)", url or "")
    return [match.group(1)] if match else []
