"""Text a service requires to say something (a reason, a name), checked where the API schema's
RequiredText (sonae.api.params) cannot: the CLI calls services directly."""

from __future__ import annotations

from sonae.errors import InvalidInputError


def require_text(*, field: str, value: str) -> str:
    """The value without surrounding whitespace (U+3000 included); blank is refused (422)."""
    stripped = value.strip()
    if not stripped:
        raise InvalidInputError(f"field '{field}': must not be blank")
    return stripped
