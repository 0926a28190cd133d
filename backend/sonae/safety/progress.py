"""How far safety confirmation has got: per district (counts and %) and for the whole event.

District figures cover the tasks (residents of the affected area); the event figures add
everyone with a report, including evacuees the registry does not know, and count where people
are — shelters, cars, relatives, other cities — so people outside shelters are not lost from view.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from sonae.event.models import DisasterEvent
from sonae.safety.models import SafetyCurrent, SafetyStatus, SafetyTask, Whereabouts
from sonae.safety.tasks import LISTED


@dataclass
class DistrictProgress:
    district: str
    tasks: int = 0
    listed: int = 0
    by_status: Counter[SafetyStatus] = field(default_factory=Counter)
    listed_confirmed: int = 0
    assigned_to: set[str] = field(default_factory=set)

    @property
    def confirmed(self) -> int:
        return self.tasks - self.by_status[SafetyStatus.unknown]

    @property
    def percent(self) -> float:
        return round(100.0 * self.confirmed / self.tasks, 1) if self.tasks else 0.0

    @property
    def listed_percent(self) -> float:
        return round(100.0 * self.listed_confirmed / self.listed, 1) if self.listed else 0.0


@dataclass(frozen=True)
class EventFigures:
    by_status: dict[SafetyStatus, int]
    by_whereabouts: dict[Whereabouts, int]
    unregistered: int
    """Reports about evacuees the registry does not know."""


def district_progress(
    *, session: Session, event: DisasterEvent, district: str | None = None
) -> list[DistrictProgress]:
    status = func.coalesce(SafetyCurrent.status, SafetyStatus.unknown)
    query = (
        select(
            SafetyTask.district,
            SafetyTask.priority,
            SafetyTask.assigned_to,
            status.label("status"),
            func.count().label("n"),
        )
        .select_from(SafetyTask)
        .join(
            SafetyCurrent,
            and_(
                SafetyCurrent.municipality_code == SafetyTask.municipality_code,
                SafetyCurrent.event_id == SafetyTask.event_id,
                SafetyCurrent.person_id == SafetyTask.person_id,
            ),
            isouter=True,
        )
        .where(
            SafetyTask.municipality_code == event.municipality_code,
            SafetyTask.event_id == event.id,
        )
        .group_by(SafetyTask.district, SafetyTask.priority, SafetyTask.assigned_to, status)
    )
    if district is not None:
        query = query.where(SafetyTask.district == district)
    progress: dict[str, DistrictProgress] = {}
    for row in session.execute(query):
        entry = progress.setdefault(row.district, DistrictProgress(row.district))
        current = SafetyStatus(row.status)
        entry.tasks += row.n
        entry.by_status[current] += row.n
        if row.priority == LISTED:
            entry.listed += row.n
            if current is not SafetyStatus.unknown:
                entry.listed_confirmed += row.n
        if row.assigned_to:
            entry.assigned_to.add(row.assigned_to)
    return [progress[name] for name in sorted(progress)]


def event_figures(*, session: Session, event: DisasterEvent) -> EventFigures:
    where = (
        SafetyCurrent.municipality_code == event.municipality_code,
        SafetyCurrent.event_id == event.id,
    )
    statuses = session.execute(
        select(SafetyCurrent.status, func.count()).where(*where).group_by(SafetyCurrent.status)
    ).all()
    places = session.execute(
        select(SafetyCurrent.whereabouts, func.count())
        .where(*where)
        .group_by(SafetyCurrent.whereabouts)
    ).all()
    unregistered = session.scalar(
        select(func.count()).where(*where, SafetyCurrent.evacuee_id.is_not(None))
    )
    tasks_without_report = session.scalar(
        select(func.count())
        .select_from(SafetyTask)
        .join(
            SafetyCurrent,
            and_(
                SafetyCurrent.municipality_code == SafetyTask.municipality_code,
                SafetyCurrent.event_id == SafetyTask.event_id,
                SafetyCurrent.person_id == SafetyTask.person_id,
            ),
            isouter=True,
        )
        .where(
            SafetyTask.municipality_code == event.municipality_code,
            SafetyTask.event_id == event.id,
            SafetyCurrent.id.is_(None),
        )
    )
    by_status = {SafetyStatus(s): int(n) for s, n in statuses}
    by_status[SafetyStatus.unknown] = by_status.get(SafetyStatus.unknown, 0) + int(
        tasks_without_report or 0
    )
    return EventFigures(
        by_status=by_status,
        by_whereabouts={Whereabouts(w): int(n) for w, n in places},
        unregistered=int(unregistered or 0),
    )
