"""The dashboard's providers for damage, certificates and housing, installed once.

create_app() calls install(): the panel's 罹災証明書 and 応急仮設住宅 figures and the victim
map's dwellings then come from those features' own tables and services. The figures reuse
certificate.stats and housing.service; the dwellings are one select (the dashboard wraps it in
its own SQL for counts and tiles), so the judgement in force is restated there in SQL with the
same rule as damage.judging.judgements_in_force.
"""

from __future__ import annotations

import typing
from typing import Any

from sqlalchemy import (
    BigInteger,
    Select,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    null,
    select,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.certificate.models import CertificateApplication, DamageCertificate
from sonae.certificate.stats import daily_stats
from sonae.damage.models import CriteriaSwitch, DamageJudgement, DamageSurvey
from sonae.dashboard import providers
from sonae.dashboard.providers import FigureLine, FigureSlot
from sonae.dwelling.models import Dwelling, DwellingHousehold
from sonae.housing import sites as housing_sites
from sonae.housing.models import HousingApplication, HousingStatus
from sonae.livelihood.models import ApplicationStatus, LivelihoodApplication

BACKLOG_DAYS = 7
"""Applications waiting this many full days or more count as backlog (certificate.stats)."""

PLACED = (HousingStatus.allocated, HousingStatus.moved_in)
WAITING = (HousingStatus.received, HousingStatus.waiting)


def certificate_figures(
    *, session: Session, municipality_code: str, event_id: int | None
) -> list[FigureLine]:
    """交付済 N / 申請 M 件; 未交付 K 件; of which waiting 7 days or more."""
    if event_id is None:
        return []
    today = japan_time.today()
    # One day, today: the stats' pending and backlog do not depend on the period's start.
    (day,) = daily_stats(
        session=session,
        municipality_code=municipality_code,
        event_id=event_id,
        target_days=BACKLOG_DAYS,
        start=today,
        end=today,
    )
    return [
        FigureLine("交付済", day.issued_total, day.issued_total + day.pending, "件"),
        FigureLine("未処理（申請受付・未交付）", day.pending, unit="件"),
        FigureLine(f"うち{BACKLOG_DAYS}日以上の滞留", day.backlog, unit="件"),
    ]


def housing_figures(
    *, session: Session, municipality_code: str, event_id: int | None
) -> list[FigureLine]:
    """入居決定 N / 申請 M 世帯; 待機 K 世帯; 入居中 N / 全 M 戸."""
    if event_id is None:
        return []
    households = func.count(func.distinct(HousingApplication.household_number))
    applied, placed, waiting, moved_in = session.execute(
        select(
            households.filter(HousingApplication.status != HousingStatus.withdrawn),
            households.filter(HousingApplication.status.in_(PLACED)),
            households.filter(HousingApplication.status.in_(WAITING)),
            func.count().filter(HousingApplication.status == HousingStatus.moved_in),
        ).where(
            HousingApplication.municipality_code == municipality_code,
            HousingApplication.event_id == event_id,
        )
    ).one()
    sites = housing_sites.sites(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    units = sum(site.units for site in sites)
    return [
        FigureLine("入居決定（入居中を含む）", placed, applied, "世帯"),
        FigureLine("待機・審査中", waiting, unit="世帯"),
        FigureLine("入居中", moved_in, units, "戸"),
    ]


def dwellings(*, municipality_code: str, event_id: int | None) -> Select[Any]:
    """One row per dwelling and household living there (DWELLING_COLUMNS). Without an open
    event there is no damage to show: an empty select of the same shape."""
    if event_id is None:
        return _shape_only()
    judged = _judgement_in_force(municipality_code, event_id)
    certificate = _certificate_in_force(municipality_code, event_id)
    support = _support_per_household(municipality_code, event_id)
    application = CertificateApplication
    return (
        select(
            Dwelling.id.label("dwelling_id"),
            DwellingHousehold.household_number.label("household_number"),
            Dwelling.chome_key_code.label("chome_key_code"),
            cast(judged.c.level, String).label("damage_level"),
            case(
                (
                    # Outdated as in certificate.change: another level or another survey.
                    and_(
                        certificate.c.judgement_id.is_not(None),
                        judged.c.judgement_id.is_not(None),
                        (certificate.c.level != judged.c.level)
                        | (certificate.c.survey_id != judged.c.survey_id),
                    ),
                    literal("交付済（再交付要）"),
                ),
                (certificate.c.household_number.is_not(None), literal("交付済")),
                (application.id.is_not(None), literal("申請中")),
                else_=literal("未申請"),
            ).label("certificate_status"),
            func.coalesce(support.c.status, literal("未申請")).label("support_status"),
            Dwelling.location.label("geometry"),
        )
        .join(
            DwellingHousehold,
            and_(
                DwellingHousehold.municipality_code == Dwelling.municipality_code,
                DwellingHousehold.dwelling_id == Dwelling.id,
            ),
        )
        .outerjoin(judged, judged.c.dwelling_id == Dwelling.id)
        .outerjoin(
            certificate, certificate.c.household_number == DwellingHousehold.household_number
        )
        .outerjoin(
            application,
            and_(
                application.municipality_code == municipality_code,
                application.event_id == event_id,
                application.household_number == DwellingHousehold.household_number,
            ),
        )
        .outerjoin(support, support.c.household_number == DwellingHousehold.household_number)
        .where(Dwelling.municipality_code == municipality_code)
    )


def _judgement_in_force(municipality_code: str, event_id: int) -> Any:
    """(dwelling_id, judgement_id, level, survey_id): the latest survey's judgement under the
    criteria the event was last switched to, else its latest judgement (damage.judging's rule)."""
    latest_survey = (
        select(DamageSurvey.dwelling_id, DamageSurvey.id.label("survey_id"))
        .where(
            DamageSurvey.municipality_code == municipality_code,
            DamageSurvey.event_id == event_id,
        )
        .ext(distinct_on(DamageSurvey.dwelling_id))
        .order_by(DamageSurvey.dwelling_id, DamageSurvey.id.desc())
        .subquery("latest_survey")
    )
    switched = (
        select(CriteriaSwitch.criteria_set_id)
        .where(
            CriteriaSwitch.municipality_code == municipality_code,
            CriteriaSwitch.event_id == event_id,
        )
        .order_by(CriteriaSwitch.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            latest_survey.c.dwelling_id,
            DamageJudgement.id.label("judgement_id"),
            DamageJudgement.level,
            DamageJudgement.survey_id,
        )
        .join(
            DamageJudgement,
            and_(
                DamageJudgement.municipality_code == municipality_code,
                DamageJudgement.survey_id == latest_survey.c.survey_id,
            ),
        )
        .ext(distinct_on(latest_survey.c.dwelling_id))
        .order_by(
            latest_survey.c.dwelling_id,
            (DamageJudgement.criteria_set_id == switched).desc().nulls_last(),
            DamageJudgement.id.desc(),
        )
        .subquery("judged")
    )


def _certificate_in_force(municipality_code: str, event_id: int) -> Any:
    """(household_number, judgement_id, level, survey_id) of each household's latest
    certificate (a re-issue replaces the earlier one, as in certificate.service), with the level
    and the survey it printed."""
    return (
        select(
            DamageCertificate.household_number,
            DamageCertificate.judgement_id,
            DamageCertificate.damage_level.label("level"),
            DamageJudgement.survey_id,
        )
        .join(
            DamageJudgement,
            and_(
                DamageJudgement.municipality_code == DamageCertificate.municipality_code,
                DamageJudgement.id == DamageCertificate.judgement_id,
            ),
        )
        .where(
            DamageCertificate.municipality_code == municipality_code,
            DamageCertificate.event_id == event_id,
        )
        .ext(distinct_on(DamageCertificate.household_number))
        .order_by(DamageCertificate.household_number, DamageCertificate.sequence.desc())
        .subquery("certificate")
    )


def _support_per_household(municipality_code: str, event_id: int) -> Any:
    """(household_number, status): the furthest step any of the household's livelihood
    applications (basic or additional) reached; withdrawn ones count as not applied."""

    def has(status: ApplicationStatus) -> Any:
        return func.bool_or(LivelihoodApplication.status == status)

    status = case(
        (has(ApplicationStatus.paid), literal("支援金支給済")),
        (has(ApplicationStatus.approved), literal("支援金支給決定")),
        (has(ApplicationStatus.received), literal("支援金申請済")),
        (has(ApplicationStatus.rejected), literal("支援金不支給")),
        else_=null(),
    )
    return (
        select(LivelihoodApplication.household_number, status.label("status"))
        .where(
            LivelihoodApplication.municipality_code == municipality_code,
            LivelihoodApplication.event_id == event_id,
        )
        .group_by(LivelihoodApplication.household_number)
        .subquery("support")
    )


def _shape_only() -> Select[Any]:
    query = select(
        cast(null(), BigInteger).label("dwelling_id"),
        cast(null(), String).label("household_number"),
        cast(null(), String).label("chome_key_code"),
        cast(null(), String).label("damage_level"),
        cast(null(), String).label("certificate_status"),
        cast(null(), String).label("support_status"),
        Dwelling.location.label("geometry"),
    ).where(false())
    return typing.cast(Select[Any], query)  # the Protocol's loose row type


def install() -> None:
    providers.register_figure(FigureSlot.certificates, certificate_figures)
    providers.register_figure(FigureSlot.housing, housing_figures)
    providers.register_dwellings(dwellings)
