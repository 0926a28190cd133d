"""No personal number (個人番号, 12 digits) in free text, wherever people type it.

The system takes a personal number only through the registry import and security.my_number;
anywhere else a run of 12 digits in text is refused, whether or not its check digit is valid
(a wrong number is still someone's, or a typo of one). Hyphens and spaces are ignored, so
"1234-5678-9012" is caught too; full-width digits count.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import AfterValidator

from sonae.errors import InvalidInputError

TWELVE_DIGITS = re.compile(r"(?<![0-9])[0-9０-９]{12}(?![0-9])")
REFUSED = "a 12-digit number was sent: the personal number is never taken"


def holds_twelve_digits(value: Any) -> bool:
    """True when any string anywhere in a JSON value holds a run of 12 digits."""
    if isinstance(value, str):
        return TWELVE_DIGITS.search(value.replace("-", "").replace(" ", "")) is not None
    if isinstance(value, dict):
        return any(holds_twelve_digits(k) or holds_twelve_digits(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_twelve_digits(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return len(str(abs(value))) == 12
    return False


def refuse_twelve_digits(**texts: object) -> None:
    """InvalidInputError (422) naming the first field that holds a run of 12 digits; the value
    is not echoed."""
    for field, value in texts.items():
        if holds_twelve_digits(value):
            raise InvalidInputError(f"field '{field}': {REFUSED}")


def no_twelve_digits(value: str | None) -> str | None:
    """For a pydantic AfterValidator on a free-text field: the message names no value."""
    if value is not None and holds_twelve_digits(value):
        raise ValueError(REFUSED)
    return value


NO_TWELVE_DIGITS = AfterValidator(no_twelve_digits)
"""Annotated[str | None, NO_TWELVE_DIGITS, …]: a free-text field of a request schema."""
