"""Where a dated check-in may go in a person's history of stays.

A tablet that queued offline sends the time it queued (checked_in_at). Such a check-in is
refused (409, naming the index in the request and the later time, no personal data) when the
person has a stay that began or ended after it: placing it would make the stays overlap, and
the safety status (latest observation wins) would disagree with the roster. Fitting it into
the history (shortening the earlier stay, splitting the later one) is not attempted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sonae.errors import ConflictError
from sonae.event.models import DisasterEvent
from sonae.sheltering.models import ShelterStay


def conflict(index: int, later: datetime) -> ConflictError:
    return ConflictError(
        f"field 'checked_in_at': people[{index}] has a stay that began or ended later "
        f"({later.isoformat()}): a check-in cannot be placed before it"
    )


def require_no_later_stay(
    *, session: Session, event: DisasterEvent, new_stays: dict[int, int]
) -> None:
    """new_stays: the stays just inserted, stay id → index in the request. Read after the
    inserts, so a check-out committed meanwhile is seen; only dated check-ins pay for it."""
    if not new_stays:
        return
    other = ShelterStay.__table__.alias("other")
    mine = ShelterStay.__table__.alias("mine")
    later = func.greatest(other.c.checked_in_at, other.c.checked_out_at)
    found = session.execute(
        select(mine.c.id, later)
        .join(
            other,
            (other.c.municipality_code == mine.c.municipality_code)
            & (other.c.event_id == mine.c.event_id)
            & (other.c.person_id == mine.c.person_id)
            & (other.c.id != mine.c.id),
        )
        .where(
            mine.c.municipality_code == event.municipality_code,
            mine.c.id.in_(new_stays),
            later > mine.c.checked_in_at,
        )
        .order_by(mine.c.id)
        .limit(1)
    ).first()
    if found is not None:
        raise conflict(new_stays[found[0]], found[1])


def move_check_in(*, session: Session, event: DisasterEvent, stay_id: int, at: datetime) -> None:
    """Give a stay just inserted a later check-in time (see intake._arrived)."""
    session.execute(
        update(ShelterStay)
        .where(ShelterStay.municipality_code == event.municipality_code, ShelterStay.id == stay_id)
        .values(checked_in_at=at)
    )
