"""Fixtures of the shelter tests (defined in desk.py, shared with tests/idempotency)."""

from sheltering.desk import desk, event, people, shelters

__all__ = ["desk", "event", "people", "shelters"]
