"""Fill the dashboard's ThematicLayers from PostGIS and the registered providers, per role."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
from geoalchemy2.shape import to_shape
from shapely.geometry import shape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.address.models import AddressPoint
from sonae.chome.models import Chome
from sonae.dashboard import aggregates
from sonae.dashboard.figures import chosen_event_id
from sonae.dashboard.privacy import suppress
from sonae.dashboard.providers import REGISTRY, ShelterStatus
from sonae.database.core import STORAGE_SRID
from sonae.shelter.models import Shelter
from sonae_maps.dashboard_map import ThematicLayers
from sonae_maps.styles import DAMAGE_LEVELS


def _chome_geometries(session: Session, municipality_code: str) -> dict[str, tuple[str, Any]]:
    rows = session.execute(
        select(Chome.key_code, Chome.name, func.coalesce(Chome.boundary, Chome.point)).where(
            Chome.municipality_code == municipality_code
        )
    )
    return {key: (name, to_shape(geom)) for key, name, geom in rows}


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> gpd.GeoDataFrame:
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=STORAGE_SRID)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=STORAGE_SRID)


def thematic_layers(
    *, session: Session, municipality_code: str, people_visible: bool, event_id: int | None = None
) -> ThematicLayers:
    """Counts are exact for person-level roles and suppressed below 3 for everyone else; the
    event's layers are those of the event chosen (None: the default one, dashboard.figures)."""
    chome = _chome_geometries(session, municipality_code)
    event_id = chosen_event_id(
        session=session, municipality_code=municipality_code, event_id=event_id
    )

    def count(n: int) -> int | None:
        return n if people_visible else suppress(n)

    people = aggregates.support_people(session=session, municipality_code=municipality_code)
    support_chome: list[dict[str, Any]] = []
    support_mesh: list[dict[str, Any]] = []
    if people is not None:
        by_chome = aggregates.counts_by_chome(
            session=session, municipality_code=municipality_code, people=people
        )
        support_chome = [
            {"name": c.name, "count": count(c.count), "geometry": chome[c.key][1]}
            for c in by_chome
            if c.key in chome
        ]
        support_mesh = [
            {
                "mesh_code": c.key,
                "count": count(c.count),
                "geometry": shape(aggregates.mesh_polygon(c.key)),
            }
            for c in aggregates.counts_by_mesh(session=session, people=people)
        ]
    return ThematicLayers(
        support_chome=_frame(support_chome, ["name", "count"]),
        support_mesh=_frame(support_mesh, ["mesh_code", "count"]),
        shelters=_shelters(session, municipality_code, event_id, count),
        places=_places(session, municipality_code, chome),
        safety_chome=_safety(session, municipality_code, event_id, chome, count),
        damage_chome=_damage(session, municipality_code, event_id, chome, count),
    )


def shelter_facts(
    session: Session, municipality_code: str, event_id: int | None
) -> tuple[dict[int, int], Mapping[int, ShelterStatus]]:
    """(plans naming each shelter, its state in the event): for the page's rows and exports."""
    plans = aggregates.plan_destinations(session=session, municipality_code=municipality_code)
    provider = REGISTRY.shelter_status
    status = (
        provider(session=session, municipality_code=municipality_code, event_id=event_id)
        if provider
        else {}
    )
    return plans, status


def _shelters(
    session: Session, municipality_code: str, event_id: int | None, count: Any
) -> gpd.GeoDataFrame:
    plans, status = shelter_facts(session, municipality_code, event_id)
    rows = []
    for shelter in session.scalars(
        select(Shelter).where(Shelter.municipality_code == municipality_code).order_by(Shelter.id)
    ):
        state = status.get(shelter.id)
        rows.append(
            {
                "id": shelter.id,
                "name": shelter.name,
                "kind": shelter.kind,
                "is_welfare": shelter.is_welfare,
                "capacity": shelter.capacity or shelter.estimated_capacity,
                "occupancy": state.occupancy if state else None,
                "is_open": state.is_open if state else None,
                "plans": count(plans.get(shelter.id, 0)),
                "geometry": to_shape(shelter.point),
            }
        )
    return _frame(rows, ["id", "name", "capacity", "occupancy", "plans"])


def search_places(*, session: Session, municipality_code: str) -> gpd.GeoDataFrame:
    """What the search box finds (changes only on import)."""
    return _places(session, municipality_code, _chome_geometries(session, municipality_code))


def _places(
    session: Session, municipality_code: str, chome: dict[str, tuple[str, Any]]
) -> gpd.GeoDataFrame:
    """Searchable places: every chome (at its representative point) and every town point."""
    rows = [
        {"label": name, "geometry": geom.representative_point()} for name, geom in chome.values()
    ]
    for town, koaza, point in session.execute(
        select(AddressPoint.town, AddressPoint.koaza, AddressPoint.point).where(
            AddressPoint.municipality_code == municipality_code
        )
    ):
        rows.append({"label": f"{town}{koaza}", "geometry": to_shape(point)})
    return _frame(rows, ["label"])


def _safety(
    session: Session,
    municipality_code: str,
    event_id: int | None,
    chome: dict[str, tuple[str, Any]],
    count: Any,
) -> gpd.GeoDataFrame | None:
    provider = REGISTRY.safety_by_chome
    if provider is None:
        return None
    counts = provider(session=session, municipality_code=municipality_code, event_id=event_id)
    rows = [
        {
            "name": chome[key][0],
            "confirmed": c.confirmed,
            "total": count(c.total),
            "geometry": chome[key][1],
        }
        for key, c in counts.items()
        if key in chome
    ]
    return _frame(rows, ["name", "confirmed", "total"])


def damage_counts(
    *, session: Session, municipality_code: str, event_id: int | None
) -> dict[str, dict[str, int]] | None:
    """chome key_code → damage level → dwellings; None without a dwelling provider."""
    provider = REGISTRY.dwellings
    if provider is None:
        return None
    dwellings = provider(municipality_code=municipality_code, event_id=event_id).subquery()
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for key, level, n in session.execute(
        select(dwellings.c.chome_key_code, dwellings.c.damage_level, func.count()).group_by(
            dwellings.c.chome_key_code, dwellings.c.damage_level
        )
    ):
        if key is not None and level is not None:
            result[key][str(level)] = int(n)
    return result


def _damage(
    session: Session,
    municipality_code: str,
    event_id: int | None,
    chome: dict[str, tuple[str, Any]],
    count: Any,
) -> gpd.GeoDataFrame | None:
    counts = damage_counts(session=session, municipality_code=municipality_code, event_id=event_id)
    if counts is None:
        return None
    rows = [
        {
            "name": chome[key][0],
            "total": count(sum(levels.values())),
            **{level: count(levels.get(level, 0)) for level in DAMAGE_LEVELS},
            "geometry": chome[key][1],
        }
        for key, levels in counts.items()
        if key in chome
    ]
    return _frame(rows, ["name", "total", *DAMAGE_LEVELS])
