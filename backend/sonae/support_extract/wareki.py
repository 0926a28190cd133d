"""Dates as printed lists and notices write them: 和暦 (令和6年4月1日), read by registry/dates."""

from __future__ import annotations

from datetime import date

from sonae.registry.dates import ERAS


def format_wareki(value: date) -> str:
    """令和6年4月1日 (元年 for the first year)."""
    for era in reversed(ERAS):
        if value >= era.first_day:
            number = value.year - era.first_day.year + 1
            return f"{era.name}{'元' if number == 1 else number}年{value.month}月{value.day}日"
    return f"{value.year}年{value.month}月{value.day}日"
