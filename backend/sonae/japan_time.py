"""Japan time (Asia/Tokyo), the zone every date and time shown to a user is in.

Timestamps are stored as timestamptz and come back in the connection's zone, and the server's
clock may be UTC; the users, the paper and the laws' deadlines are in Japan time, so anything
printed or shown goes through here (a UTC host printed the day before between 00:00 and 09:00).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment

JST = ZoneInfo("Asia/Tokyo")
SHOWN = "%Y-%m-%d %H:%M"


def now() -> datetime:
    """The current time in Japan (the one clock printed pages and exports take)."""
    return datetime.now(JST)


def today() -> date:
    """Today in Japan: a municipality's day, whatever zone the server keeps (on a UTC host,
    date.today() is still yesterday until 09:00 in Japan)."""
    return now().date()


def in_japan(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a time without a zone cannot be shown in Japan time")
    return moment.astimezone(JST)


def japan_date(moment: datetime) -> date:
    return in_japan(moment).date()


def shown(moment: datetime) -> str:
    """Date and minute in Japan time, e.g. for command-line tables ('2026-11-24 05:00')."""
    return in_japan(moment).strftime(SHOWN)


def install_filters(environment: Environment) -> None:
    """`{{ x | jst }}` in templates: the same instant in Japan time (then .date(), strftime)."""
    environment.filters["jst"] = in_japan
