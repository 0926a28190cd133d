"""The personal-number leak guard: no response body and no log line of the test session may hold
a valid 個人番号, except the one endpoint that exists to show it.

Responses are recorded per test (every TestClient request, and whatever a test records itself
with record_response); log lines are what pytest captured for the test (stdout, stderr, logging).
Reports name the test and the endpoint, never the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sonae.security.my_number import is_valid

# Twelve digits standing alone: digits inside a longer token (a hex request id, a hash) are not
# a personal number, and would otherwise match by chance one time in ten.
TWELVE_DIGITS = re.compile(r"(?<![0-9A-Za-z])[0-9]{12}(?![0-9A-Za-z])")
# GET /api/registry/persons/{person_id}/my-number: audited, permission-checked, the one exception.
ALLOWED = re.compile(r"^GET /api/registry/persons/[^/]+/my-number$")


def valid_numbers_in(text: str) -> int:
    """How many 12-digit runs in text pass the check digit (the count, never the numbers)."""
    return sum(1 for match in TWELVE_DIGITS.finditer(text) if is_valid(match.group()))


def redacted(text: str) -> str:
    return TWELVE_DIGITS.sub("<12 digits>", text)


@dataclass
class Recorder:
    responses: list[tuple[str, str]] = field(default_factory=list)

    def record(self, endpoint: str, body: bytes | str) -> None:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        self.responses.append((endpoint, text))

    def take(self) -> list[tuple[str, str]]:
        taken, self.responses = self.responses, []
        return taken


RECORDER = Recorder()


def record_response(endpoint: str, body: bytes | str) -> None:
    """endpoint is "METHOD /path"; its body is scanned when the test ends."""
    RECORDER.record(endpoint, body)


def leaks(responses: list[tuple[str, str]], logs: list[tuple[str, str]]) -> list[str]:
    """Where valid personal numbers appear: responses (outside ALLOWED), then log sections."""
    found = [
        f"response of {redacted(endpoint)}: {count} valid personal number(s)"
        for endpoint, body in responses
        if not ALLOWED.match(endpoint) and (count := valid_numbers_in(body))
    ]
    found += [
        f"log ({section}): {count} valid personal number(s)"
        for section, text in logs
        if (count := valid_numbers_in(text))
    ]
    return found
