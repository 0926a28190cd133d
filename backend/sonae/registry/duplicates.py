"""Finding repeated numbers in a column by sorting (numpy), not by a Python dict per row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

Positions = np.ndarray[Any, np.dtype[np.intp]]


@dataclass(frozen=True)
class Clashes:
    rows: Positions
    """Positions of the rows in a clash."""
    other_rows: Positions
    """For each of them, the position of another row it clashes with (for "also on line N")."""


def duplicate_rows(values: np.ndarray[Any, Any]) -> Clashes:
    """Every row whose value occurs more than once."""
    if len(values) == 0:
        return Clashes(np.empty(0, np.intp), np.empty(0, np.intp))
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    same = ordered[1:] == ordered[:-1]
    as_previous = np.concatenate(([False], same))
    as_next = np.concatenate((same, [False]))
    starts = np.flatnonzero(~as_previous)
    group = np.cumsum(~as_previous) - 1
    first = starts[group]
    second = np.minimum(first + 1, len(values) - 1)
    position = np.arange(len(values))
    other = np.where(position == first, second, first)
    clash = as_previous | as_next
    return Clashes(order[clash], order[other[clash]])


def shared_rows(numbers: np.ndarray[Any, Any], owners: np.ndarray[Any, Any]) -> Clashes:
    """Rows whose number is also given for a different owner (個人番号 of two 宛名番号)."""
    if len(numbers) == 0:
        return Clashes(np.empty(0, np.intp), np.empty(0, np.intp))
    order = np.lexsort((owners, numbers))
    ordered_numbers = numbers[order]
    ordered_owners = owners[order]
    new_group = np.concatenate(([True], ordered_numbers[1:] != ordered_numbers[:-1]))
    starts = np.flatnonzero(new_group)
    ends = np.concatenate((starts[1:], [len(numbers)])) - 1
    group = np.cumsum(new_group) - 1
    first_owner = ordered_owners[starts[group]]
    conflict = first_owner != ordered_owners[ends[group]]
    other = np.where(ordered_owners == first_owner, ends[group], starts[group])
    return Clashes(order[conflict], order[other[conflict]])
