"""Every time shown to a user is Japan time, whatever the server's zone (sonae.japan_time)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sonae import japan_time

EVENING_UTC = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # 05:00 on the 24th in Japan


def test_a_utc_evening_is_the_next_morning_in_japan() -> None:
    assert japan_time.japan_date(EVENING_UTC) == date(2026, 11, 24)
    assert japan_time.shown(EVENING_UTC) == "2026-11-24 05:00"
    other = EVENING_UTC.astimezone(timezone(timedelta(hours=-5)))
    assert japan_time.shown(other) == "2026-11-24 05:00"  # any zone in, Japan time out


def test_now_is_in_japan_time() -> None:
    assert japan_time.now().utcoffset() == timedelta(hours=9)


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="without a zone"):
        japan_time.shown(datetime(2026, 11, 23, 20, 0))
