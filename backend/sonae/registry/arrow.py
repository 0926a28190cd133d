"""Small Arrow helpers shared by the registry modules."""

from __future__ import annotations

from typing import Any


def flat(column: Any) -> Any:
    """One contiguous Array from a table column (a ChunkedArray) or an Array."""
    return column.combine_chunks() if hasattr(column, "combine_chunks") else column
