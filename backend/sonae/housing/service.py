"""Applications and tenancies of temporary housing (災害救助法); the sites are housing.sites.

Eligibility at the counter: a certificate in force for the event at 全壊, or at 大規模半壊 /
半壊 (and 中規模半壊, which lies between them) when the dwelling must be demolished; and the
household cannot secure housing itself, which staff record with a note.

Dates a client sends (applied_on, move-in and move-out `on`) follow event.clock: not after today
in Japan, not before the disaster date; and they keep their order: application ≤ allocation ≤
move-in ≤ move-out. The allocation has no date of its own from the client: it is the Japan date
on which the run allocated the household (its history row, the server's clock). No rule is
made of the 2-year period: a move-out after it is recorded as it happened (periods are extended
by notice after large disasters).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.certificate.service import latest_certificate
from sonae.damage.levels import DAMAGE_LEVEL_LABELS, DamageLevel
from sonae.errors import ConflictError, InvalidInputError, NotFoundError
from sonae.event.clock import require_event_date, server_clock
from sonae.event.phases import Workflow, require_workflow_open
from sonae.event.service import get_municipal_event
from sonae.housing.models import (
    HOUSING_STATUS_LABELS,
    HousingApplication,
    HousingApplicationHistory,
    HousingStatus,
)
from sonae.japan_time import japan_date
from sonae.livelihood.table import add_months_period_end
from sonae.logging import get_logger
from sonae.text import require_text
from sonae.victim_registry.households import require_members

log = get_logger(__name__)

TENANCY_MONTHS = 24
"""災害救助法: 供与期間は2年以内 (counted here from move-in; see docs)."""

DEMOLITION_LEVELS = frozenset(
    {DamageLevel.large_scale_half, DamageLevel.medium_scale_half, DamageLevel.half}
)

H = HousingStatus
TRANSITIONS: dict[HousingStatus, frozenset[HousingStatus]] = {
    H.received: frozenset({H.allocated, H.waiting, H.rejected, H.withdrawn}),
    H.waiting: frozenset({H.allocated, H.waiting, H.withdrawn}),
    H.allocated: frozenset({H.moved_in, H.withdrawn}),
    H.moved_in: frozenset({H.moved_out}),
    H.moved_out: frozenset(),
    H.rejected: frozenset(),
    H.withdrawn: frozenset(),
}
LIVE = (H.received, H.waiting, H.allocated, H.moved_in)
OCCUPYING = (H.allocated, H.moved_in)


def eligibility_refusal(
    level: DamageLevel | None, *, demolition: bool, cannot_secure: bool
) -> str | None:
    """None when eligible, else the reason (English, no personal data)."""
    if level is None:
        return "no damage certificate issued for this household and event"
    if level is not DamageLevel.total_collapse and not (demolition and level in DEMOLITION_LEVELS):
        return (
            f"level {level.value} ({DAMAGE_LEVEL_LABELS[level]}): only total_collapse, or"
            " large/medium-scale half or half with demolition, is eligible"
        )
    if not cannot_secure:
        return "the household must be unable to secure housing itself (cannot_secure_housing)"
    return None


def receive(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    household_number: str,
    applied_on: date,
    cannot_secure_housing: bool,
    received_by: str,
    demolition: bool = False,
    needs_barrier_free: bool = False,
    housing_note: str | None = None,
) -> HousingApplication:
    event = get_municipal_event(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    require_workflow_open(Workflow.temporary_housing, event.phase)
    require_event_date(field="applied_on", on=applied_on, event=event, now=server_clock(session))
    people = require_members(
        session=session, municipality_code=municipality_code, household_number=household_number
    )
    certificate = latest_certificate(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        household_number=household_number,
    )
    level = certificate.damage_level if certificate else None
    refusal = eligibility_refusal(level, demolition=demolition, cannot_secure=cannot_secure_housing)
    if refusal is not None or certificate is None:
        raise ConflictError(f"not eligible for temporary housing: {refusal}")
    if _live(session, municipality_code, event_id, household_number):
        raise ConflictError("the household already has a housing application in progress")
    application = HousingApplication(
        municipality_code=municipality_code,
        event_id=event_id,
        household_number=household_number,
        damage_level=certificate.damage_level,
        certificate_serial=certificate.serial,
        demolition=demolition,
        cannot_secure_housing=cannot_secure_housing,
        housing_note=housing_note,
        needs_barrier_free=needs_barrier_free,
        chome_key_code=people[0].chome_key_code,
        applied_on=applied_on,
        status=H.received,
        received_by=received_by,
    )
    session.add(application)
    session.flush()
    record_history(session, application, None, H.received, None, received_by)
    log.info("housing application received", application_id=application.id)
    return application


def get(*, session: Session, municipality_code: str, application_id: int) -> HousingApplication:
    found = session.get(HousingApplication, (municipality_code, application_id))
    if found is None:
        raise NotFoundError(f"housing application {application_id}: not found")
    return found


def household_applications(
    *, session: Session, municipality_code: str, event_id: int, household_number: str
) -> list[HousingApplication]:
    return list(
        session.scalars(
            select(HousingApplication)
            .where(
                HousingApplication.municipality_code == municipality_code,
                HousingApplication.event_id == event_id,
                HousingApplication.household_number == household_number,
            )
            .order_by(HousingApplication.id)
        ).all()
    )


def close(
    *,
    session: Session,
    municipality_code: str,
    application_id: int,
    to: HousingStatus,
    reason: str,
    changed_by: str,
) -> HousingApplication:
    """Reject or withdraw (辞退). Allocation and moves have their own functions."""
    if to not in (H.rejected, H.withdrawn):
        raise InvalidInputError("to: only rejected or withdrawn here")
    application = get(
        session=session, municipality_code=municipality_code, application_id=application_id
    )
    reason = require_text(field="reason", value=reason)
    move(session, application, to, reason, changed_by)
    application.site_id = None if to is H.withdrawn else application.site_id
    session.flush()
    return application


def move_in(
    *, session: Session, municipality_code: str, application_id: int, on: date, changed_by: str
) -> HousingApplication:
    application = get(
        session=session, municipality_code=municipality_code, application_id=application_id
    )
    _require_tenancy_date(session, application, on)
    if on < application.applied_on:
        raise InvalidInputError("field 'on': before the application was made (applied_on)")
    allocated_on = _allocated_on(session, application)
    if allocated_on is not None and on < allocated_on:
        raise InvalidInputError(
            f"field 'on': before the allocation (入居決定 on {allocated_on.isoformat()})"
        )
    move(session, application, H.moved_in, None, changed_by)
    application.moved_in_on = on
    application.limit_on = tenancy_limit(on)
    session.flush()
    return application


def move_out(
    *, session: Session, municipality_code: str, application_id: int, on: date, changed_by: str
) -> HousingApplication:
    application = get(
        session=session, municipality_code=municipality_code, application_id=application_id
    )
    _require_tenancy_date(session, application, on)
    if application.moved_in_on is not None and on < application.moved_in_on:
        raise InvalidInputError("field 'on': before the move-in (moved_in_on)")
    move(session, application, H.moved_out, None, changed_by)
    application.moved_out_on = on
    session.flush()
    return application


def tenancy_limit(moved_in_on: date) -> date:
    """The last day of the 2-year tenancy, counted from move-in (起算して2年を経過する日)."""
    return add_months_period_end(moved_in_on, TENANCY_MONTHS)


def expiring(
    *, session: Session, municipality_code: str, event_id: int, as_of: date, within_days: int
) -> list[HousingApplication]:
    """Tenancies still occupied whose limit is past or falls within `within_days` of as_of."""
    horizon = as_of + timedelta(days=within_days)
    return list(
        session.scalars(
            select(HousingApplication)
            .where(
                HousingApplication.municipality_code == municipality_code,
                HousingApplication.event_id == event_id,
                HousingApplication.status == H.moved_in,
                HousingApplication.limit_on <= horizon,
            )
            .order_by(HousingApplication.limit_on, HousingApplication.id)
        ).all()
    )


def move(
    session: Session,
    application: HousingApplication,
    to: HousingStatus,
    reason: str | None,
    by: str,
) -> None:
    current = application.status
    if to not in TRANSITIONS[current]:
        raise ConflictError(
            f"status {current.value} ({HOUSING_STATUS_LABELS[current]}) → {to.value} "
            f"({HOUSING_STATUS_LABELS[to]}) is not allowed"
        )
    record_history(session, application, current, to, reason, by)
    application.status = to


def record_history(
    session: Session,
    application: HousingApplication,
    from_status: HousingStatus | None,
    to_status: HousingStatus,
    reason: str | None,
    by: str,
) -> None:
    session.add(
        HousingApplicationHistory(
            municipality_code=application.municipality_code,
            application_id=application.id,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            changed_by=by,
        )
    )


def _require_tenancy_date(session: Session, application: HousingApplication, on: date) -> None:
    """A move-in or move-out day: not after today in Japan, not before the disaster (422)."""
    event = get_municipal_event(
        session=session,
        municipality_code=application.municipality_code,
        event_id=application.event_id,
    )
    require_event_date(field="on", on=on, event=event, now=server_clock(session))


def _allocated_on(session: Session, application: HousingApplication) -> date | None:
    """The Japan date of the household's latest allocation (入居決定), from its history."""
    at = session.scalar(
        select(func.max(HousingApplicationHistory.changed_at)).where(
            HousingApplicationHistory.municipality_code == application.municipality_code,
            HousingApplicationHistory.application_id == application.id,
            HousingApplicationHistory.to_status == H.allocated,
        )
    )
    return None if at is None else japan_date(at)


def _live(session: Session, municipality_code: str, event_id: int, household_number: str) -> bool:
    return (
        session.scalar(
            select(HousingApplication.id)
            .where(
                HousingApplication.municipality_code == municipality_code,
                HousingApplication.event_id == event_id,
                HousingApplication.household_number == household_number,
                HousingApplication.status.in_(LIVE),
            )
            .limit(1)
        )
        is not None
    )
