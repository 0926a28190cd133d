"""Closing an event is refused while residents still depend on it (event.closing)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from livelihood.factory import issue_certificate, make_event, make_household
from sqlalchemy.orm import Session

from event_town import declare
from sonae import japan_time
from sonae.certificate.models import ApplicationChannel, CertificateApplication
from sonae.damage.levels import DamageLevel
from sonae.errors import ConflictError
from sonae.event import service
from sonae.event.models import DisasterEvent, EventPhase
from sonae.housing.models import HousingApplication, HousingStatus
from sonae.livelihood.models import ApplicationStatus, LivelihoodApplication
from sonae.livelihood.table import Plan, SupportKind, SupportLevel
from sonae.shelter.models import ShelterKind
from sonae.sheltering.openings import close_shelter, open_shelter
from support.factory import Town

ADULT = date(1980, 5, 5)
TODAY = date(2026, 11, 24)
"""The disaster of make_event struck on 2024-01-01: the basic deadline (13 months) has passed,
the additional one (37 months, 2027-01-31) has not."""


def close(session: Session, event: DisasterEvent) -> None:
    service.move_phase(
        session=session, event_id=event.id, to_phase=EventPhase.closed, reason="終結", moved_by="hq"
    )


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(japan_time, "today", lambda: TODAY)


def test_an_event_with_nothing_left_closes_at_once(town: Town) -> None:
    event = declare(town)  # a typhoon that passed: no shelter, no application
    close(town.session, event)
    assert event.phase is EventPhase.closed


def test_an_open_shelter_keeps_the_event_open_until_it_is_closed(town: Town) -> None:
    event = declare(town)
    shelter = town.shelter("公民館", (100, 100), kind=ShelterKind.designated_shelter)
    open_shelter(session=town.session, event=event, shelter_id=shelter.id, opened_by="desk")
    with pytest.raises(ConflictError, match=r"cannot be closed yet: 1 shelters open;"):
        close(town.session, event)
    assert event.phase is EventPhase.initial_response and event.closed_at is None

    close_shelter(session=town.session, event=event, shelter_id=shelter.id, closed_by="desk")
    close(town.session, event)
    assert event.phase is EventPhase.closed


def test_unfinished_certificates_livelihood_and_housing_are_counted(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event(session, phase=EventPhase.reconstruction, started=date(2024, 1, 1))
    make_household(session, "CL-A", [ADULT, ADULT])
    certificate = issue_certificate(session, event, "CL-A", DamageLevel.total_collapse)
    issued = session.get(
        CertificateApplication, (certificate.municipality_code, certificate.application_id)
    )
    assert issued is not None
    issued.first_issued_at = datetime(2024, 1, 10, tzinfo=UTC)
    waiting = CertificateApplication(
        municipality_code=event.municipality_code,
        event_id=event.id,
        household_number="CL-B",
        applicant_address_number="T000000001",
        channel=ApplicationChannel.counter,
        received_by="clerk",
    )
    payment = _livelihood(event, "CL-A", certificate.serial)
    tenancy = _housing(event, "CL-A", certificate.serial)
    session.add_all([waiting, payment, tenancy])
    session.flush()

    with pytest.raises(ConflictError) as refused:
        close(session, event)
    message = str(refused.value)
    assert "1 certificate applications not issued" in message
    assert "1 livelihood applications not decided or not paid" in message
    # CL-A applied for basic only: it may still apply for the additional support until 2027-01-31
    assert "1 households that may still apply for livelihood support" in message
    assert "1 temporary housing applications waiting or households living there" in message
    assert "shelters open" not in message  # zeros are not listed
    assert "CL-A" not in message and "CL-B" not in message

    waiting.first_issued_at = datetime(2024, 1, 20, tzinfo=UTC)
    payment.status = ApplicationStatus.paid
    tenancy.status = HousingStatus.moved_out
    monkeypatch.setattr(japan_time, "today", lambda: date(2027, 2, 1))  # all deadlines past
    close(session, event)
    assert event.phase is EventPhase.closed


def _livelihood(event: DisasterEvent, household: str, serial: str) -> LivelihoodApplication:
    return LivelihoodApplication(
        municipality_code=event.municipality_code,
        event_id=event.id,
        household_number=household,
        kind=SupportKind.basic,
        plan=Plan.none,
        level=SupportLevel.total_collapse,
        certificate_serial=serial,
        household_size=2,
        amount=1_000_000,
        applied_on=date(2024, 2, 1),
        deadline=date(2025, 1, 31),
        status=ApplicationStatus.approved,
        received_by="clerk",
    )


def _housing(event: DisasterEvent, household: str, serial: str) -> HousingApplication:
    return HousingApplication(
        municipality_code=event.municipality_code,
        event_id=event.id,
        household_number=household,
        damage_level=DamageLevel.total_collapse,
        certificate_serial=serial,
        cannot_secure_housing=True,
        applied_on=date(2024, 2, 1),
        status=HousingStatus.moved_in,
        moved_in_on=date(2024, 3, 1),
        received_by="clerk",
    )
