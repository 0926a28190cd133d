"""Dates as registries write them: 和暦 (令和5年4月1日, 平成元年1月8日, R5.4.1) or 西暦.

Each era is checked against its real span: 平成31年5月1日 does not exist (令和 began on
2019-05-01), nor does 令和元年4月30日. Full-width digits and letters are normalised (NFKC).
Columns are parsed once per distinct text (dates repeat: a city has far fewer distinct birth
dates than residents), then spread back to the rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sonae.registry.arrow import flat


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    first_day: date
    last_day: date | None


ERAS = (
    Era("明治", "M", date(1868, 10, 23), date(1912, 7, 29)),
    Era("大正", "T", date(1912, 7, 30), date(1926, 12, 24)),
    Era("昭和", "S", date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "R", date(2019, 5, 1), None),
)
_BY_LABEL = {label: era for era in ERAS for label in (era.name, era.letter)}

_WAREKI = re.compile(
    r"(?P<era>明治|大正|昭和|平成|令和|[MTSHR])(?P<year>元|\d{1,2})"
    r"(?:年(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日|[./-](?P<m2>\d{1,2})[./-](?P<d2>\d{1,2}))"
)
_SEIREKI = re.compile(
    r"(?P<year>\d{4})(?:[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})|年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日)"
)
EPOCH = date(1970, 1, 1)


def parse_date(text: str) -> date | str:
    """The date, or the reason it is not one (never repeating the text)."""
    plain = unicodedata.normalize("NFKC", text).replace(" ", "").upper()
    if match := _WAREKI.fullmatch(plain):
        return _wareki(match)
    if match := _SEIREKI.fullmatch(plain):
        day = _calendar_date(
            int(match["year"]), int(match["m1"] or match["m2"]), int(match["d1"] or match["d2"])
        )
        return day if day is not None else "no such day in the calendar"
    return "not a date (和暦 such as 令和5年4月1日 or R5.4.1, or 西暦 such as 1990-04-01)"


def _wareki(match: re.Match[str]) -> date | str:
    era = _BY_LABEL[match["era"]]
    number = 1 if match["year"] == "元" else int(match["year"])
    if number == 0:
        return f"{era.name} has no year 0"
    day = _calendar_date(
        era.first_day.year + number - 1,
        int(match["m1"] or match["m2"]),
        int(match["d1"] or match["d2"]),
    )
    if day is None:
        return "no such day in the calendar"
    if day < era.first_day:
        return f"{era.name} began on {era.first_day.isoformat()}"
    if era.last_day is not None and day > era.last_day:
        return f"{era.name} ended on {era.last_day.isoformat()}"
    return day


def _calendar_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class ParsedDates:
    values: Any
    """pyarrow date32 array (null where the cell was empty or wrong)."""
    errors: dict[str, np.ndarray[Any, np.dtype[np.intp]]]
    """reason -> row positions with that reason."""


def parse_date_column(column: Any) -> ParsedDates:
    """Parse a string column, one Python call per distinct value."""
    encoded = pc.dictionary_encode(flat(column))
    dictionary = encoded.dictionary.to_pylist()
    days = np.zeros(len(dictionary), dtype=np.int32)
    ok = np.zeros(len(dictionary), dtype=bool)
    reasons: dict[str, list[int]] = {}
    for position, text in enumerate(dictionary):
        parsed = parse_date(text)
        if isinstance(parsed, date):
            days[position] = (parsed - EPOCH).days
            ok[position] = True
        else:
            reasons.setdefault(parsed, []).append(position)
    safe = pc.fill_null(encoded.indices, 0).to_numpy().astype(np.intp)
    present = encoded.indices.is_valid().to_numpy(zero_copy_only=False)
    if not dictionary:
        return ParsedDates(pa.nulls(len(safe), pa.date32()), {})
    valid = present & ok[safe]
    values = pa.array(np.where(valid, days[safe], 0), type=pa.int32(), mask=~valid)
    values = values.cast(pa.date32())
    errors = {}
    for reason, positions in reasons.items():
        bad = np.isin(safe, np.asarray(positions)) & present
        errors[reason] = np.flatnonzero(bad)
    return ParsedDates(values, errors)
