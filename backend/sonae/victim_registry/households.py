"""What the support features share about a household and an event.

A household is (municipality_code, household_number) of the registry; its members are the
people with status resident. The disaster date (the event's start in Japan time, which the
laws' deadlines count from) is event.clock.disaster_date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from sonae.certificate.models import DamageCertificate
from sonae.certificate.service import IssuedCertificate
from sonae.errors import NotFoundError
from sonae.registry.models import Person, ResidentStatus


def members(*, session: Session, municipality_code: str, household_number: str) -> list[Person]:
    """Resident members, head (世帯主) first, then by age (oldest first) and id."""
    people = session.scalars(
        select(Person).where(
            Person.municipality_code == municipality_code,
            Person.household_number == household_number,
            Person.status == ResidentStatus.resident,
        )
    ).all()
    return sorted(people, key=lambda p: (p.relation_to_head != "世帯主", p.birth_date, p.id))


def require_household(*, session: Session, municipality_code: str, household_number: str) -> None:
    """The household is in the registry: someone of this municipality has (or had) its number.
    Former members count, so a household whose members all died or left can still be given
    support and recorded."""
    known = session.scalar(
        select(Person.id)
        .where(
            Person.municipality_code == municipality_code,
            Person.household_number == household_number,
        )
        .limit(1)
    )
    if known is None:
        raise NotFoundError(f"household {household_number}: not in the resident registry")


def require_members(
    *, session: Session, municipality_code: str, household_number: str
) -> list[Person]:
    found = members(
        session=session, municipality_code=municipality_code, household_number=household_number
    )
    if not found:
        raise NotFoundError(f"household {household_number}: no resident members")
    return found


def sizes(
    *, session: Session, municipality_code: str, household_numbers: Iterable[str]
) -> dict[str, int]:
    wanted = sorted(set(household_numbers))
    if not wanted:
        return {}
    rows = session.execute(
        select(Person.household_number, func.count())
        .where(
            Person.municipality_code == municipality_code,
            Person.household_number.in_(wanted),
            Person.status == ResidentStatus.resident,
        )
        .group_by(Person.household_number)
    ).all()
    return {number: int(count) for number, count in rows}


def latest_certificates(
    *, session: Session, municipality_code: str, event_id: int
) -> dict[str, IssuedCertificate]:
    """Every household's certificate in force for the event, in one query.

    The bulk twin of certificate.service.latest_certificate (same order: the highest sequence
    wins); push notices and exports need all households at once.
    """
    rows = session.execute(
        select(
            DamageCertificate.household_number,
            DamageCertificate.serial,
            DamageCertificate.damage_level,
            DamageCertificate.issued_at,
        )
        .where(
            DamageCertificate.municipality_code == municipality_code,
            DamageCertificate.event_id == event_id,
        )
        .ext(distinct_on(DamageCertificate.household_number))
        .order_by(DamageCertificate.household_number, DamageCertificate.sequence.desc())
    ).all()
    return {
        row.household_number: IssuedCertificate(
            serial=row.serial, damage_level=row.damage_level, issued_at=row.issued_at
        )
        for row in rows
    }


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def heads(people: Sequence[Person]) -> dict[str, Person]:
    """The head (世帯主) of each household among `people`, else its first member."""
    chosen: dict[str, Person] = {}
    for person in sorted(people, key=lambda p: (p.relation_to_head != "世帯主", p.id)):
        chosen.setdefault(person.household_number, person)
    return chosen
