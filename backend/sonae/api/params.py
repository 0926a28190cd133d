"""Bounds on request input that PostgreSQL would otherwise refuse with a server error.

A row id or offset beyond bigint, sent in a path, query or body, is a 422 here rather than a
DataError from the database.
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Interval

PG_BIGINT_MAX = 2**63 - 1

Id = Annotated[int, Interval(ge=1, le=PG_BIGINT_MAX)]
"""A row id (bigint, from 1)."""

Offset = Annotated[int, Interval(ge=0, le=PG_BIGINT_MAX)]
"""How many rows to skip (bigint)."""
