"""Dates as registries write them: 和暦 (令和5年4月1日, 平成元年1月8日, R5.4.1) or 西暦.

Each era is checked against its real span: 平成31年5月1日 does not exist (令和 began on
2019-05-01), nor does 令和元年4月30日. Full-width digits and letters are normalised (NFKC).
A column is parsed once per distinct text (a city has far fewer distinct birth dates than
residents) by Arrow and numpy kernels, then spread back to the rows: a Python call per
distinct text cost Nishinomiya's first import 0.4 s of its validation's 1.1 s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sonae.registry.arrow import flat

Ints = np.ndarray[Any, np.dtype[np.int64]]


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
EPOCH = date(1970, 1, 1)
_LABELS = [label for era in ERAS for label in (era.name, era.letter)]
"""Each era by name, then by letter: an era's position in ERAS is its label's // 2. A list, made
an Arrow array where used: pyarrow's first conversion imports pandas (0.15 s), which importing
this module (as the consent and support commands do) should not cost."""
_FIRST = np.array([(era.first_day - EPOCH).days for era in ERAS])
_LAST = np.array([(era.last_day - EPOCH).days if era.last_day else 2**31 for era in ERAS])
_FIRST_YEAR = np.array([era.first_day.year for era in ERAS])

# RE2, Arrow's engine. [0-9]: the text is NFKC-normalised already.
_MONTH_DAY = (
    r"(?:年(?P<m1>[0-9]{1,2})月(?P<d1>[0-9]{1,2})日|[-/.](?P<m2>[0-9]{1,2})[-/.](?P<d2>[0-9]{1,2}))"
)
_WAREKI = rf"^(?P<era>明治|大正|昭和|平成|令和|[MTSHR])(?P<year>元|[0-9]{{1,2}}){_MONTH_DAY}$"
_SEIREKI = rf"^(?P<year>[0-9]{{4}}){_MONTH_DAY}$"

OK, NOT_A_DATE, NO_SUCH_DAY = 0, 1, 2
_REASONS = [
    "",
    "not a date (和暦 such as 令和5年4月1日 or R5.4.1, or 西暦 such as 1990-04-01)",
    "no such day in the calendar",
]
for _era in ERAS:
    _REASONS += [
        f"{_era.name} has no year 0",
        f"{_era.name} began on {_era.first_day.isoformat()}",
        f"{_era.name} ended on {_era.last_day.isoformat() if _era.last_day else ''}",
    ]
NO_YEAR_0, BEGAN, ENDED = 3, 4, 5
"""Codes of an era's own reasons: these plus 3 × its position in ERAS."""


@dataclass(frozen=True)
class ParsedDates:
    values: Any
    """pyarrow date32 array (null where the cell was empty or wrong)."""
    errors: dict[str, np.ndarray[Any, np.dtype[np.intp]]]
    """reason -> row positions with that reason."""


def parse_date(text: str) -> date | str:
    """The date, or the reason it is not one (never repeating the text)."""
    parsed = parse_date_column(pa.array([text], pa.string()))
    value: date | None = parsed.values[0].as_py()
    return value if value is not None else next(iter(parsed.errors))


def read_date(text: str) -> date:
    """The date (surrounding blanks ignored), or ValueError saying why (never quoting it)."""
    parsed = parse_date(text.strip())
    if isinstance(parsed, str):
        raise ValueError(parsed)
    return parsed


def parse_date_column(column: Any) -> ParsedDates:
    """Parse a string column; every reason maps to the rows that have it."""
    encoded = pc.dictionary_encode(flat(column))
    safe = pc.fill_null(encoded.indices, 0).to_numpy().astype(np.intp)
    present = encoded.indices.is_valid().to_numpy(zero_copy_only=False)
    if not len(encoded.dictionary):
        return ParsedDates(pa.nulls(len(safe), pa.date32()), {})
    days, codes = _parse_distinct(encoded.dictionary)
    row_codes = codes[safe]
    valid = present & (row_codes == OK)
    values = pa.array(np.where(valid, days[safe], 0).astype(np.int32), mask=~valid)
    bad = present & ~valid
    errors = {
        _REASONS[code]: np.flatnonzero(bad & (row_codes == code))
        for code in np.unique(row_codes[bad])
    }
    return ParsedDates(values.cast(pa.date32()), errors)


def _parse_distinct(texts: Any) -> tuple[Ints, Ints]:
    """(days since 1970-01-01, reason code) of each text."""
    plain = pc.utf8_upper(pc.replace_substring(pc.utf8_normalize(texts, "NFKC"), " ", ""))
    codes = np.full(len(plain), NOT_A_DATE)
    days = np.zeros(len(plain), dtype=np.int64)

    seireki = pc.extract_regex(plain, _SEIREKI)
    rows = seireki.is_valid().to_numpy(zero_copy_only=False)
    day, exists = _calendar_days(_ints(seireki.field("year")), *_month_day(seireki))
    days[rows], codes[rows] = day[rows], np.where(exists, OK, NO_SUCH_DAY)[rows]

    wareki = pc.extract_regex(plain, _WAREKI)
    rows = wareki.is_valid().to_numpy(zero_copy_only=False)
    labels = pa.array(_LABELS)
    era = pc.fill_null(pc.index_in(wareki.field("era"), value_set=labels), 0).to_numpy() // 2
    number = np.where(_is(wareki.field("year"), "元"), 1, _ints(wareki.field("year")))
    day, exists = _calendar_days(_FIRST_YEAR[era] + number - 1, *_month_day(wareki))
    code = np.where(day > _LAST[era], ENDED + 3 * era, OK)
    code = np.where(day < _FIRST[era], BEGAN + 3 * era, code)
    code = np.where(exists, code, NO_SUCH_DAY)
    code = np.where(number == 0, NO_YEAR_0 + 3 * era, code)
    days[rows], codes[rows] = day[rows], code[rows]
    return days, codes


def _month_day(match: Any) -> tuple[Ints, Ints]:
    """Month and day, from whichever of the two notations matched."""
    month = pc.if_else(_is(match.field("m1"), ""), match.field("m2"), match.field("m1"))
    day = pc.if_else(_is(match.field("d1"), ""), match.field("d2"), match.field("d1"))
    return _ints(month), _ints(day)


def _is(values: Any, text: str) -> Any:
    return pc.equal(values, text).to_numpy(zero_copy_only=False)


def _ints(digits: Any) -> Ints:
    """Digit strings as integers; anything else (a group that did not match) as 0."""
    numeric = pc.match_substring_regex(digits, r"^[0-9]+$")
    result: Ints = pc.cast(pc.if_else(numeric, digits, "0"), pa.int64()).to_numpy()
    return result


def _calendar_days(year: Ints, month: Ints, day: Ints) -> tuple[Ints, Any]:
    """Days since 1970-01-01, and whether the date exists (years 1 to 9999, like date())."""
    exists = (year >= 1) & (year <= 9999) & (month >= 1) & (month <= 12) & (day >= 1)
    months = (np.where(exists, year, 1970) - 1970) * 12 + np.where(exists, month, 1) - 1
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    following = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    exists &= day <= following - first
    return first + day - 1, exists
