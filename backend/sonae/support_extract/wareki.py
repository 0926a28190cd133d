"""Dates as municipal files and printed lists write them: 西暦 or 和暦 (令和6年4月1日, R6.4.1)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

ERAS = (
    ("令和", "R", date(2019, 5, 1)),
    ("平成", "H", date(1989, 1, 8)),
    ("昭和", "S", date(1926, 12, 25)),
    ("大正", "T", date(1912, 7, 30)),
    ("明治", "M", date(1868, 10, 23)),
)
_BY_NAME = {name: start for name, _, start in ERAS} | {letter: start for _, letter, start in ERAS}
_SEIREKI = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_WAREKI = re.compile(
    r"^(令和|平成|昭和|大正|明治|[RHSTM])(元|\d{1,2})[./年](\d{1,2})[./月](\d{1,2})日?$"
)


def parse_date(value: str) -> date:
    """2024-04-01, 2024/4/1, 2024年4月1日, 令和6年4月1日, 令和元年5月1日, R6.4.1; ValueError."""
    text = unicodedata.normalize("NFKC", value).strip().upper().replace(" ", "")
    if match := _SEIREKI.match(text):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := _WAREKI.match(text):
        start = _BY_NAME[match[1]]
        year = start.year + (1 if match[2] == "元" else int(match[2])) - 1
        result = date(year, int(match[3]), int(match[4]))
        if result < start:
            raise ValueError(f"{value!r} is before the start of its era")
        return result
    raise ValueError(f"{value!r} is not a date (2024-04-01, 令和6年4月1日 or R6.4.1)")


def format_wareki(value: date) -> str:
    """令和6年4月1日 (元年 for the first year)."""
    for name, _, start in ERAS:
        if value >= start:
            number = value.year - start.year + 1
            return f"{name}{'元' if number == 1 else number}年{value.month}月{value.day}日"
    return f"{value.year}年{value.month}月{value.day}日"
