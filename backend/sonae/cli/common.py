"""What every CLI command shares: settings, a transaction, and errors shown plainly."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from sonae.config import get_settings
from sonae.database.core import get_engine, transaction
from sonae.errors import SonaeError
from sonae.logging import configure_logging

console = Console(stderr=True)
P = ParamSpec("P")
R = TypeVar("R")


def friendly_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Domain errors end the command with their message and exit code 2, no traceback."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        settings = get_settings()
        configure_logging(level=settings.log_level, json=settings.log_json)
        try:
            return command(*args, **kwargs)
        except (SonaeError, ValueError) as exc:
            console.print(f"[red]error:[/red] {exc}", highlight=False, markup=True)
            raise typer.Exit(code=2) from exc

    return wrapper


def operator(by: str | None = None) -> str:
    """Who the audit trail and the records name: --by if given, else cli:<OS user>."""
    return by or f"cli:{getpass.getuser()}"


@contextmanager
def unit_of_work() -> Iterator[Session]:
    with transaction(get_engine()) as session:
        yield session
