"""Fixtures of the idempotency tests (defined in desk.py, in tests/sheltering)."""

from sheltering.desk import desk, event, people, shelters

__all__ = ["desk", "event", "people", "shelters"]
