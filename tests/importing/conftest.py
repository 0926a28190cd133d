"""Shared pieces for the import tests: a fresh municipality and row counting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.municipality import service as municipality_service

FRESH_CODE = "131016"
"""千代田区: a valid code (check digit 6) that no baseline bundle registers."""

Counter = Callable[..., int]


@pytest.fixture
def fresh_code(session: Session) -> str:
    """A municipality registered for this test only, in plane zone IX, without an outline."""
    municipality_service.register(
        session=session, code=FRESH_CODE, name="千代田区", plane_rectangular_srid=6677
    )
    return FRESH_CODE


@pytest.fixture
def count(session: Session) -> Counter:
    """count(Model, code, *conditions): rows of a municipality's layer."""

    def count(model: Any, code: str, *conditions: Any) -> int:
        statement = (
            select(func.count())
            .select_from(model)
            .where(model.municipality_code == code, *conditions)
        )
        return int(session.scalar(statement) or 0)

    return count
