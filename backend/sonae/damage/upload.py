"""A survey photo read from the request: the body itself, or the one file part of a form.

Field tablets post the bytes (Content-Type image/…); browsers and `curl -F` post a multipart form.
Anything else is refused with what is expected (415): curl's `--data-binary @x.jpg` without a
Content-Type sends the image as a URL-encoded form, which the app-wide NUL check has then parsed,
so the bytes are gone and cannot be read as a photo.
"""

from __future__ import annotations

import re

from fastapi import Request
from starlette.datastructures import UploadFile

from sonae.errors import InvalidInputError, UnsupportedMediaTypeError

RAW_TYPES = frozenset({"", "image/jpeg", "image/png", "image/webp", "application/octet-stream"})
EXPECTED = (
    "send the JPEG, PNG or WebP bytes as the body with Content-Type image/jpeg, image/png or "
    "image/webp (curl -H 'Content-Type: image/jpeg' --data-binary @photo.jpg), or as the one "
    "file part of a multipart/form-data form (curl -F photo=@photo.jpg)"
)
MEDIA_TYPE = re.compile(r"[a-z0-9.+-]{1,60}/[a-z0-9.+-]{1,60}")
PART_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,63}")


async def read_photo(request: Request) -> tuple[bytes, str]:
    """(the bytes, where they came from for messages: the body or the form part's name)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media in RAW_TYPES:
        return await request.body(), "photo (request body)"
    if media == "multipart/form-data":
        return await _file_part(request)
    shown = f"Content-Type {media}" if MEDIA_TYPE.fullmatch(media) else "this Content-Type"
    raise UnsupportedMediaTypeError(f"photo: {shown} is not read here; {EXPECTED}")


async def _file_part(request: Request) -> tuple[bytes, str]:
    async with request.form() as form:
        files = [(name, v) for name, v in form.multi_items() if isinstance(v, UploadFile)]
        if len(files) != 1:
            raise InvalidInputError(
                f"photo: the multipart form has {len(files)} file parts, not one; {EXPECTED}"
            )
        name, upload = files[0]
        # The part's name is a form field name; the file name may name a person, so not shown.
        part = name if PART_NAME.fullmatch(name) else "<part>"
        return await upload.read(), f"photo (multipart file part '{part}')"
