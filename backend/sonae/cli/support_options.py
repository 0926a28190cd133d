"""Options shared by `sonae support …` and `sonae plans …`."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session

from sonae.config import get_settings
from sonae.errors import InvalidInputError
from sonae.support import service as support_service

Municipality = Annotated[
    str | None,
    typer.Option(
        "--municipality", "-m", help="municipality code (default: SONAE_DEFAULT_MUNICIPALITY)"
    ),
]
By = Annotated[str | None, typer.Option("--by", help="who does this (default: the OS user)")]


def municipality_code(given: str | None) -> str:
    return given or get_settings().default_municipality


def resolve_build(session: Session, municipality: str, build: str) -> int:
    if build == "latest":
        latest = support_service.latest_build(session=session, municipality_code=municipality)
        if latest is None:
            raise InvalidInputError("no support list has been built yet: run `sonae support build`")
        return latest.id
    if not build.isdigit():
        raise InvalidInputError(f"build {build!r} is neither a number nor 'latest'")
    return int(build)
