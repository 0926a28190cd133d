"""Fixtures of the dashboard tests (the data itself: tests/dashboard_rows.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from dashboard_rows import ListedTown, make_listed_town
from sonae.dashboard import providers, wiring
from sonae.dashboard.page import clear_map_cache


@pytest.fixture
def listed_town(session: Session) -> ListedTown:
    return make_listed_town(session)


@pytest.fixture(autouse=True)
def _no_providers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts and ends with no provider registered (the registry is global), and
    with no cached map (each test builds its own data). The app installs the real providers
    when it is created (dashboard.wiring.install); here tests register their own."""
    monkeypatch.setattr(wiring, "install", lambda: None)
    providers.unregister_all()
    clear_map_cache()
    yield
    providers.unregister_all()
    clear_map_cache()
