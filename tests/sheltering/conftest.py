"""Fixtures of the shelter tests (defined in desk.py, shared with tests/idempotency, and in
racing.py)."""

from sheltering.desk import desk, event, people, shelters
from sheltering.racing import world

__all__ = ["desk", "event", "people", "shelters", "world"]
