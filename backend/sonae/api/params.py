"""Bounds on request input that PostgreSQL would otherwise refuse with a server error, and the
one rule for text that must say something.

A row id or offset beyond bigint, or an amount or count beyond integer, sent in a path, query or
body, is a 422 here rather than a DataError from the database (whose message would carry the
statement's parameters, free text about people among them).
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Interval
from pydantic import StringConstraints

PG_BIGINT_MAX = 2**63 - 1
PG_INTEGER_MAX = 2**31 - 1

Id = Annotated[int, Interval(ge=1, le=PG_BIGINT_MAX)]
"""A row id (bigint, from 1)."""

Offset = Annotated[int, Interval(ge=0, le=PG_BIGINT_MAX)]
"""How many rows to skip (bigint)."""

Yen = Annotated[int, Interval(ge=0, le=PG_INTEGER_MAX)]
"""An amount of money in yen (an INTEGER column: up to 2,147,483,647 yen)."""

Count = Annotated[int, Interval(ge=0, le=PG_INTEGER_MAX)]
"""A number of things stored in an INTEGER column."""

RequiredText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Text that must say something (a reason, a name): surrounding whitespace is dropped, the
full-width space (U+3000) included, and what is left must not be empty. Give the maximum
length per field with Field(max_length=...)."""
