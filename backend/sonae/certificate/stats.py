"""Issued, pending and backlog per day: whether certificates keep up with applications.

Days are Japan days (Asia/Tokyo). For each day d:
  received  applications made on d
  issued    first certificates issued on d (re-issues are counted apart: reissued)
  pending   applications made on or before d and not yet issued at the end of d
  backlog   the pending ones that had waited at least target_days full days by the end of d
            (applied on or before d − target_days): Kumamoto's month-old pile, early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.errors import InvalidInputError
from sonae.event.clock import disaster_date
from sonae.event.service import get_municipal_event

MAX_DAYS = 3660


@dataclass(frozen=True)
class DayStats:
    day: date
    received: int
    issued: int
    reissued: int
    pending: int
    backlog: int
    issued_total: int


_QUERY = text(
    """
    WITH days AS (
        SELECT d::date AS day FROM generate_series(CAST(:start AS date), CAST(:end AS date),
                                                   interval '1 day') AS d
    ),
    apps AS (
        SELECT (applied_at AT TIME ZONE 'Asia/Tokyo')::date AS applied_on,
               (first_issued_at AT TIME ZONE 'Asia/Tokyo')::date AS issued_on
        FROM certificate_application
        WHERE municipality_code = :code AND event_id = :event
    ),
    reissues AS (
        SELECT (issued_at AT TIME ZONE 'Asia/Tokyo')::date AS issued_on, count(*) AS n
        FROM damage_certificate
        WHERE municipality_code = :code AND event_id = :event AND reissue_of IS NOT NULL
        GROUP BY 1
    )
    SELECT days.day,
           count(apps.applied_on) FILTER (WHERE apps.applied_on = days.day) AS received,
           count(apps.applied_on) FILTER (WHERE apps.issued_on = days.day) AS issued,
           coalesce(max(reissues.n), 0) AS reissued,
           count(apps.applied_on) FILTER (
               WHERE apps.applied_on <= days.day
                 AND (apps.issued_on IS NULL OR apps.issued_on > days.day)) AS pending,
           count(apps.applied_on) FILTER (
               WHERE apps.applied_on <= days.day - CAST(:target AS integer)
                 AND (apps.issued_on IS NULL OR apps.issued_on > days.day)) AS backlog,
           count(apps.applied_on) FILTER (WHERE apps.issued_on <= days.day) AS issued_total
    FROM days
    LEFT JOIN apps ON true
    LEFT JOIN reissues ON reissues.issued_on = days.day
    GROUP BY days.day
    ORDER BY days.day
    """
)


def daily_stats(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    target_days: int = 7,
    start: date | None = None,
    end: date | None = None,
) -> list[DayStats]:
    """One row per day from the event's first day (or start) to today (or end)."""
    event = get_municipal_event(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    first = start or disaster_date(event)
    last = end or japan_time.today()
    if last < first:
        raise InvalidInputError("end: before the start")
    if (last - first) > timedelta(days=MAX_DAYS):
        raise InvalidInputError(f"the period is longer than {MAX_DAYS} days")
    if not 1 <= target_days <= 365:
        raise InvalidInputError("target_days: between 1 and 365")
    rows = session.execute(
        _QUERY,
        {
            "start": first,
            "end": last,
            "code": municipality_code,
            "event": event_id,
            "target": target_days,
        },
    )
    return [
        DayStats(
            day=row.day,
            received=row.received,
            issued=row.issued,
            reissued=int(row.reissued),
            pending=row.pending,
            backlog=row.backlog,
            issued_total=row.issued_total,
        )
        for row in rows
    ]
