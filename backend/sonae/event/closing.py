"""What must be finished before an event is closed.

Closing is final: phases never move back, and a closed event takes no new work (certificates,
livelihood applications, housing moves). So it is refused while residents still depend on the
event: a shelter open, a certificate applied for and not issued, a livelihood application not
decided or not paid, a household that may still apply for livelihood support before its
deadline (the push-notice list: up to 37 months after the disaster), or a household waiting for
or living in temporary housing. A typhoon that passes without damage has none of these and
closes at once. The refusal gives counts only, never who.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from sonae.certificate.models import CertificateApplication
from sonae.errors import ConflictError
from sonae.event.models import DisasterEvent
from sonae.housing.models import HousingApplication, HousingStatus
from sonae.livelihood.models import ApplicationStatus, LivelihoodApplication
from sonae.livelihood.notices import push_notices
from sonae.sheltering.models import ShelterOpening

HOUSING_OPEN = (
    HousingStatus.received,
    HousingStatus.waiting,
    HousingStatus.allocated,
    HousingStatus.moved_in,
)
LIVELIHOOD_OPEN = (ApplicationStatus.received, ApplicationStatus.approved)


def require_nothing_outstanding(*, session: Session, event: DisasterEvent, today: date) -> None:
    """Raise ConflictError (409) listing what is left, if anything."""
    left = [f"{count} {what}" for what, count in outstanding(session, event, today) if count]
    if left:
        raise ConflictError(
            f"event {event.id} cannot be closed yet: {', '.join(left)}; "
            "finish or record them first (closing is final)"
        )


def outstanding(session: Session, event: DisasterEvent, today: date) -> list[tuple[str, int]]:
    """(what, how many) for each kind of unfinished work, zeros included."""
    eligible = push_notices(
        session=session, municipality_code=event.municipality_code, event_id=event.id, as_of=today
    )
    return [
        (
            "shelters open",
            _count(session, event, ShelterOpening, ShelterOpening.closed_at.is_(None)),
        ),
        (
            "certificate applications not issued",
            _count(
                session,
                event,
                CertificateApplication,
                CertificateApplication.first_issued_at.is_(None),
            ),
        ),
        (
            "livelihood applications not decided or not paid",
            _count(
                session,
                event,
                LivelihoodApplication,
                LivelihoodApplication.status.in_(LIVELIHOOD_OPEN),
            ),
        ),
        (
            "households that may still apply for livelihood support before the deadline",
            len({notice.household_number for notice in eligible}),
        ),
        (
            "temporary housing applications waiting or households living there",
            _count(session, event, HousingApplication, HousingApplication.status.in_(HOUSING_OPEN)),
        ),
    ]


def _count(
    session: Session,
    event: DisasterEvent,
    model: type[
        ShelterOpening | CertificateApplication | LivelihoodApplication | HousingApplication
    ],
    condition: ColumnElement[bool],
) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(model)
            .where(
                model.municipality_code == event.municipality_code,
                model.event_id == event.id,
                condition,
            )
        )
        or 0
    )
