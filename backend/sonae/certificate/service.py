"""Certificate applications, issuance, re-issue and the read other features rely on.

A certificate always prints the judgement in force when it is issued. It is outdated when what it
states no longer holds (certificate.change: another level, or another survey; a criteria switch
that keeps both does not outdate it). A re-issue prints the judgement in force under a new
serial; the earlier certificate stays on record. Livelihood support refuses to decide on an
outdated certificate (current_certificate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from sonae.certificate.change import Change, change_between, level_and_survey
from sonae.certificate.models import (
    ApplicationChannel,
    CertificateApplication,
    DamageCertificate,
)
from sonae.certificate.template import current_template
from sonae.damage.judging import current_judgement, judgements_in_force
from sonae.damage.levels import DamageLevel
from sonae.damage.models import DamageJudgement
from sonae.dwelling.models import DwellingHousehold
from sonae.errors import ConflictError, InvalidInputError, NotFoundError
from sonae.event.phases import Workflow
from sonae.event.service import get_municipal_event, get_open_event
from sonae.logging import get_logger
from sonae.registry.models import Person, ResidentStatus
from sonae.text import require_text

log = get_logger(__name__)


@dataclass(frozen=True)
class IssuedCertificate:
    serial: str
    damage_level: DamageLevel
    issued_at: datetime


def change_since(*, session: Session, certificate: DamageCertificate) -> Change | None:
    """How the household's judgement in force differs from what the certificate states."""
    judgement = judgement_for_household(
        session=session,
        municipality_code=certificate.municipality_code,
        event_id=certificate.event_id,
        household_number=certificate.household_number,
    )
    if judgement is None:
        return None
    printed_survey = session.scalar(
        select(DamageJudgement.survey_id).where(
            DamageJudgement.municipality_code == certificate.municipality_code,
            DamageJudgement.id == certificate.judgement_id,
        )
    )
    assert printed_survey is not None  # foreign key
    return change_between(
        (certificate.damage_level, printed_survey), (judgement.level, judgement.survey_id)
    )


def current_certificate(
    *, session: Session, municipality_code: str, event_id: int, household_number: str
) -> IssuedCertificate | None:
    """The certificate in force, refused when outdated: support must follow the judgement in
    force, and the household must hold a certificate that states it."""
    row = _latest_row(session, municipality_code, event_id, household_number)
    if row is None:
        return None
    change = change_since(session=session, certificate=row)
    if change is not None:
        raise ConflictError(
            f"certificate {row.serial} is outdated ({change.summary}): re-issue the "
            "certificate, then review the application"
        )
    return IssuedCertificate(
        serial=row.serial, damage_level=row.damage_level, issued_at=row.issued_at
    )


def latest_certificate(
    *, session: Session, municipality_code: str, event_id: int, household_number: str
) -> IssuedCertificate | None:
    """The certificate in force for a household: the latest issued (a re-issue replaces the
    earlier one), or None when none has been issued yet."""
    row = session.execute(
        select(
            DamageCertificate.serial, DamageCertificate.damage_level, DamageCertificate.issued_at
        )
        .where(
            DamageCertificate.municipality_code == municipality_code,
            DamageCertificate.event_id == event_id,
            DamageCertificate.household_number == household_number,
        )
        .order_by(DamageCertificate.sequence.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return None
    return IssuedCertificate(
        serial=row.serial, damage_level=row.damage_level, issued_at=row.issued_at
    )


def apply(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    applicant_address_number: str,
    channel: ApplicationChannel,
    received_by: str,
    applied_at: datetime | None = None,
) -> CertificateApplication:
    """One application per household and event, made by a resident member of the household."""
    get_open_event(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        workflow=Workflow.damage_certificates,
    )
    applicant = session.scalars(
        select(Person).where(
            Person.municipality_code == municipality_code,
            Person.address_number == applicant_address_number,
        )
    ).one_or_none()
    if applicant is None or applicant.status is not ResidentStatus.resident:
        raise NotFoundError("applicant_address_number: no resident with this 宛名番号")
    existing = session.scalar(
        select(CertificateApplication.id).where(
            CertificateApplication.municipality_code == municipality_code,
            CertificateApplication.event_id == event_id,
            CertificateApplication.household_number == applicant.household_number,
        )
    )
    if existing is not None:
        raise ConflictError(f"the household already applied (application {existing})")
    application = CertificateApplication(
        municipality_code=municipality_code,
        event_id=event_id,
        household_number=applicant.household_number,
        applicant_address_number=applicant_address_number,
        channel=channel,
        received_by=received_by,
    )
    if applied_at is not None:
        application.applied_at = applied_at
    session.add(application)
    session.flush()
    return application


def get_application(
    *, session: Session, municipality_code: str, event_id: int, application_id: int
) -> CertificateApplication:
    found = session.get(CertificateApplication, (municipality_code, application_id))
    if found is None or found.event_id != event_id:
        raise NotFoundError(
            f"certificate application {application_id} not found in event {event_id}"
        )
    return found


def next_sequence(*, session: Session, municipality_code: str, event_id: int) -> int:
    """The next serial of the event. The upsert takes the counter row's lock, so concurrent
    transactions queue here; the unique constraint on (event, sequence) is the backstop."""
    value = session.execute(
        text(
            "INSERT INTO certificate_serial_counter AS c (municipality_code, event_id, last_value) "
            "VALUES (:code, :event, 1) "
            "ON CONFLICT (municipality_code, event_id) "
            "DO UPDATE SET last_value = c.last_value + 1 RETURNING c.last_value"
        ),
        {"code": municipality_code, "event": event_id},
    ).scalar_one()
    return int(value)


def format_serial(municipality_code: str, event_id: int, sequence: int) -> str:
    return f"{municipality_code}-{event_id}-{sequence:06d}"


def judgement_for_household(
    *, session: Session, municipality_code: str, event_id: int, household_number: str
) -> DamageJudgement | None:
    dwelling_id = session.scalar(
        select(DwellingHousehold.dwelling_id).where(
            DwellingHousehold.municipality_code == municipality_code,
            DwellingHousehold.household_number == household_number,
        )
    )
    if dwelling_id is None:
        return None
    return current_judgement(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        dwelling_id=dwelling_id,
    )


def _latest_row(
    session: Session, municipality_code: str, event_id: int, household_number: str
) -> DamageCertificate | None:
    return session.scalars(
        select(DamageCertificate)
        .where(
            DamageCertificate.municipality_code == municipality_code,
            DamageCertificate.event_id == event_id,
            DamageCertificate.household_number == household_number,
        )
        .order_by(DamageCertificate.sequence.desc())
        .limit(1)
    ).one_or_none()


def issue(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    application_id: int,
    issued_by: str,
    reissue_reason: str | None = None,
) -> DamageCertificate:
    """Issue the household's certificate with the judgement in force.

    A second issue is a re-issue: it needs a reason, unless what the last one states changed
    (then the reason recorded says what changed: the level, or the survey).
    """
    get_open_event(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        workflow=Workflow.damage_certificates,
    )
    application = get_application(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        application_id=application_id,
    )
    judgement = judgement_for_household(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        household_number=application.household_number,
    )
    if judgement is None:
        raise ConflictError("the household's dwelling has no damage judgement yet: survey first")
    if reissue_reason is not None:
        reissue_reason = require_text(field="reissue_reason", value=reissue_reason)
    previous = _latest_row(session, municipality_code, event_id, application.household_number)
    if previous is not None and reissue_reason is None:
        change = change_since(session=session, certificate=previous)
        if change is None:
            raise ConflictError(
                f"certificate {previous.serial} already states the judgement in force (same "
                "level, same survey); a re-issue needs a reason"
            )
        reissue_reason = change.reason
    if previous is None and reissue_reason is not None:
        raise InvalidInputError("reissue_reason: nothing has been issued yet")
    template = current_template(session=session, municipality_code=municipality_code)
    sequence = next_sequence(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    certificate = DamageCertificate(
        municipality_code=municipality_code,
        event_id=event_id,
        application_id=application.id,
        household_number=application.household_number,
        sequence=sequence,
        serial=format_serial(municipality_code, event_id, sequence),
        judgement_id=judgement.id,
        damage_level=judgement.level,
        reissue_of=previous.id if previous is not None else None,
        reissue_reason=reissue_reason,
        template_version=template.version,
        issued_by=issued_by,
    )
    session.add(certificate)
    session.flush()
    if application.first_issued_at is None:
        application.first_issued_at = certificate.issued_at
        session.flush()
    log.info("certificate issued", extra={"event_id": event_id, "sequence": sequence})
    return certificate


def get_certificate(
    *, session: Session, municipality_code: str, event_id: int, serial: str
) -> DamageCertificate:
    found = session.scalars(
        select(DamageCertificate).where(
            DamageCertificate.municipality_code == municipality_code,
            DamageCertificate.event_id == event_id,
            DamageCertificate.serial == serial,
        )
    ).one_or_none()
    if found is None:
        raise NotFoundError(f"certificate {serial} not found in event {event_id}")
    return found


def is_outdated(*, session: Session, certificate: DamageCertificate) -> bool:
    """True when what the certificate states no longer holds (certificate.change)."""
    return change_since(session=session, certificate=certificate) is not None


def list_certificates(
    *, session: Session, municipality_code: str, event_id: int, outdated_only: bool = False
) -> list[tuple[DamageCertificate, bool]]:
    """The certificate in force of every household (the latest), with its outdated flag."""
    get_municipal_event(session=session, municipality_code=municipality_code, event_id=event_id)
    latest = (
        select(func.max(DamageCertificate.sequence))
        .where(
            DamageCertificate.municipality_code == municipality_code,
            DamageCertificate.event_id == event_id,
        )
        .group_by(DamageCertificate.household_number)
    )
    rows = list(
        session.scalars(
            select(DamageCertificate)
            .where(
                DamageCertificate.municipality_code == municipality_code,
                DamageCertificate.event_id == event_id,
                DamageCertificate.sequence.in_(latest),
            )
            .order_by(DamageCertificate.sequence)
        )
    )
    in_force = judgements_in_force(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    dwelling_of = dict(
        session.execute(
            select(DwellingHousehold.household_number, DwellingHousehold.dwelling_id).where(
                DwellingHousehold.municipality_code == municipality_code
            )
        ).all()
    )
    facts = level_and_survey(
        session, municipality_code, {*in_force.values(), *(r.judgement_id for r in rows)}
    )
    result = []
    for row in rows:
        current = in_force.get(dwelling_of.get(row.household_number, -1))
        printed = (row.damage_level, facts[row.judgement_id][1])
        outdated = change_between(printed, facts.get(current or -1)) is not None
        if outdated or not outdated_only:
            result.append((row, outdated))
    return result
