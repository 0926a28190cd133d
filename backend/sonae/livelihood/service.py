"""Livelihood-support applications and payments: received, decided, paid, each step recorded.

Eligibility comes from the household's certificate in force (certificate.service), raised to
解体 or 長期避難 when staff record it; the amount from the table (livelihood.table).

A level taken from the certificate must still be the household's level: receiving, approving and
paying are refused while the certificate is outdated (a re-survey or a criteria switch changed
the judgement; certificate.change), and approving and paying also when the application was
received at another level than the certificate now states (it is to be rejected or withdrawn,
and applied for again). 解体 and 長期避難 do not depend on the judgement, so they are not held up.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.certificate.service import current_certificate, latest_certificate
from sonae.errors import ConflictError, InvalidInputError, NotFoundError
from sonae.event.clock import disaster_date, require_event_date, server_clock
from sonae.event.phases import Workflow, require_workflow_open
from sonae.event.service import get_municipal_event
from sonae.livelihood.models import (
    APPLICATION_STATUS_LABELS,
    ApplicationStatus,
    LivelihoodApplication,
    LivelihoodApplicationHistory,
    LivelihoodPayment,
)
from sonae.livelihood.table import (
    SUPPORT_KIND_LABELS,
    Plan,
    SupportKind,
    SupportLevel,
    deadline,
    estimate,
    require_plan_fits,
)
from sonae.logging import get_logger
from sonae.victim_registry.households import require_members

log = get_logger(__name__)

S = ApplicationStatus
TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.received: frozenset({S.approved, S.rejected, S.withdrawn}),
    S.approved: frozenset({S.paid, S.withdrawn}),
    S.rejected: frozenset(),
    S.withdrawn: frozenset(),
    S.paid: frozenset(),
}
"""paid is reached only by recording a payment (record_payment)."""

LIVE = (S.received, S.approved, S.paid)
"""Statuses that count as having applied (a rejected or withdrawn one does not block)."""

STAFF_LEVELS = frozenset({SupportLevel.demolition, SupportLevel.long_term_evacuation})
"""Levels recorded by staff, not read from the certificate."""


def applied_level(
    certificate_level: str | None, *, demolition: bool, long_term_evacuation: bool
) -> SupportLevel:
    """長期避難 and 解体 are recorded by staff and override the certificate's level."""
    if long_term_evacuation:
        return SupportLevel.long_term_evacuation
    if certificate_level is None:
        raise ConflictError("no damage certificate issued for this household and event")
    if demolition:
        return SupportLevel.demolition
    return SupportLevel(certificate_level)


def household_applications(
    *, session: Session, municipality_code: str, event_id: int, household_number: str
) -> list[LivelihoodApplication]:
    return list(
        session.scalars(
            select(LivelihoodApplication)
            .where(
                LivelihoodApplication.municipality_code == municipality_code,
                LivelihoodApplication.event_id == event_id,
                LivelihoodApplication.household_number == household_number,
            )
            .order_by(LivelihoodApplication.id)
        ).all()
    )


def _already_additional(existing: list[LivelihoodApplication], plan: Plan) -> int:
    """What the household already has in additional support; refuse what the law does not allow:
    only a rent grant may come before another one (then build or repair)."""
    live = [a for a in existing if a.kind is SupportKind.additional and a.status in LIVE]
    for earlier in live:
        if earlier.plan is not Plan.rent or plan is Plan.rent:
            raise ConflictError(
                f"the household already has additional support for plan {earlier.plan.value} "
                f"(application {earlier.id}): only rent may be followed by build or repair"
            )
    return sum(a.amount for a in live)


def _recorded_level(level: SupportLevel, existing: list[LivelihoodApplication]) -> SupportLevel:
    """解体 once staff recorded it on a live application of the household: 解体 is recorded per
    application, and a later one without the flag would otherwise fall back to the certificate's
    level and let a demolished dwelling be 'repaired'. A rejected or withdrawn application does
    not count (the demolition may be what was not proven)."""
    if any(a.level is SupportLevel.demolition and a.status in LIVE for a in existing):
        return SupportLevel.demolition
    return level


def receive(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    household_number: str,
    kind: SupportKind,
    plan: Plan,
    applied_on: date,
    received_by: str,
    demolition: bool = False,
    long_term_evacuation: bool = False,
) -> LivelihoodApplication:
    event = get_municipal_event(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    require_workflow_open(Workflow.livelihood_support, event.phase)
    if kind is SupportKind.basic and plan is not Plan.none:
        raise InvalidInputError("plan: basic support takes plan none (the plan is for additional)")
    if kind is SupportKind.additional and plan is Plan.none:
        raise InvalidInputError("plan: additional support needs build, repair or rent")
    now = server_clock(session)
    require_event_date(field="applied_on", on=applied_on, event=event, now=now)
    last_day = deadline(kind, disaster_date(event))
    if applied_on > last_day:
        raise ConflictError(
            f"{kind.value} ({SUPPORT_KIND_LABELS[kind]}): the deadline was {last_day.isoformat()}"
        )
    size = len(
        require_members(
            session=session, municipality_code=municipality_code, household_number=household_number
        )
    )
    # A level read from the certificate must be the one in force; 解体/長期避難 (staff) do not
    # read it, so an outdated certificate does not hold them up.
    read = latest_certificate if demolition or long_term_evacuation else current_certificate
    certificate = read(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        household_number=household_number,
    )
    level = applied_level(
        certificate.damage_level if certificate else None,
        demolition=demolition,
        long_term_evacuation=long_term_evacuation,
    )
    existing = household_applications(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        household_number=household_number,
    )
    require_plan_fits(_recorded_level(level, existing), plan)
    already = 0
    if kind is SupportKind.basic:
        if any(a.kind is SupportKind.basic and a.status in LIVE for a in existing):
            raise ConflictError("the household has already applied for basic support")
    else:
        already = _already_additional(existing, plan)
    amounts = estimate(level=level, household_size=size, plan=plan, additional_already=already)
    amount = amounts.basic if kind is SupportKind.basic else amounts.additional
    if amount == 0:
        raise ConflictError(
            f"not eligible: level {level.value} with plan {plan.value} gives no "
            f"{kind.value} support"
        )
    application = LivelihoodApplication(
        municipality_code=municipality_code,
        event_id=event_id,
        household_number=household_number,
        kind=kind,
        plan=plan,
        level=level,
        certificate_serial=certificate.serial if certificate else None,
        household_size=size,
        amount=amount,
        applied_on=applied_on,
        deadline=last_day,
        status=S.received,
        received_by=received_by,
    )
    session.add(application)
    session.flush()
    _history(session, application, None, S.received, None, received_by)
    log.info("livelihood application received", application_id=application.id)
    return application


def get(*, session: Session, municipality_code: str, application_id: int) -> LivelihoodApplication:
    found = session.get(LivelihoodApplication, (municipality_code, application_id))
    if found is None:
        raise NotFoundError(f"livelihood application {application_id}: not found")
    return found


def transition(
    *,
    session: Session,
    municipality_code: str,
    application_id: int,
    to: ApplicationStatus,
    reason: str | None,
    changed_by: str,
) -> LivelihoodApplication:
    application = get(
        session=session, municipality_code=municipality_code, application_id=application_id
    )
    if to is S.paid:
        raise ConflictError("paid: record a payment instead")
    _check(application.status, to)
    if to is S.approved:
        _require_level_in_force(session, application)
    reason = (reason or "").strip() or None  # whitespace only (U+3000 too) is no reason
    if to is S.rejected and not reason:
        raise InvalidInputError("reason: a rejection needs its reason (不支給の理由)")
    _history(session, application, application.status, to, reason, changed_by)
    application.status = to
    session.flush()
    return application


def record_payment(
    *,
    session: Session,
    municipality_code: str,
    application_id: int,
    amount: int,
    paid_on: date,
    reference: str | None,
    recorded_by: str,
) -> LivelihoodPayment:
    application = get(
        session=session, municipality_code=municipality_code, application_id=application_id
    )
    _check(application.status, S.paid)
    _require_level_in_force(session, application)
    if amount != application.amount:
        raise InvalidInputError(
            f"amount: {amount} differs from the decided amount {application.amount}"
        )
    _check_paid_on(session, application, paid_on)
    payment = LivelihoodPayment(
        municipality_code=municipality_code,
        application_id=application_id,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        recorded_by=recorded_by,
    )
    session.add(payment)
    _history(session, application, application.status, S.paid, reference, recorded_by)
    application.status = S.paid
    session.flush()
    return payment


def history(
    *, session: Session, municipality_code: str, application_id: int
) -> list[LivelihoodApplicationHistory]:
    return list(
        session.scalars(
            select(LivelihoodApplicationHistory)
            .where(
                LivelihoodApplicationHistory.municipality_code == municipality_code,
                LivelihoodApplicationHistory.application_id == application_id,
            )
            .order_by(LivelihoodApplicationHistory.id)
        ).all()
    )


def payments(
    *, session: Session, municipality_code: str, application_ids: list[int]
) -> list[LivelihoodPayment]:
    if not application_ids:
        return []
    return list(
        session.scalars(
            select(LivelihoodPayment)
            .where(
                LivelihoodPayment.municipality_code == municipality_code,
                LivelihoodPayment.application_id.in_(application_ids),
            )
            .order_by(LivelihoodPayment.id)
        ).all()
    )


def _require_level_in_force(session: Session, application: LivelihoodApplication) -> None:
    """The amount was fixed at receipt from the certificate's level: decide and pay it only while
    that is still the household's level (rejecting or withdrawing stays possible)."""
    if application.level in STAFF_LEVELS:
        return
    certificate = current_certificate(
        session=session,
        municipality_code=application.municipality_code,
        event_id=application.event_id,
        household_number=application.household_number,
    )
    if certificate is None or SupportLevel(certificate.damage_level) is not application.level:
        stated = (
            f"{certificate.serial} states {certificate.damage_level.value}"
            if certificate
            else "none"
        )
        raise ConflictError(
            f"application {application.id} was received at level {application.level.value}, "
            f"but the certificate in force ({stated}) does not: review the application "
            "(reject or withdraw it; a new application follows the certificate)"
        )


def _check_paid_on(session: Session, application: LivelihoodApplication, paid_on: date) -> None:
    """Not in the future, not before the disaster, and not before the application: a payment
    answers an application."""
    event = get_municipal_event(
        session=session,
        municipality_code=application.municipality_code,
        event_id=application.event_id,
    )
    require_event_date(field="paid_on", on=paid_on, event=event, now=server_clock(session))
    if paid_on < application.applied_on:
        raise InvalidInputError("field 'paid_on': before the application was made (applied_on)")


def _check(current: ApplicationStatus, to: ApplicationStatus) -> None:
    if to not in TRANSITIONS[current]:
        raise ConflictError(
            f"status {current.value} ({APPLICATION_STATUS_LABELS[current]}) → {to.value} "
            f"({APPLICATION_STATUS_LABELS[to]}) is not allowed"
        )


def _history(
    session: Session,
    application: LivelihoodApplication,
    from_status: ApplicationStatus | None,
    to_status: ApplicationStatus,
    reason: str | None,
    by: str,
) -> None:
    session.add(
        LivelihoodApplicationHistory(
            municipality_code=application.municipality_code,
            application_id=application.id,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            changed_by=by,
        )
    )
