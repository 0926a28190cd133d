"""Domain errors, and the one table that maps them to HTTP status codes.

Every message is written to be shown to a user: it names files, rows, fields and reasons, never
personal data. Details meant for operators go to the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class SonaeError(Exception):
    """Base of all domain errors; str(error) is safe to show to the user."""


class NotFoundError(SonaeError):
    pass


class InvalidInputError(SonaeError):
    pass


class UnsupportedMediaTypeError(InvalidInputError):
    """A body sent as a kind the route does not read (its message names the kinds it does)."""


class ConflictError(SonaeError):
    pass


class ServiceUnavailableError(SonaeError):
    pass


class AuthenticationError(SonaeError):
    """No valid credentials: unknown user, wrong password, expired or revoked token."""


class PermissionDeniedError(SonaeError):
    """Authenticated, but the role or permission does not allow this."""


class TooManyAttemptsError(SonaeError):
    """Login refused for a while after repeated failures."""


@dataclass(frozen=True)
class Problem:
    """One reason an input was refused: where (feature or row, field) and why."""

    reason: str
    feature: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = []
        if self.feature is not None:
            where.append(f"feature {self.feature}")
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


@dataclass
class ImportRejectedError(InvalidInputError):
    """A file was refused whole; nothing of it was written."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        shown = "; ".join(str(p) for p in self.problems[:10])
        more = f" (and {len(self.problems) - 10} more)" if len(self.problems) > 10 else ""
        return f"{self.file}: rejected, nothing imported: {shown}{more}"


HTTP_STATUS_BY_ERROR: dict[type[SonaeError], int] = {
    NotFoundError: 404,
    InvalidInputError: 422,
    UnsupportedMediaTypeError: 415,
    ConflictError: 409,
    ServiceUnavailableError: 503,
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    TooManyAttemptsError: 429,
}


def http_status_for(error: SonaeError) -> int:
    for cls in type(error).__mro__:
        if cls in HTTP_STATUS_BY_ERROR:
            return HTTP_STATUS_BY_ERROR[cls]
    return 500
