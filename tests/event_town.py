"""A hand-made town for event tests: two chome, a few residents, one of them on the list."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from sonae.event.models import DisasterEvent, EventHazard
from sonae.event.service import Declaration, declare_event
from sonae.registry.models import ResidentStatus
from support.factory import Town

STRUCK = datetime(2026, 11, 23, 5, 46, tzinfo=UTC)
NORTH, SOUTH = "13102001001", "13102002001"
"""The test town's two chome: 北町一丁目 (north of the origin) and 南町一丁目 (south)."""


def make_town(session: Session) -> Town:
    """北町: 3 residents (one on the list by care level 3, one moved out); 南町: 2 residents."""
    town = Town.create(session)
    town.person("north-care", born=date(1990, 1, 1), at=(100, 100), care_level="care_3")
    town.person("north-a", born=date(1980, 1, 1), at=(200, 100))
    town.person("north-b", born=date(1970, 1, 1), at=(300, 100))
    town.person("north-gone", born=date(1960, 1, 1), at=(400, 100), status=ResidentStatus.moved_out)
    town.person("south-a", born=date(1985, 1, 1), at=(100, -100))
    town.person("south-b", born=date(1975, 1, 1), at=(200, -100))
    return town


def declare(town: Town, chome: tuple[str, ...] = (NORTH,), by: str = "hq-test") -> DisasterEvent:
    return declare_event(
        session=town.session,
        municipality_code=town.code,
        declaration=Declaration(
            name="テスト地震", hazard=EventHazard.earthquake, started_at=STRUCK, chome_keys=chome
        ),
        declared_by=by,
    )
