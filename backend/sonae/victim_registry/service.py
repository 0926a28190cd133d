"""The victim registry (被災者台帳, 災害対策基本法 第90条の3) assembled per household.

Nothing is copied: registry facts come from the registry, damage from the certificate in force,
payments and housing from their features, donations and exemptions from victim_support. Safety
confirmation and shelter stays come from SAFETY_SOURCES (victim_registry.safety_sources).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.api.params import PG_INTEGER_MAX
from sonae.certificate.service import IssuedCertificate, latest_certificate
from sonae.errors import InvalidInputError
from sonae.event.clock import require_event_date, server_clock
from sonae.event.service import get_municipal_event
from sonae.housing.models import HousingApplication
from sonae.housing.service import household_applications as housing_applications
from sonae.livelihood import service as livelihood
from sonae.livelihood.models import LivelihoodApplication, LivelihoodPayment
from sonae.registry.models import Person
from sonae.text import require_text
from sonae.victim_registry.households import (
    age_on,
    latest_certificates,
    members,
    require_household,
)
from sonae.victim_registry.models import (
    REGISTRY_ITEMS,
    SupportGivenKind,
    VictimDataProvision,
    VictimSupport,
)
from sonae.victim_registry.safety_items import SafetyItem, SafetySource
from sonae.victim_registry.safety_sources import safety_reports, shelter_stays
from sonae.welfare.models import CARE_LEVEL_LABELS, WelfareRecord

SAFETY_SOURCES: list[SafetySource] = [safety_reports, shelter_stays]
"""Where the registry's safety and shelter facts come from (safety confirmation, shelter stays)."""


@dataclass(frozen=True)
class PersonEntry:
    person: Person
    welfare: WelfareRecord | None
    care_reasons: tuple[str, ...]
    """要配慮者の事由; empty: not a person requiring special care."""


@dataclass
class HouseholdRecord:
    event_id: int
    household_number: str
    members: list[PersonEntry]
    certificate: IssuedCertificate | None
    livelihood: list[LivelihoodApplication]
    payments: list[LivelihoodPayment]
    housing: list[HousingApplication]
    supports: list[VictimSupport]
    provisions: list[VictimDataProvision]
    safety: list[SafetyItem] = field(default_factory=list)

    @property
    def person_ids(self) -> list[int]:
        return [m.person.id for m in self.members]


def care_reasons(person: Person, welfare: WelfareRecord | None, on: date) -> tuple[str, ...]:
    """要配慮者 (法第8条第2項第15号): the elderly, disabled, infants and others needing care."""
    reasons = []
    age = age_on(person.birth_date, on)
    if age >= 65:
        reasons.append("65歳以上")
    if age < 6:
        reasons.append("乳幼児")
    if welfare is not None:
        if welfare.care_level is not None:
            reasons.append(CARE_LEVEL_LABELS[welfare.care_level])
        if welfare.physical_disability_grade is not None:
            reasons.append(f"身体障害者手帳{welfare.physical_disability_grade}級")
        if welfare.intellectual_disability_grade:
            reasons.append(f"療育手帳{welfare.intellectual_disability_grade}")
        if welfare.mental_disability_grade is not None:
            reasons.append(f"精神障害者保健福祉手帳{welfare.mental_disability_grade}級")
        if welfare.intractable_disease:
            reasons.append("難病")
        if welfare.language_need:
            reasons.append(f"言語支援（{welfare.language_need}）")
    return tuple(reasons)


def household_record(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    household_number: str,
    as_of: date,
    asked_for: bool = True,
) -> HouseholdRecord:
    """asked_for: a household someone named (unknown: NotFoundError); the export lists every
    household the event's records name, so one odd record cannot make the whole export fail."""
    get_municipal_event(session=session, municipality_code=municipality_code, event_id=event_id)
    if asked_for:
        require_household(
            session=session, municipality_code=municipality_code, household_number=household_number
        )
    people = members(
        session=session, municipality_code=municipality_code, household_number=household_number
    )
    welfare = _welfare(session, municipality_code, [p.id for p in people])
    entries = [
        PersonEntry(p, welfare.get(p.id), care_reasons(p, welfare.get(p.id), as_of)) for p in people
    ]
    code, number = municipality_code, household_number
    applications = livelihood.household_applications(
        session=session, municipality_code=code, event_id=event_id, household_number=number
    )
    record = HouseholdRecord(
        event_id=event_id,
        household_number=number,
        members=entries,
        certificate=latest_certificate(
            session=session, municipality_code=code, event_id=event_id, household_number=number
        ),
        livelihood=applications,
        payments=livelihood.payments(
            session=session, municipality_code=code, application_ids=[a.id for a in applications]
        ),
        housing=housing_applications(
            session=session, municipality_code=code, event_id=event_id, household_number=number
        ),
        supports=_supports(session, code, event_id, number),
        provisions=_provisions(session, code, event_id, number),
    )
    for source in SAFETY_SOURCES:
        record.safety.extend(source(session, municipality_code, event_id, record.person_ids))
    return record


def record_support(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    household_number: str,
    kind: SupportGivenKind,
    description: str,
    given_on: date,
    recorded_by: str,
    amount: int | None = None,
    person_id: int | None = None,
) -> VictimSupport:
    event = get_municipal_event(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    require_event_date(field="given_on", on=given_on, event=event, now=server_clock(session))
    require_household(
        session=session, municipality_code=municipality_code, household_number=household_number
    )
    people = members(
        session=session, municipality_code=municipality_code, household_number=household_number
    )
    if person_id is not None and person_id not in {p.id for p in people}:
        raise InvalidInputError("person_id: not a resident member of the household")
    if amount is not None and not 0 <= amount <= PG_INTEGER_MAX:
        raise InvalidInputError(f"amount: from 0 to {PG_INTEGER_MAX:,} yen")
    support = VictimSupport(
        municipality_code=municipality_code,
        event_id=event_id,
        household_number=household_number,
        person_id=person_id,
        kind=kind,
        description=require_text(field="description", value=description),
        amount=amount,
        given_on=given_on,
        recorded_by=recorded_by,
    )
    session.add(support)
    session.flush()
    return support


def record_provision(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    household_number: str,
    recipient: str,
    purpose: str,
    items: Sequence[str],
    provided_on: date,
    recorded_by: str,
) -> VictimDataProvision:
    event = get_municipal_event(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    require_event_date(field="provided_on", on=provided_on, event=event, now=server_clock(session))
    require_household(
        session=session, municipality_code=municipality_code, household_number=household_number
    )
    # Checked here too, not only by the API schema: what was provided must be nameable later.
    if not items or any(item not in REGISTRY_ITEMS for item in items):
        raise InvalidInputError(f"items: name registry items ({'、'.join(REGISTRY_ITEMS)})")
    provision = VictimDataProvision(
        municipality_code=municipality_code,
        event_id=event_id,
        household_number=household_number,
        recipient=require_text(field="recipient", value=recipient),
        purpose=require_text(field="purpose", value=purpose),
        items=list(dict.fromkeys(items)),
        provided_on=provided_on,
        recorded_by=recorded_by,
    )
    session.add(provision)
    session.flush()
    return provision


def registered_households(*, session: Session, municipality_code: str, event_id: int) -> list[str]:
    """Households the registry holds for an event: any certificate, application or support.
    An unknown event is not found (404), not an empty registry."""
    get_municipal_event(session=session, municipality_code=municipality_code, event_id=event_id)
    numbers = set(
        latest_certificates(session=session, municipality_code=municipality_code, event_id=event_id)
    )
    for model in (LivelihoodApplication, HousingApplication, VictimSupport):
        numbers.update(
            session.scalars(
                select(model.household_number).where(
                    model.municipality_code == municipality_code, model.event_id == event_id
                )
            ).all()
        )
    return sorted(numbers)


def _welfare(
    session: Session, municipality_code: str, person_ids: list[int]
) -> dict[int, WelfareRecord]:
    if not person_ids:
        return {}
    rows = session.scalars(
        select(WelfareRecord).where(
            WelfareRecord.municipality_code == municipality_code,
            WelfareRecord.person_id.in_(person_ids),
        )
    ).all()
    return {w.person_id: w for w in rows}


def _supports(
    session: Session, municipality_code: str, event_id: int, household_number: str
) -> list[VictimSupport]:
    return list(
        session.scalars(
            select(VictimSupport)
            .where(
                VictimSupport.municipality_code == municipality_code,
                VictimSupport.event_id == event_id,
                VictimSupport.household_number == household_number,
            )
            .order_by(VictimSupport.id)
        ).all()
    )


def _provisions(
    session: Session, municipality_code: str, event_id: int, household_number: str
) -> list[VictimDataProvision]:
    return list(
        session.scalars(
            select(VictimDataProvision)
            .where(
                VictimDataProvision.municipality_code == municipality_code,
                VictimDataProvision.event_id == event_id,
                VictimDataProvision.household_number == household_number,
            )
            .order_by(VictimDataProvision.id)
        ).all()
    )
