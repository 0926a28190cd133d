"""Counts per chome and per 250 m mesh: what every dashboard role may see.

People are placed at their town or chome representative point (registry geocoding), so the
counts per mesh are summed per distinct location first: a few hundred points, not 488k rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

from geoalchemy2.functions import ST_X, ST_Y
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from sonae.chome.models import Chome
from sonae.dashboard.privacy import suppress
from sonae.gis.mesh import quarter_mesh, quarter_mesh_bounds
from sonae.registry.models import Person, RegistryImport
from sonae.shelter.models import Shelter
from sonae.support import service as support_service
from sonae.support.models import EvacuationPlan, SupportListEntry


@dataclass(frozen=True)
class AreaCount:
    key: str
    """chome key_code or 10-digit mesh code"""
    name: str
    count: int


def support_people(*, session: Session, municipality_code: str) -> Select[Any] | None:
    """(person_id, household_number, chome_key_code, priority, location) of the latest list."""
    build = support_service.latest_build(session=session, municipality_code=municipality_code)
    if build is None:
        return None
    query = (
        select(
            Person.id.label("person_id"),
            Person.household_number,
            Person.chome_key_code,
            SupportListEntry.priority,
            Person.location.label("geometry"),
        )
        .join(
            Person,
            (Person.municipality_code == SupportListEntry.municipality_code)
            & (Person.id == SupportListEntry.person_id),
        )
        .where(
            SupportListEntry.municipality_code == municipality_code,
            SupportListEntry.build_id == build.id,
        )
    )
    return cast(Select[Any], query)


def counts_by_chome(
    *, session: Session, municipality_code: str, people: Select[Any]
) -> list[AreaCount]:
    """Every chome of the city with its count (0 included), unsuppressed."""
    rows = people.subquery()
    counted: dict[str | None, int] = {
        key: n
        for key, n in session.execute(
            select(rows.c.chome_key_code, func.count()).group_by(rows.c.chome_key_code)
        )
    }
    chome = session.execute(
        select(Chome.key_code, Chome.name)
        .where(Chome.municipality_code == municipality_code)
        .order_by(Chome.key_code)
    )
    return [AreaCount(key, name, int(counted.get(key, 0))) for key, name in chome]


def counts_by_mesh(*, session: Session, people: Select[Any]) -> list[AreaCount]:
    """Non-empty 250 m meshes with their counts, unsuppressed."""
    rows = people.subquery()
    located = session.execute(
        select(ST_Y(rows.c.geometry), ST_X(rows.c.geometry), func.count())
        .where(rows.c.geometry.is_not(None))
        .group_by(rows.c.geometry)
    )
    totals: Counter[str] = Counter()
    for lat, lon, count in located:
        totals[quarter_mesh(lat, lon)] += count
    return [AreaCount(code, code, n) for code, n in sorted(totals.items())]


_located: dict[str, tuple[tuple[int, int | None], Counter[str], Counter[str]]] = {}
"""municipality → (list version, counts per chome, counts per mesh) of the latest list."""


def support_counts(
    *, session: Session, municipality_code: str, chome_names: dict[str, str]
) -> tuple[list[AreaCount], list[AreaCount]] | None:
    """(every chome of `chome_names` with its count, non-empty meshes) of the latest list, or
    None without a list.

    The counts depend on the build (immutable once made) and on where its people live, which
    only a registry import changes (registry.persistence): keyed by both, they are computed
    once per build or import rather than per view (a pass over the city's people, ~0.3 s at
    Nishinomiya scale).
    """
    build = support_service.latest_build(session=session, municipality_code=municipality_code)
    if build is None:
        return None
    version = (
        build.id,
        session.scalar(
            select(func.max(RegistryImport.id)).where(
                RegistryImport.municipality_code == municipality_code
            )
        ),
    )
    cached = _located.get(municipality_code)
    if cached is None or cached[0] != version:
        people = support_people(session=session, municipality_code=municipality_code)
        assert people is not None  # the build above exists
        cached = (version, *_count_located(session, people))
        _located[municipality_code] = cached
    _, by_chome, by_mesh = cached
    return (
        [AreaCount(key, name, by_chome[key]) for key, name in sorted(chome_names.items())],
        [AreaCount(code, code, n) for code, n in sorted(by_mesh.items())],
    )


def _count_located(session: Session, people: Select[Any]) -> tuple[Counter[str], Counter[str]]:
    """One pass over the list, grouped by chome and location, for both chome and mesh."""
    rows = people.subquery()
    located = session.execute(
        select(
            rows.c.chome_key_code, ST_Y(rows.c.geometry), ST_X(rows.c.geometry), func.count()
        ).group_by(rows.c.chome_key_code, rows.c.geometry)
    )
    by_chome: Counter[str] = Counter()
    by_mesh: Counter[str] = Counter()
    for key, lat, lon, count in located:
        by_chome[key] += count
        if lat is not None:
            by_mesh[quarter_mesh(lat, lon)] += count
    return by_chome, by_mesh


def forget_support_counts() -> None:
    """Tests: each builds its own list."""
    _located.clear()


def shown(counts: list[AreaCount], *, people_visible: bool) -> list[dict[str, Any]]:
    """As JSON rows: exact counts for person-level roles, suppressed small counts for others."""
    return [
        {
            "key": c.key,
            "name": c.name,
            "count": c.count if people_visible else suppress(c.count),
        }
        for c in counts
    ]


def mesh_polygon(code: str) -> dict[str, Any]:
    west, south, east, north = quarter_mesh_bounds(code)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def plan_destinations(*, session: Session, municipality_code: str) -> dict[int, int]:
    """shelter id → active individual evacuation plans that name it as destination."""
    rows = session.execute(
        select(EvacuationPlan.destination_shelter_id, func.count())
        .where(
            EvacuationPlan.municipality_code == municipality_code,
            EvacuationPlan.is_active.is_(True),
            EvacuationPlan.destination_shelter_id.is_not(None),
        )
        .group_by(EvacuationPlan.destination_shelter_id)
    )
    return {int(shelter_id): int(n) for shelter_id, n in rows if shelter_id is not None}


def shelter_ids(*, session: Session, municipality_code: str) -> list[int]:
    return list(
        session.scalars(select(Shelter.id).where(Shelter.municipality_code == municipality_code))
    )
