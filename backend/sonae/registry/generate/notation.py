"""Dates and numbers as registries write them: 和暦 with 元年, abbreviations, full-width digits.

Japanese residents' dates are kept in 和暦 (標準仕様書 1.1.1), foreign residents' in 西暦 (1.1.2).
Formatting is memoised per (day, style): a registry has far fewer distinct dates than people.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sonae.registry.dates import ERAS

WAREKI_STYLES = ("kanji", "abbreviated", "fullwidth", "zero_padded")
SEIREKI_STYLES = ("iso", "slash")
_FULL = str.maketrans("0123456789-", "０１２３４５６７８９－")
_KANJI_DIGITS = "〇一二三四五六七八九"


def fullwidth(text: str) -> str:
    """Digits and hyphens in their full-width forms (１－２)."""
    return text.translate(_FULL)


def kanji_number(n: int) -> str:
    """1–99 in kanji numerals as 丁目 are written: 三, 十, 十二, 二十一."""
    if not 1 <= n <= 99:
        raise ValueError(f"{n} is outside 1–99")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _KANJI_DIGITS[tens] + "十")
    return head + (_KANJI_DIGITS[ones] if ones else "")


def era_of(day: date) -> tuple[str, str, int]:
    """(era name, abbreviation, year of the era) of a day."""
    for era in reversed(ERAS):
        if day >= era.first_day:
            return era.name, era.letter, day.year - era.first_day.year + 1
    raise ValueError(f"{day} is before 明治")


@lru_cache(maxsize=200_000)
def wareki(ordinal: int, style: str = "kanji") -> str:
    """昭和25年3月1日 (kanji), S25.3.1, 昭和２５年３月１日, 昭和25年03月01日; year 1 is 元年."""
    day = date.fromordinal(ordinal)
    name, abbreviation, year = era_of(day)
    if style == "abbreviated":
        return f"{abbreviation}{year}.{day.month}.{day.day}"
    year_text = "元" if year == 1 else str(year)
    if style == "zero_padded":
        return f"{name}{year_text}年{day.month:02d}月{day.day:02d}日"
    text = f"{name}{year_text}年{day.month}月{day.day}日"
    return fullwidth(text) if style == "fullwidth" else text


@lru_cache(maxsize=200_000)
def seireki(ordinal: int, style: str = "iso") -> str:
    """1990-04-01 (iso) or 1990/4/1 (slash)."""
    day = date.fromordinal(ordinal)
    return day.isoformat() if style == "iso" else f"{day.year}/{day.month}/{day.day}"


def format_date(ordinal: int, foreign: bool, style: int) -> str:
    """The date in the calendar of the resident's kind, in the style with that index."""
    if foreign:
        return seireki(ordinal, SEIREKI_STYLES[style])
    return wareki(ordinal, WAREKI_STYLES[style])
