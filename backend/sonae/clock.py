"""Japan's clock. A municipality's day is a Japan day (Asia/Tokyo) whatever zone the server
keeps: on a UTC host, date.today() is still yesterday until 09:00 in Japan."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")


def now() -> datetime:
    """This instant, in Japan time."""
    return datetime.now(JST)


def today() -> date:
    """Today in Japan."""
    return now().date()
