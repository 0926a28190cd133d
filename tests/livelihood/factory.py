"""Hand-made events, households and certificates for the livelihood, housing and victim-registry
tests: a made-up town whose answers we know. Every name and number here is invented.

Certificates are built through the damage feature's own tables (dwelling → survey → judgement →
application → certificate), as that feature would store them, so certificate.service's
latest_certificate reads them for real.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.certificate.models import ApplicationChannel, CertificateApplication, DamageCertificate
from sonae.damage.levels import DamageLevel
from sonae.damage.models import (
    DamageCriteriaSet,
    DamageJudgement,
    DamageSurvey,
    SurveyHazard,
    SurveyRound,
)
from sonae.dwelling.models import Dwelling, DwellingSource, LocationPrecision, StructureKind
from sonae.event.models import DisasterEvent, EventHazard, EventPhase
from sonae.registry.models import Person, ResidentKind, ResidentStatus, Sex

URAYASU = "122271"
JST = ZoneInfo("Asia/Tokyo")
_serial = itertools.count(1)
AREA = "MULTIPOLYGON(((139.89 35.64,139.90 35.64,139.90 35.65,139.89 35.64)))"


def make_event(
    session: Session,
    *,
    phase: EventPhase = EventPhase.temporary_housing,
    started: date = date(2024, 1, 1),
) -> DisasterEvent:
    """The disaster struck at 16:10 Japan time on `started` (the date the deadlines count from)."""
    event = DisasterEvent(
        municipality_code=URAYASU,
        name="テスト地震",
        hazard=EventHazard.earthquake,
        started_at=datetime(started.year, started.month, started.day, 16, 10, tzinfo=JST),
        phase=phase,
        affected_chome=[],
        affected_area=func.ST_GeomFromText(AREA, 6668),
        declared_by="test",
    )
    session.add(event)
    session.flush()
    return event


def make_household(
    session: Session,
    number: str,
    births: list[date],
    *,
    chome: str | None = None,
    address: str = "千葉県浦安市テスト町1-1",
) -> list[Person]:
    """The first birth date is the head (世帯主); the others are children (子)."""
    people = []
    for index, birth in enumerate(births):
        n = next(_serial)
        person = Person(
            municipality_code=URAYASU,
            address_number=f"T{n:09d}",
            household_number=number,
            resident_kind=ResidentKind.japanese,
            status=ResidentStatus.resident,
            name=f"試験 太郎{n}",
            name_kana=f"シケン タロウ{n}",
            birth_date=birth,
            sex=Sex.male if index % 2 == 0 else Sex.female,
            relation_to_head="世帯主" if index == 0 else "子",
            address_text=address,
            chome_key_code=chome,
        )
        session.add(person)
        people.append(person)
    session.flush()
    return people


def issue_certificate(
    session: Session, event: DisasterEvent, household_number: str, level: DamageLevel
) -> DamageCertificate:
    n = next(_serial)
    dwelling = Dwelling(
        municipality_code=URAYASU,
        source=DwellingSource.address,
        source_ref=f"test-dwelling-{n}",
        structure=StructureKind.wooden,
        location_precision=LocationPrecision.unknown,
    )
    criteria = DamageCriteriaSet(
        municipality_code=URAYASU,
        version=f"test-{n}",
        name="test",
        rules={},
        sha256="0" * 64,
        loaded_by="test",
    )
    session.add_all([dwelling, criteria])
    session.flush()
    survey = DamageSurvey(
        municipality_code=URAYASU,
        event_id=event.id,
        dwelling_id=dwelling.id,
        round=SurveyRound.first_exterior,
        hazard=SurveyHazard.earthquake,
        structure=StructureKind.wooden,
        surveyor="test",
        surveyed_on=event.started_at.date(),
        recorded_by="test",
    )
    session.add(survey)
    session.flush()
    judgement = DamageJudgement(
        municipality_code=URAYASU,
        event_id=event.id,
        dwelling_id=dwelling.id,
        survey_id=survey.id,
        criteria_set_id=criteria.id,
        level=level,
        rule="ratio",
        cause="survey",
        judged_by="test",
    )
    application = session.scalar(
        select(CertificateApplication).where(
            CertificateApplication.event_id == event.id,
            CertificateApplication.household_number == household_number,
        )
    ) or CertificateApplication(  # a re-issue hangs off the household's one application
        municipality_code=URAYASU,
        event_id=event.id,
        household_number=household_number,
        applicant_address_number="T000000000",
        channel=ApplicationChannel.counter,
        received_by="test",
    )
    session.add_all([judgement, application])
    session.flush()
    certificate = DamageCertificate(
        municipality_code=URAYASU,
        event_id=event.id,
        application_id=application.id,
        household_number=household_number,
        sequence=n,
        serial=f"{URAYASU}-{event.id}-{n:06d}",
        judgement_id=judgement.id,
        damage_level=level,
        template_version=1,
        issued_by="test",
    )
    session.add(certificate)
    session.flush()
    return certificate
