"""What safety confirmation and the shelters know of a household's people, for the registry."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from sonae.japan_time import JST
from sonae.safety.models import (
    REPORT_SOURCE_LABELS,
    SAFETY_STATUS_LABELS,
    WHEREABOUTS_LABELS,
    SafetyReport,
)
from sonae.shelter.models import Shelter
from sonae.sheltering.models import ShelterStay, StayEnd
from sonae.victim_registry.safety_items import SafetyItem


def safety_reports(
    session: Session, municipality_code: str, event_id: int, person_ids: Sequence[int]
) -> list[SafetyItem]:
    """Every safety report, oldest first: status, whereabouts and how it was learnt."""
    reports = session.scalars(
        select(SafetyReport)
        .where(
            SafetyReport.municipality_code == municipality_code,
            SafetyReport.event_id == event_id,
            SafetyReport.person_id.in_(list(person_ids)),
        )
        .order_by(SafetyReport.observed_at, SafetyReport.id)
    )
    return [
        SafetyItem(
            person_id=int(r.person_id or 0),
            kind="safety",
            summary=f"{SAFETY_STATUS_LABELS[r.status]}・{WHEREABOUTS_LABELS[r.whereabouts]}"
            f"（{REPORT_SOURCE_LABELS[r.source]}）",
            at=r.observed_at,
        )
        for r in reports
    ]


def shelter_stays(
    session: Session, municipality_code: str, event_id: int, person_ids: Sequence[int]
) -> list[SafetyItem]:
    """Every stay in a shelter: where, from when to when, and whether it ended in a transfer."""
    rows = session.execute(
        select(ShelterStay, Shelter.name)
        .join(
            Shelter,
            and_(
                Shelter.municipality_code == ShelterStay.municipality_code,
                Shelter.id == ShelterStay.shelter_id,
            ),
        )
        .where(
            ShelterStay.municipality_code == municipality_code,
            ShelterStay.event_id == event_id,
            ShelterStay.person_id.in_(list(person_ids)),
        )
        .order_by(ShelterStay.checked_in_at, ShelterStay.id)
    )
    items = []
    for stay, name in rows:
        start = stay.checked_in_at.astimezone(JST).strftime("%m/%d %H:%M")
        out = stay.checked_out_at
        until = "滞在中" if out is None else out.astimezone(JST).strftime("%m/%d %H:%M")
        moved = "（移動）" if stay.ended_by is StayEnd.transferred else ""
        items.append(
            SafetyItem(
                person_id=int(stay.person_id or 0),
                kind="shelter_stay",
                summary=f"{name} {start}〜{until}{moved}",
                at=stay.checked_in_at,
            )
        )
    return items
