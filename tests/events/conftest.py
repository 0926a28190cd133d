from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from event_town import make_town
from support.factory import Town


@pytest.fixture
def town(session: Session) -> Town:
    return make_town(session)
