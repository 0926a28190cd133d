"""Issued / pending / backlog per day on a hand-made sequence of four applications.

Japan days (Asia/Tokyo). target_days = 3. Applications:
  A applied 11-02 23:30 JST (14:30 UTC), first issued 11-03
  B applied 11-02 09:00 JST, issued 11-10
  C applied 11-03, never issued
  D applied 11-05 00:10 JST (11-04 15:10 UTC: a Japan day later than its UTC day), issued 11-05
pending(d) = applied ≤ d and not issued by the end of d;
backlog(d) = pending and applied ≤ d − 3.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

from damage.factory import URAYASU, make_event
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from sonae.certificate.models import ApplicationChannel, CertificateApplication
from sonae.certificate.stats import daily_stats
from sonae.security.roles import Role

JST = timezone(timedelta(hours=9))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=JST)


def seed(session: Session) -> int:
    event = make_event(session, started_at=datetime(2026, 11, 1, 5, 46, tzinfo=UTC))
    for n, (applied, issued) in enumerate(
        [
            (at(2, 23, 30), at(3, 10)),
            (at(2, 9), at(10, 16)),
            (at(3, 11), None),
            (at(5, 0, 10), at(5, 15)),
        ]
    ):
        session.add(
            CertificateApplication(
                municipality_code=URAYASU,
                event_id=event.id,
                household_number=f"S{n}",
                applicant_address_number=f"A{n}",
                channel=ApplicationChannel.counter,
                received_by="tester",
                applied_at=applied,
                first_issued_at=issued,
            )
        )
    session.flush()
    return event.id


EXPECTED = {
    # day: (received, issued, pending, backlog, issued_total)
    1: (0, 0, 0, 0, 0),
    2: (2, 0, 2, 0, 0),
    3: (1, 1, 2, 0, 1),
    4: (0, 0, 2, 0, 1),
    5: (1, 1, 2, 1, 2),  # B has waited 3 days
    6: (0, 0, 2, 2, 2),  # and C
    7: (0, 0, 2, 2, 2),
    8: (0, 0, 2, 2, 2),
    9: (0, 0, 2, 2, 2),
    10: (0, 1, 1, 1, 3),
}


def test_daily_stats_on_a_hand_made_sequence(session: Session) -> None:
    event_id = seed(session)
    rows = daily_stats(
        session=session,
        municipality_code=URAYASU,
        event_id=event_id,
        target_days=3,
        end=date(2026, 11, 10),
    )
    got = {r.day.day: (r.received, r.issued, r.pending, r.backlog, r.issued_total) for r in rows}
    assert rows[0].day == date(2026, 11, 1)  # from the event's (Japan) day
    assert got == EXPECTED
    assert all(r.reissued == 0 for r in rows)


def test_stats_over_http(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]]
) -> None:
    event_id = seed(session)
    response = client.get(
        f"/api/events/{event_id}/certificates/stats",
        params={"target_days": 3, "start": "2026-11-05", "end": "2026-11-06"},
        headers=auth_headers(Role.hq),
    )
    assert response.status_code == 200, response.text
    assert [(d["day"], d["pending"], d["backlog"]) for d in response.json()] == [
        ("2026-11-05", 2, 1),
        ("2026-11-06", 2, 2),
    ]
    backwards = client.get(
        f"/api/events/{event_id}/certificates/stats",
        params={"start": "2026-11-06", "end": "2026-11-05"},
        headers=auth_headers(Role.hq),
    )
    assert backwards.status_code == 422
