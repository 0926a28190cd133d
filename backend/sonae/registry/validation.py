"""Row validation of a registry file, column by column on the whole file at once.

Each check yields the rows it fails, flagged with the line, the column's Japanese name and a
reason that never repeats the cell. The result keeps every row, typed (dates as dates, labels
as the stored enum values, digits normalised from full width), with a mask of the valid ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sonae.registry import checks
from sonae.registry.columns import (
    CHANGE_COLUMNS,
    DATE_FIELDS,
    LABELS,
    NUMBERED_FIELDS,
    REGISTRY_COLUMNS,
    STATUS_AFTER_CHANGE,
    Column,
    header_of,
)
from sonae.registry.dates import parse_date_column
from sonae.registry.duplicates import duplicate_rows, shared_rows
from sonae.registry.parsing import RawTable
from sonae.registry.problems import RowProblem

Mask = checks.Mask
KATAKANA = r"^[ァ-ヺー・ヽヾ\x{3000}]+$"


@dataclass
class ValidatedRows:
    table: Any
    """pyarrow.Table: every row, typed; `line` is the file line."""
    valid: Mask
    problems: list[RowProblem]

    @property
    def accepted(self) -> Any:
        return self.table.filter(pa.array(self.valid))


class _Checker:
    def __init__(self, raw: RawTable) -> None:
        self.raw = raw
        self.count = int(raw.table.num_rows)
        self.bad = np.zeros(self.count, dtype=bool)
        self.problems: list[RowProblem] = list(raw.problems)

    def column(self, field: str) -> Any:
        if self.raw.has(field):
            return self.raw.table.column(field).combine_chunks()
        return pa.nulls(self.count, pa.string())

    def flag(self, rows: Any, field: str, reason: str | list[str]) -> None:
        positions = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        if not len(positions):
            return
        self.bad[positions] = True
        lines = self.raw.lines[positions]
        name = header_of(field)
        reasons = [reason] * len(positions) if isinstance(reason, str) else reason
        self.problems.extend(
            RowProblem(why, feature=int(line), field=name)
            for line, why in zip(lines, reasons, strict=True)
        )


def validate_registry(raw: RawTable, *, changes: bool, as_of: date) -> ValidatedRows:
    check = _Checker(raw)
    columns: dict[str, Any] = {"line": pa.array(raw.lines)}
    wanted = (*REGISTRY_COLUMNS, *(CHANGE_COLUMNS if changes else ()))
    for column in wanted:
        columns[column.field] = _check_column(check, column)
    _born_before(check, columns, changes=changes, as_of=as_of)
    if changes:
        _happened_by(check, columns["effective_on"], as_of=as_of)
    digits = {}
    for field, length in NUMBERED_FIELDS.items():
        columns[field], digits[field] = _numbered(check, field, columns[field], length)
    columns["my_number"], my_number_ok = _my_number(check, columns["my_number"])
    if changes:
        _check_status_after_change(check, columns["change"], columns["status"])
    address_numbers = checks.as_int64(columns["address_number"], digits["address_number"], 10)
    known = np.flatnonzero(digits["address_number"])
    if not changes:
        others = duplicate_rows(address_numbers[known])
        check.flag(known[others.rows], "address_number", _also_on(check, known[others.other_rows]))
    numbers = checks.as_int64(columns["my_number"], my_number_ok, 12)
    held = np.flatnonzero(my_number_ok & digits["address_number"])
    shared = shared_rows(numbers[held], address_numbers[held])
    reasons = [
        f"the same 個人番号 is on line {line} for another 宛名番号"
        for line in raw.lines[held[shared.other_rows]]
    ]
    check.flag(held[shared.rows], "my_number", reasons)
    return ValidatedRows(pa.table(columns), ~check.bad, check.problems)


def _also_on(check: _Checker, other_rows: Any) -> list[str]:
    return [f"the same 宛名番号 is on line {line} too" for line in check.raw.lines[other_rows]]


def _check_column(check: _Checker, column: Column) -> Any:
    values = check.column(column.field)
    missing = values.is_null().to_numpy(zero_copy_only=False)
    if column.required:
        check.flag(missing, column.field, "required")
    if column.max_length is not None:
        too_long = pc.fill_null(pc.greater(pc.utf8_length(values), column.max_length), False)
        check.flag(too_long.to_numpy(False), column.field, f"longer than {column.max_length}")
    if column.field in LABELS:
        return _labelled(check, column.field, values)
    if column.field in DATE_FIELDS:
        return _dates(check, column.field, values)
    if column.field == "name_kana":
        # Half-width katakana (ｳﾗﾔｽ) is stored full width; the space between family and given
        # name stays the full-width one (NFKC would make it ASCII).
        plain = pc.replace_substring(pc.utf8_normalize(values, "NFKC"), " ", "\u3000")
        katakana = pc.fill_null(pc.match_substring_regex(plain, KATAKANA), True)
        check.flag(pc.invert(katakana).to_numpy(False), column.field, "must be katakana")
        return plain
    return values


def _labelled(check: _Checker, field: str, values: Any) -> Any:
    labels = LABELS[field]
    plain = pc.utf8_normalize(values, "NFKC")
    position = pc.index_in(plain, value_set=pa.array(list(labels)))
    unknown = pc.and_(pc.is_valid(values), pc.is_null(position)).to_numpy(False)
    check.flag(unknown, field, f"must be one of {', '.join(labels)}")
    return pa.array(list(labels.values())).take(position)


def _dates(check: _Checker, field: str, values: Any) -> Any:
    parsed = parse_date_column(values)
    for reason, rows in parsed.errors.items():
        check.flag(rows, field, reason)
    return parsed.values


def _born_before(check: _Checker, columns: dict[str, Any], *, changes: bool, as_of: date) -> None:
    """Nobody is born after the date a full file describes, or after their own 異動日."""
    birth = columns["birth_date"]
    if changes:
        later = pc.greater(birth, columns["effective_on"])
        reason = "after the 異動日 of the row"
    else:
        later = pc.greater(birth, pa.scalar(as_of, pa.date32()))
        reason = "after the date of the file (--as-of)"
    check.flag(pc.fill_null(later, False).to_numpy(False), "birth_date", reason)


def _happened_by(check: _Checker, effective_on: Any, *, as_of: date) -> None:
    """A change file reports what has happened: a later 異動日 would make a person gone (or
    arrived) before the day itself, for every count and event declared in between."""
    later = pc.fill_null(pc.greater(effective_on, pa.scalar(as_of, pa.date32())), False)
    check.flag(later.to_numpy(False), "effective_on", "after the date of the file (--as-of)")


def _numbered(check: _Checker, field: str, values: Any, length: int) -> tuple[Any, Mask]:
    plain = pc.utf8_normalize(values, "NFKC")
    digits = checks.all_digits(plain, length)
    present = plain.is_valid().to_numpy(zero_copy_only=False)
    check.flag(present & ~digits, field, f"must be {length} digits")
    if field in ("address_number", "household_number"):
        good = checks.m11_valid(plain, digits)
        check.flag(digits & ~good, field, "check digit is wrong")
        digits = good
    return plain, digits


def _my_number(check: _Checker, values: Any) -> tuple[Any, Mask]:
    plain = pc.utf8_normalize(values, "NFKC")
    digits = checks.all_digits(plain, 12)
    present = plain.is_valid().to_numpy(zero_copy_only=False)
    check.flag(present & ~digits, "my_number", "must be 12 digits")
    good = checks.my_number_valid(plain, digits)
    check.flag(digits & ~good, "my_number", "check digit is wrong")
    return plain, good


def _check_status_after_change(check: _Checker, change: Any, status: Any) -> None:
    labels = {v: k for k, v in LABELS["status"].items()}
    change_labels = {v: k for k, v in LABELS["change"].items()}
    for kind, expected in STATUS_AFTER_CHANGE.items():
        if expected is None:
            continue
        wrong = pc.and_(pc.equal(change, kind.value), pc.not_equal(status, expected.value))
        check.flag(
            pc.fill_null(wrong, False).to_numpy(False),
            "status",
            f"must be {labels[expected.value]} after {change_labels[kind.value]}",
        )
