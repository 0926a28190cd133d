"""Applying a change file (異動ファイル): each row is one 異動, applied in 異動日 order.

A row describes the person after the change. Checked against what is held (and against the
rows applied before it): 出生 of a 宛名番号 already held, 転入 of someone who is a resident,
and 転出・死亡・転居・世帯変更・職権修正 of a 宛名番号 nobody holds are refused. A person who
moves out and later back in (転入 with their old 宛名番号) stays the same Person, so their
history holds both entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from sonae.registry.columns import header_of
from sonae.registry.models import ChangeKind, ResidentStatus
from sonae.registry.plan import HISTORY_FIELDS, Plan
from sonae.registry.problems import RowProblem

NEEDS_HOLDER = frozenset(
    {
        ChangeKind.moved_out,
        ChangeKind.death,
        ChangeKind.address_change,
        ChangeKind.household_change,
        ChangeKind.correction,
    }
)
NEEDS_RESIDENT = frozenset(
    {ChangeKind.moved_out, ChangeKind.death, ChangeKind.address_change, ChangeKind.household_change}
)


@dataclass
class _Person:
    held: bool
    status: str
    status_since: Any
    last_row: int = -1


def plan_changes(accepted: Any, existing: Any) -> Plan:
    rows = accepted.sort_by([("effective_on", "ascending"), ("line", "ascending")])
    people: dict[str, _Person] = {
        number: _Person(True, status, since)
        for number, status, since in zip(
            existing["address_number"].to_pylist(),
            existing["status"].to_pylist(),
            existing["status_since"].to_pylist(),
            strict=True,
        )
    }
    problems: list[RowProblem] = []
    applied: list[int] = []
    since: list[Any] = []
    for index, (number, change, status, on, line) in enumerate(
        zip(
            *(rows.column(c).to_pylist() for c in ("address_number", "change", "status")),
            rows.column("effective_on").to_pylist(),
            rows.column("line").to_pylist(),
            strict=True,
        )
    ):
        kind = ChangeKind(change)
        person = people.get(number)
        reason = _refusal(kind, person)
        if reason is not None:
            problems.append(RowProblem(reason, feature=line, field=header_of("change")))
            continue
        if person is None:
            person = people[number] = _Person(False, status, on)
        elif status != person.status:
            person.status, person.status_since = status, on
        person.last_row = index
        applied.append(index)
        since.append(person.status_since)
    history_rows = rows.take(pa.array(applied, pa.int64()))
    history = history_rows.select(list(HISTORY_FIELDS)) if applied else _empty_history(rows)
    final = sorted(p.last_row for p in people.values() if p.last_row >= 0)
    position = {row: i for i, row in enumerate(applied)}
    finals = rows.take(pa.array(final, pa.int64()))
    held = pc.index_in(finals.column("address_number"), value_set=existing["address_number"])
    ids = existing["id"].take(held) if existing.num_rows else pa.nulls(len(final), pa.int64())
    finals = finals.append_column("id", ids)
    finals = finals.append_column(
        "status_since", pa.array([since[position[row]] for row in final], pa.date32())
    )
    return Plan(people=finals, history=history, problems=problems)


def _refusal(kind: ChangeKind, person: _Person | None) -> str | None:
    resident = person is not None and person.status == ResidentStatus.resident.value
    if kind is ChangeKind.birth and person is not None:
        return "出生 of a 宛名番号 that is already in the registry"
    if kind is ChangeKind.moved_in and resident:
        return "転入 of a person who is already a resident"
    if kind in NEEDS_HOLDER and person is None:
        return "not in the registry"
    if kind in NEEDS_RESIDENT and not resident:
        return "the person is not a resident (already moved out, deceased or erased)"
    return None


def _empty_history(rows: Any) -> Any:
    return pa.table({name: pa.array([], rows.schema.field(name).type) for name in HISTORY_FIELDS})
