"""Filling the certificate template from the records, and printing it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.certificate.models import DamageCertificate
from sonae.certificate.pdf import PrintedCertificate, render_pdf
from sonae.certificate.template import template_version
from sonae.damage.levels import DAMAGE_LEVEL_LABELS
from sonae.damage.models import (
    SURVEY_ROUND_LABELS,
    DamageCriteriaSet,
    DamageJudgement,
    DamageSurvey,
)
from sonae.event.clock import disaster_date
from sonae.event.models import EVENT_HAZARD_LABELS
from sonae.event.service import get_municipal_event
from sonae.japan_time import japan_date
from sonae.municipality import service as municipality_service
from sonae.registry.models import Person, ResidentStatus
from sonae.support_extract.wareki import format_wareki

HEAD = "世帯主"


def household_head(
    *, session: Session, municipality_code: str, household_number: str
) -> Person | None:
    """The head of the household (世帯主), else its first resident member."""
    members = list(
        session.scalars(
            select(Person)
            .where(
                Person.municipality_code == municipality_code,
                Person.household_number == household_number,
                Person.status == ResidentStatus.resident,
            )
            .order_by(Person.id)
        )
    )
    return next((p for p in members if p.relation_to_head == HEAD), members[0] if members else None)


def printed(*, session: Session, certificate: DamageCertificate) -> PrintedCertificate:
    code = certificate.municipality_code
    event = get_municipal_event(
        session=session, municipality_code=code, event_id=certificate.event_id
    )
    municipality = municipality_service.get(session=session, code=code)
    judgement = session.get(DamageJudgement, (code, certificate.judgement_id))
    assert judgement is not None  # foreign key
    survey = session.get(DamageSurvey, (code, judgement.survey_id))
    criteria = session.get(DamageCriteriaSet, (code, judgement.criteria_set_id))
    head = household_head(
        session=session, municipality_code=code, household_number=certificate.household_number
    )
    reissue_note = ""
    if certificate.reissue_of is not None:
        earlier = session.get(DamageCertificate, (code, certificate.reissue_of))
        if earlier is not None:
            reissue_note = f"（第 {earlier.serial} 号に代えて再交付）"
    issued_on = japan_date(certificate.issued_at)
    values = {
        "serial": certificate.serial,
        "issued_on": format_wareki(issued_on),
        "municipality_name": municipality.name,
        "event_name": event.name,
        "disaster_date": format_wareki(disaster_date(event)),
        "cause": EVENT_HAZARD_LABELS[event.hazard],
        "head_name": head.name if head else "",
        "address": head.address_text if head else "",
        "address_annex": (head.address_annex or "") if head else "",
        "household_number": certificate.household_number,
        "damage_level": DAMAGE_LEVEL_LABELS[certificate.damage_level],
        "survey_round": SURVEY_ROUND_LABELS[survey.round] if survey else "",
        "survey_date": format_wareki(survey.surveyed_on) if survey else "",
        "criteria_version": criteria.version if criteria else "",
        "reissue_note": reissue_note,
    }
    template = template_version(
        session=session, municipality_code=code, version=certificate.template_version
    )
    return PrintedCertificate(
        title=template.title,
        body=template.body,
        issuer=template.issuer,
        values=values,
        issued_on=issued_on,
    )


def certificate_pdf(*, session: Session, certificate: DamageCertificate) -> bytes:
    return render_pdf(printed(session=session, certificate=certificate))
