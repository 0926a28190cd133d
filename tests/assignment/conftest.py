from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from support.factory import Town


@pytest.fixture
def town(session: Session) -> Town:
    """A small municipality of its own, in the test's rolled-back transaction."""
    return Town.create(session)
