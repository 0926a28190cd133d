"""Certificate applications, issuance, re-issue and the read other features rely on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.certificate.models import DamageCertificate
from sonae.damage.levels import DamageLevel


@dataclass(frozen=True)
class IssuedCertificate:
    serial: str
    damage_level: DamageLevel
    issued_at: datetime


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
