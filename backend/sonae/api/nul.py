"""PostgreSQL text and jsonb cannot hold NUL: one app-wide refusal, as 422, instead of a 500.

Applied to every route as an app dependency, so no schema needs its own validator. JSON bodies
are checked for the escaped form (\\u0000) and raw NUL bytes, URL-encoded forms (the login) and
query strings and paths for %00. Binary uploads (photos, files) are left alone: NUL is ordinary
in them.
"""

from __future__ import annotations

from fastapi import Request

from sonae.errors import InvalidInputError

JSON_NUL = (b"\\u0000", b"\x00")
URL_NUL = ("%00", "\x00")


async def refuse_nul_characters(request: Request) -> None:
    url = request.url
    if any(mark in url.path or mark in url.query for mark in URL_NUL):
        raise InvalidInputError("a NUL character was sent in the address: it cannot be stored")
    if request.method in ("GET", "HEAD", "OPTIONS", "DELETE"):
        return
    content_type = request.headers.get("content-type", "")
    if "application/x-www-form-urlencoded" in content_type:
        # FastAPI has parsed the form before any dependency runs (the stream is spent).
        form = await request.form()
        if any(isinstance(value, str) and "\x00" in value for _, value in form.multi_items()):
            raise InvalidInputError("a NUL character was sent: text fields cannot hold it")
        return
    if "json" not in content_type:
        return
    body = await request.body()
    if any(mark in body for mark in JSON_NUL):
        raise InvalidInputError("a NUL character was sent: text fields cannot hold it")
