"""The dashboard's thematic layers as small JSON rows, fetched and refreshed by the page.

What changes by the minute (support-list counts, safety, shelter occupancy, damage) is kept out
of the rendered page, which then only changes on import (page.py). Chome-based rows carry the
chome key and no geometry: the page joins them to the chome shapes it already holds. Counts
are exact for person-level roles and suppressed below 3 for everyone else, as everywhere on
the dashboard; no row names or locates a person.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from geoalchemy2.functions import ST_X, ST_Y
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.chome.models import Chome
from sonae.dashboard import aggregates
from sonae.dashboard.figures import chosen_event_id
from sonae.dashboard.layers import damage_counts, shelter_facts
from sonae.dashboard.privacy import suppress
from sonae.dashboard.providers import REGISTRY
from sonae.gis.mesh import quarter_mesh_bounds
from sonae.shelter.models import Shelter
from sonae_maps import styles, thematic
from sonae_maps.legend import LegendSection

Count = Callable[[int], int | None]


def live_layers(
    *, session: Session, municipality_code: str, people_visible: bool, event_id: int | None = None
) -> dict[str, Any]:
    """{layer key: rows} for dashboard_base.LIVE_GROUPS, plus the legend as HTML, for the
    event chosen (None: the default one, dashboard.figures)."""
    event_id = chosen_event_id(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    count: Count = (lambda n: n) if people_visible else suppress
    names: dict[str, str] = {
        key: name
        for key, name in session.execute(
            select(Chome.key_code, Chome.name).where(Chome.municipality_code == municipality_code)
        )
    }
    legend: list[LegendSection] = []
    layers: dict[str, Any] = {}
    layers["support_chome"], layers["support_mesh"] = _support(
        session, municipality_code, names, count, legend
    )
    layers["safety_chome"] = _safety(session, municipality_code, event_id, names, count, legend)
    layers["damage_chome"] = _damage(session, municipality_code, event_id, names, count, legend)
    layers["shelters"], layers["plans"] = _shelters(session, municipality_code, event_id, count)
    legend.append(thematic.shelter_legend())
    layers["legend_html"] = "".join(section.html() for section in legend if section.items)
    layers["damage_levels"] = [
        [level, styles.DAMAGE_LEVEL_LABELS[level]] for level in styles.DAMAGE_LEVELS
    ]
    return layers


def _support(
    session: Session,
    municipality_code: str,
    names: dict[str, str],
    count: Count,
    legend: list[LegendSection],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    counts = aggregates.support_counts(
        session=session, municipality_code=municipality_code, chome_names=names
    )
    if counts is None:
        return [], []
    by_chome, by_mesh = counts
    rows: list[list[dict[str, Any]]] = []
    for areas, name in (
        (by_chome, styles.LAYER_SUPPORT_CHOME),
        (by_mesh, styles.LAYER_SUPPORT_MESH),
    ):
        styled = thematic.counts([count(c.count) for c in areas], name)
        legend.append(styled.legend)
        rows.append(
            [
                {"key": c.key, "label": c.name, "shown": shown, "colour": colour}
                for c, shown, colour in zip(areas, styled.shown, styled.colours, strict=True)
            ]
        )
    for row in rows[1]:  # [west, south, east, north]; ~0.1 m is plenty for 250 m squares
        row["bounds"] = [round(v, 6) for v in quarter_mesh_bounds(row["key"])]
    return rows[0], rows[1]


def _safety(
    session: Session,
    municipality_code: str,
    event_id: int | None,
    names: Mapping[str, str],
    count: Count,
    legend: list[LegendSection],
) -> list[dict[str, Any]] | None:
    provider = REGISTRY.safety_by_chome
    if provider is None:
        legend.append(thematic.safety_legend(False))
        return None
    counts = provider(session=session, municipality_code=municipality_code, event_id=event_id)
    keys = [key for key in counts if key in names]
    styled = thematic.safety(
        [counts[key].confirmed for key in keys], [count(counts[key].total) for key in keys]
    )
    legend.append(styled.legend)
    return [
        {"key": key, "label": names[key], "shown": shown, "colour": colour}
        for key, shown, colour in zip(keys, styled.shown, styled.colours, strict=True)
    ]


def _damage(
    session: Session,
    municipality_code: str,
    event_id: int | None,
    names: Mapping[str, str],
    count: Count,
    legend: list[LegendSection],
) -> list[dict[str, Any]] | None:
    counts = damage_counts(session=session, municipality_code=municipality_code, event_id=event_id)
    legend.append(thematic.damage_legend(counts is not None))
    if counts is None:
        return None
    rows = []
    for key, levels in counts.items():
        if key not in names:
            continue
        shown = {level: count(levels.get(level, 0)) for level in styles.DAMAGE_LEVELS}
        rows.append(
            {
                "key": key,
                "label": names[key],
                "levels": thematic.damage_labels(shown),
                "colour": thematic.worst_colour(shown),
            }
        )
    return rows


def _shelters(
    session: Session, municipality_code: str, event_id: int | None, count: Count
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    plans, status = shelter_facts(session, municipality_code, event_id)
    query = (
        select(
            Shelter.id,
            Shelter.name,
            Shelter.kind,
            Shelter.is_welfare,
            func.coalesce(Shelter.capacity, Shelter.estimated_capacity),
            ST_Y(Shelter.point),
            ST_X(Shelter.point),
        )
        .where(Shelter.municipality_code == municipality_code, Shelter.point.is_not(None))
        .order_by(Shelter.id)
    )
    markers, squares = [], []
    for shelter_id, name, kind, is_welfare, capacity, lat, lon in session.execute(query):
        state = status.get(shelter_id)
        shelter = {
            "name": name,
            "kind": str(kind),
            "is_welfare": is_welfare,
            "capacity": capacity,
            "occupancy": state.occupancy if state else None,
            "is_open": state.is_open if state else None,
            "plans": count(plans.get(shelter_id, 0)),
        }
        markers.append(thematic.shelter_marker(shelter, lat, lon))
        if (square := thematic.plan_marker(shelter, lat, lon)) is not None:
            squares.append(square)
    return markers, squares
