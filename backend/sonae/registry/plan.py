"""What a full registry file changes: who is new, who changed, who is no longer listed.

A full file (全件) lists the current residents. Compared with what is held:
- a 宛名番号 not held yet is a new person, with an `initial` history entry dated --as-of;
- a held person whose status, household, relation or address differs gets a `correction`
  entry (the full file is the truth; we do not know the reason);
- a held resident missing from the file is not deleted: status becomes `erased` (消除) with a
  `correction` entry, and the report lists them as "no longer in the registry". People already
  moved out, deceased or erased are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sonae.registry.existing import TRACKED
from sonae.registry.models import ChangeKind, ResidentStatus
from sonae.registry.problems import RowProblem

HISTORY_FIELDS = ("address_number", "change", "effective_on", *TRACKED)


@dataclass
class Plan:
    people: Any
    """Arrow table: the final state of every person the file touches, with `id` (null: new),
    `status_since` and `line`."""
    history: Any
    """Arrow table of HISTORY_FIELDS, in the order the changes happened."""
    erased: Any = None
    """Held residents no longer in a full file (address_number, id)."""
    problems: list[RowProblem] = field(default_factory=list)
    """Rows refused because of what the database holds (a change file's 転出 of nobody…)."""
    residents_held: int = 0
    """Residents held before the import."""

    @property
    def erased_count(self) -> int:
        return 0 if self.erased is None else int(self.erased.num_rows)


def plan_full(accepted: Any, listed: Any, existing: Any, *, as_of: date) -> Plan:
    """accepted: valid rows; listed: every 宛名番号 in the file (valid row or not)."""
    held = pc.index_in(accepted.column("address_number"), value_set=existing["address_number"])
    is_new = held.is_null()
    old = _take(existing, held)
    on = pa.scalar(as_of, pa.date32())
    status = accepted.column("status")
    resident = pc.equal(status, ResidentStatus.resident.value)
    status_changed = pc.and_kleene(pc.invert(is_new), pc.not_equal(status, old.column("status")))
    since_new = pc.if_else(resident, pc.coalesce(accepted.column("became_resident_on"), on), on)
    since_held = pc.if_else(status_changed, on, pc.coalesce(old.column("status_since"), on))
    people = accepted.append_column("id", old.column("id"))
    people = people.append_column("status_since", pc.if_else(is_new, since_new, since_held))
    changed = pa.array(np.zeros(accepted.num_rows, dtype=bool))
    for name in TRACKED:
        differs = pc.fill_null(pc.not_equal(accepted.column(name), old.column(name)), True)
        changed = pc.or_(changed, differs)
    changed = pc.and_(changed, pc.invert(is_new))
    kinds = pc.if_else(is_new, ChangeKind.initial.value, ChangeKind.correction.value)
    entries = pc.or_(is_new, changed)
    history = _history(accepted, kinds, on).filter(entries)
    gone = pc.and_(
        pc.equal(existing["status"], ResidentStatus.resident.value),
        pc.invert(pc.is_in(existing["address_number"], value_set=listed)),
    )
    erased = existing.filter(gone)
    count = erased.num_rows
    erased_history = pa.table(
        {
            "address_number": erased["address_number"],
            "change": pa.repeat(pa.scalar(ChangeKind.correction.value), count),
            "effective_on": pa.repeat(on, count),
            "status": pa.repeat(pa.scalar(ResidentStatus.erased.value), count),
            **{name: erased[name] for name in TRACKED if name != "status"},
        }
    )
    return Plan(
        people=people,
        history=pa.concat_tables([history, erased_history.select(list(HISTORY_FIELDS))]),
        erased=erased.select(["address_number", "id"]),
    )


def _take(existing: Any, positions: Any) -> Any:
    """Rows of `existing` at `positions` (null position: a row of nulls)."""
    if existing.num_rows == 0:
        return pa.table(
            {
                name: pa.nulls(len(positions), existing.schema.field(name).type)
                for name in existing.column_names
            }
        )
    return existing.take(positions)


def _history(rows: Any, kinds: Any, effective_on: Any) -> Any:
    return pa.table(
        {
            "address_number": rows.column("address_number"),
            "change": kinds,
            "effective_on": pa.repeat(effective_on, rows.num_rows),
            **{name: rows.column(name) for name in TRACKED},
        }
    )
