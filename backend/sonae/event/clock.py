"""The one rule for times and dates a client sends about an event: not before the event started,
not ahead of the server's clock (beyond CLOCK_SKEW).

Why: the safety status follows the report with the latest observation time, a stay cannot be
checked out before its check-in and a shelter cannot close before its opening. One tablet with
its clock a year ahead would then lock a person's status and stay, and the shelter, until that
date. Times the server reads from its own clock are not checked.

The server's clock is the database's (clock_timestamp()), the same clock that stamps the times
a client leaves out. Dates are Japan dates (Asia/Tokyo): the disaster date is the event's start
in Japan time, which is what the laws' deadlines count from.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.errors import InvalidInputError
from sonae.event.models import DisasterEvent
from sonae.japan_time import japan_date

CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of the server's clock a client's time may be: tablets and phones drift a few
minutes from network time, and a check-in typed "now" at the desk must not be refused for
that. More than this is a wrong clock or a typo, not a skew."""


def server_clock(session: Session) -> datetime:
    """The database's clock now (not the transaction's start)."""
    now: datetime = session.execute(select(func.clock_timestamp())).scalar_one()
    return now


def disaster_date(event: DisasterEvent) -> date:
    """The day the disaster struck, in Japan."""
    return japan_date(event.started_at)


def require_not_ahead(*, field: str, at: datetime, now: datetime) -> None:
    """Refuse (422) a client's time ahead of now + CLOCK_SKEW: the half of the rule that needs
    no event (an event's own start time, before the event exists)."""
    if at > now + CLOCK_SKEW:
        raise InvalidInputError(f"field '{field}': {_AHEAD}")


EARLIEST_EVENT_START = date(2013, 6, 21)
"""The earliest day (in Japan) an event may have started: 災害対策基本法 as amended that day
(平成25年法律第54号) gave the 罹災証明書 (第90条の2) and the 被災者台帳 (第90条の3) that Sonae's
workflows follow. An earlier start is a typo (1900 for 2026), and every deadline and statistic
would count from it. A fixed day, not a span back from today: a rule that moves with the clock
would refuse tomorrow what it accepts today."""


def require_lawful_start(*, field: str, at: datetime) -> None:
    """Refuse (422) an event start before EARLIEST_EVENT_START."""
    if japan_date(at) < EARLIEST_EVENT_START:
        raise InvalidInputError(
            f"field '{field}': before {EARLIEST_EVENT_START.isoformat()}, when the law Sonae "
            "follows (災害対策基本法, 罹災証明書 and 被災者台帳) took its present form"
        )


def require_event_time(*, field: str, at: datetime, event: DisasterEvent, now: datetime) -> None:
    """Refuse (422) a client's time ahead of now + CLOCK_SKEW or before the event started."""
    require_not_ahead(field=field, at=at, now=now)
    if at < event.started_at:
        raise InvalidInputError(f"field '{field}': before the event started")


def require_event_date(*, field: str, on: date, event: DisasterEvent, now: datetime) -> None:
    """Refuse (422) a client's date after today in Japan or before the disaster date (a form
    filled in on the disaster's day is fine)."""
    if on > japan_date(now + CLOCK_SKEW):
        raise InvalidInputError(f"field '{field}': in the future (after today in Japan)")
    if on < disaster_date(event):
        raise InvalidInputError(f"field '{field}': before the disaster")


_AHEAD = (
    f"in the future (more than {int(CLOCK_SKEW.total_seconds() // 60)} minutes ahead of the "
    "server's clock)"
)
