"""The dashboard's providers for safety confirmation and shelter operations, installed once.

create_app() calls install(): the panel's 安否確認 and 避難所 figures, the safety choropleth and
the shelters' occupancy then come from those features' own services; damage, certificates,
housing and the victim map's dwellings from dashboard.damage_providers.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from sonae.dashboard import damage_providers, providers
from sonae.dashboard.providers import FigureLine, FigureSlot, SafetyCounts, ShelterStatus
from sonae.event.service import get_municipal_event
from sonae.safety.models import SafetyCurrent, SafetyStatus, SafetyTask, Whereabouts
from sonae.safety.progress import district_progress, event_figures
from sonae.sheltering.openings import shelter_states

AWAY = (Whereabouts.car, Whereabouts.relative_home, Whereabouts.outside_city)


def safety_figures(
    *, session: Session, municipality_code: str, event_id: int | None
) -> list[FigureLine]:
    if event_id is None:
        return []
    event = get_municipal_event(
        session=session, event_id=event_id, municipality_code=municipality_code
    )
    rows = district_progress(session=session, event=event)
    figures = event_figures(session=session, event=event)
    total = sum(r.tasks for r in rows)
    listed = sum(r.listed for r in rows)
    return [
        FigureLine("確認済", sum(r.confirmed for r in rows), total, "人"),
        FigureLine("要支援者 確認済", sum(r.listed_confirmed for r in rows), listed, "人"),
        FigureLine("行方不明", figures.by_status.get(SafetyStatus.missing, 0), unit="人"),
        FigureLine(
            "避難所外（車中・親族宅・市外）",
            sum(figures.by_whereabouts.get(w, 0) for w in AWAY),
            unit="人",
        ),
    ]


def shelter_figures(
    *, session: Session, municipality_code: str, event_id: int | None
) -> list[FigureLine]:
    if event_id is None:
        return []
    event = get_municipal_event(
        session=session, event_id=event_id, municipality_code=municipality_code
    )
    states = shelter_states(session=session, event=event)
    return [
        FigureLine("開設中", len(states), unit="所"),
        FigureLine(
            "避難者",
            sum(s.occupancy for s in states),
            sum(s.opening.capacity for s in states),
            "人",
        ),
    ]


def safety_by_chome(
    *, session: Session, municipality_code: str, event_id: int | None
) -> Mapping[str, SafetyCounts]:
    if event_id is None:
        return {}
    confirmed = func.count(SafetyCurrent.id).filter(SafetyCurrent.status != SafetyStatus.unknown)
    rows = session.execute(
        select(SafetyTask.chome_key_code, confirmed, func.count())
        .outerjoin(
            SafetyCurrent,
            and_(
                SafetyCurrent.municipality_code == SafetyTask.municipality_code,
                SafetyCurrent.event_id == SafetyTask.event_id,
                SafetyCurrent.person_id == SafetyTask.person_id,
            ),
        )
        .where(
            SafetyTask.municipality_code == municipality_code,
            SafetyTask.event_id == event_id,
            SafetyTask.chome_key_code.is_not(None),
        )
        .group_by(SafetyTask.chome_key_code)
    )
    return {str(key): SafetyCounts(int(done), int(total)) for key, done, total in rows}


def shelter_status(
    *, session: Session, municipality_code: str, event_id: int | None
) -> Mapping[int, ShelterStatus]:
    if event_id is None:
        return {}
    event = get_municipal_event(
        session=session, event_id=event_id, municipality_code=municipality_code
    )
    return {
        s.shelter.id: ShelterStatus(is_open=True, occupancy=s.occupancy)
        for s in shelter_states(session=session, event=event)
    }


def install() -> None:
    """Every provider: safety and shelters here, damage, certificates and housing from
    dashboard.damage_providers."""
    damage_providers.install()
    providers.register_figure(FigureSlot.safety, safety_figures)
    providers.register_figure(FigureSlot.shelters, shelter_figures)
    providers.register_safety_by_chome(safety_by_chome)
    providers.register_shelter_status(shelter_status)
