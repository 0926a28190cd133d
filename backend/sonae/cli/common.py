"""What every CLI command shares: settings, a transaction, and errors shown plainly."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import wraps
from typing import NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from sonae.config import get_settings
from sonae.database.core import get_engine, transaction
from sonae.errors import SonaeError
from sonae.logging import configure_logging

console = Console(stderr=True)
P = ParamSpec("P")
R = TypeVar("R")


# A file named on the command line that cannot be read: the operator's mistake, not a bug.
FILE_PROBLEMS: dict[type[OSError], str] = {
    FileNotFoundError: "file not found",
    IsADirectoryError: "is a directory, not a file",
    NotADirectoryError: "a part of the path is not a directory",
    PermissionError: "permission denied",
}


def friendly_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Domain errors, and files that cannot be opened, end the command with a message and exit
    code 2, no traceback; a database error with its kind only and exit code 1."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        settings = get_settings()
        configure_logging(level=settings.log_level, json=settings.log_json)
        try:
            return command(*args, **kwargs)
        except (SonaeError, ValueError) as exc:
            _refuse(str(exc), exc)
        except tuple(FILE_PROBLEMS) as exc:
            _refuse(_file_problem(exc), exc)
        except DBAPIError as exc:
            # Its message holds the statement's values or the failing row (names, free text):
            # the kind and SQLSTATE only, and exit 1 (a fault, not the operator's mistake).
            state = getattr(exc.orig, "sqlstate", None) or "?"
            message = f"database error {type(exc.orig).__name__} (SQLSTATE {state}); nothing saved"
            _refuse(message, exc, code=1)

    return wrapper


def _file_problem(exc: OSError) -> str:
    """The path the operator gave (a file name, not personal data) and what is wrong with it; or
    the message our own code raised with (FileNotFoundError("PNG export needs Chromium…"): no
    errno, no file name), which says more than the generic words."""
    problem = next(m for kind, m in FILE_PROBLEMS.items() if isinstance(exc, kind))
    if exc.filename:
        return f"{exc.filename}: {problem}"
    if exc.errno is None and str(exc):
        return str(exc)
    return problem


def _refuse(message: str, exc: Exception, *, code: int = 2) -> NoReturn:
    console.print(f"[red]error:[/red] {escape(message)}", highlight=False, markup=True)
    raise typer.Exit(code=code) from exc


def operator(by: str | None = None) -> str:
    """Who the audit trail and the records name: --by if given, else cli:<OS user>."""
    return by or f"cli:{getpass.getuser()}"


@contextmanager
def unit_of_work() -> Iterator[Session]:
    with transaction(get_engine()) as session:
        yield session


def iso_day(value: str) -> date:
    """A YYYY-MM-DD option (typer.Option(parser=iso_day)): a bad day is a usage error that
    names the option, not a bare "day is out of range for month"."""
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"not a day (YYYY-MM-DD): {exc}") from exc
