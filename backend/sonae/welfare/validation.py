"""The welfare file (福祉情報, docs/registry_format.md): columns and row checks.

Linked by 宛名番号 only, never by the personal number. Values are checked against the labels
and ranges of each handbook; full-width digits and letters are normalised (NFKC) first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sonae.registry import checks
from sonae.registry.columns import ADDRESS_NUMBER, Column
from sonae.registry.duplicates import duplicate_rows
from sonae.registry.parsing import RawTable
from sonae.registry.problems import RowProblem
from sonae.welfare.models import CARE_LEVEL_LABELS

WELFARE_COLUMNS: tuple[Column, ...] = (
    Column(ADDRESS_NUMBER, "address_number", required=True),
    Column("要介護度", "care_level"),
    Column("身体障害者手帳等級", "physical_disability_grade"),
    Column("身体障害種別", "physical_disability_type"),
    Column("療育手帳", "intellectual_disability_grade"),
    Column("精神障害者保健福祉手帳等級", "mental_disability_grade"),
    Column("難病", "intractable_disease"),
    Column("言語支援", "language_need", max_length=40),
    Column("電話番号", "phone"),
    Column("手上げ", "self_request"),
)
HEADERS = {c.field: c.header for c in WELFARE_COLUMNS}

CHOICES: dict[str, dict[str, Any]] = {
    "care_level": {label: level.value for level, label in CARE_LEVEL_LABELS.items()},
    "physical_disability_grade": {str(g): g for g in range(1, 7)}
    | {f"{g}級": g for g in range(1, 7)},
    "physical_disability_type": {
        t: t for t in ("視覚", "聴覚・平衡", "音声・言語", "肢体不自由", "内部")
    },
    "intellectual_disability_grade": {"A": "A", "B": "B"},
    "mental_disability_grade": {str(g): g for g in range(1, 4)}
    | {f"{g}級": g for g in range(1, 4)},
    "intractable_disease": {"1": True},
    "self_request": {"1": True},
}
"""Accepted cell text (after NFKC) -> stored value, per column."""
DESCRIBED = {
    "care_level": "要支援1–2 or 要介護1–5",
    "physical_disability_grade": "1–6",
    "physical_disability_type": "視覚, 聴覚・平衡, 音声・言語, 肢体不自由 or 内部",
    "intellectual_disability_grade": "A or B",
    "mental_disability_grade": "1–3",
    "intractable_disease": "1 or empty",
    "self_request": "1 or empty",
}
TYPES = {
    "physical_disability_grade": pa.int16(),
    "mental_disability_grade": pa.int16(),
    "intractable_disease": pa.bool_(),
    "self_request": pa.bool_(),
}
PHONE = r"^[0-9][0-9()\-]{5,19}$"


@dataclass
class ValidatedWelfare:
    table: Any
    valid: Any
    problems: list[RowProblem]
    listed: Any
    """Every well-formed 宛名番号 in the file, valid row or not."""


def validate_welfare(raw: RawTable) -> ValidatedWelfare:
    count = int(raw.table.num_rows)
    bad = np.zeros(count, dtype=bool)
    problems = list(raw.problems)

    def flag(rows: Any, field: str, reason: str | list[str]) -> None:
        positions = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        bad[positions] = True
        reasons = [reason] * len(positions) if isinstance(reason, str) else reason
        problems.extend(
            RowProblem(why, feature=int(raw.lines[p]), field=HEADERS[field])
            for p, why in zip(positions, reasons, strict=True)
        )

    def column(field: str) -> Any:
        if raw.has(field):
            return pc.utf8_normalize(raw.table.column(field).combine_chunks(), "NFKC")
        return pa.nulls(count, pa.string())

    numbers = column("address_number")
    flag(numbers.is_null().to_numpy(zero_copy_only=False), "address_number", "required")
    digits = checks.all_digits(numbers, 10)
    flag(numbers.is_valid().to_numpy(False) & ~digits, "address_number", "must be 10 digits")
    good = checks.m11_valid(numbers, digits)
    flag(digits & ~good, "address_number", "check digit is wrong")
    values = checks.as_int64(numbers, good, 10)
    known = np.flatnonzero(good)
    twice = duplicate_rows(values[known])
    flag(
        known[twice.rows],
        "address_number",
        [f"the same 宛名番号 is on line {raw.lines[known[o]]} too" for o in twice.other_rows],
    )
    columns: dict[str, Any] = {"line": pa.array(raw.lines), "address_number": numbers}
    for field, choices in CHOICES.items():
        text = column(field)
        text = pc.utf8_upper(text) if field == "intellectual_disability_grade" else text
        position = pc.index_in(text, value_set=pa.array(list(choices)))
        unknown = pc.and_(pc.is_valid(text), pc.is_null(position)).to_numpy(False)
        flag(unknown, field, f"must be {DESCRIBED[field]}")
        stored = pa.array(list(choices.values()), TYPES.get(field, pa.string()))
        columns[field] = stored.take(position)
    language = column("language_need")
    too_long = pc.fill_null(pc.greater(pc.utf8_length(language), 40), False).to_numpy(False)
    flag(too_long, "language_need", "longer than 40")
    columns["language_need"] = language
    phone = column("phone")
    phone_ok = pc.fill_null(pc.match_substring_regex(phone, PHONE), True).to_numpy(False)
    flag(~phone_ok, "phone", "must be digits, hyphens or parentheses (6–20)")
    columns["phone"] = phone
    table = pa.table(columns)
    return ValidatedWelfare(table, ~bad, problems, pc.drop_null(numbers.filter(pa.array(good))))
