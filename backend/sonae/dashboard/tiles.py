"""Person-level layers as Mapbox vector tiles, cut by PostGIS (ST_AsMVT).

Below DETAIL_ZOOM a tile holds clusters (one feature per 64th of the tile with a count), so a
city-wide view never ships people one by one. From DETAIL_ZOOM a tile holds one feature per
person or dwelling, with internal ids only (no names): the card is fetched on click, audited.

Registry geocoding puts everyone of a town at the town's representative point, so people who
share a point are laid out on a sunflower spiral around it (display only; the popup says so).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, Select, cast, func, literal_column, select
from sqlalchemy.orm import Session

from sonae.database.core import STORAGE_SRID

DETAIL_ZOOM = 15
EXTENT = 4096
BUFFER = 64
CLUSTER_CELLS = 64
"""Clusters per tile side below DETAIL_ZOOM."""
SPIRAL_SPACING = 4.0
"""Web-Mercator units (≈ 3.3 m at 35°N) between neighbours on the display spiral."""
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
WORLD = 40075016.685578488
MAX_ZOOM = 20


@dataclass(frozen=True)
class Tile:
    data: bytes
    ids: list[int]
    """Ids of the features (person or dwelling) in a detail tile; empty for cluster tiles."""


def tile_in_range(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


def cut(
    *,
    session: Session,
    source: Select[Any],
    layer: str,
    id_column: str,
    properties: list[str],
    z: int,
    x: int,
    y: int,
    severity: str | None = None,
) -> Tile:
    """The tile z/x/y of `source` (which labels a POINT `geometry` in EPSG:6668)."""
    rows = source.subquery("src")
    envelope = func.ST_TileEnvelope(z, x, y)
    margin = WORLD / 2**z * BUFFER / EXTENT + (0 if z < DETAIL_ZOOM else 500.0)
    area = func.ST_Transform(func.ST_Expand(envelope, margin), STORAGE_SRID)
    inside = rows.c.geometry.op("&&")(area)
    if z >= DETAIL_ZOOM:
        return _detail(session, rows, inside, envelope, layer, id_column, properties)
    return _clusters(session, rows, inside, envelope, layer, z, severity)


def _detail(
    session: Session,
    rows: Any,
    inside: Any,
    envelope: Any,
    layer: str,
    id_column: str,
    properties: list[str],
) -> Tile:
    mercator = func.ST_Transform(rows.c.geometry, 3857)
    rank = func.row_number().over(partition_by=rows.c.geometry, order_by=rows.c[id_column]) - 1
    ranked = (
        select(
            mercator.label("point"),
            cast(rank, Float).label("n"),
            rows.c[id_column].label("id"),
            *(rows.c[p] for p in properties),
        )
        .where(inside)
        .subquery("ranked")
    )
    radius = SPIRAL_SPACING * func.sqrt(ranked.c.n)
    angle = ranked.c.n * GOLDEN_ANGLE
    spread = func.ST_Translate(ranked.c.point, radius * func.cos(angle), radius * func.sin(angle))
    features = select(
        func.ST_AsMVTGeom(spread, envelope, EXTENT, BUFFER, True).label("geom"),
        ranked.c.id,
        *(ranked.c[p] for p in properties),
    ).subquery("t")
    query = select(
        func.ST_AsMVT(literal_column("t"), layer, EXTENT, "geom", "id"),
        func.array_agg(features.c.id),
    ).where(features.c.geom.is_not(None))
    data, ids = session.execute(query).one()
    return Tile(bytes(data or b""), sorted(int(i) for i in ids or []))


def _clusters(
    session: Session,
    rows: Any,
    inside: Any,
    envelope: Any,
    layer: str,
    z: int,
    severity: str | None,
) -> Tile:
    cell = WORLD / 2**z / CLUSTER_CELLS
    mercator = func.ST_Transform(rows.c.geometry, 3857)
    snapped = func.ST_SnapToGrid(mercator, cell)
    extra = [func.min(rows.c[severity]).label("worst")] if severity else []
    features = (
        select(
            func.ST_AsMVTGeom(
                func.ST_Centroid(func.ST_Collect(mercator)), envelope, EXTENT, BUFFER, True
            ).label("geom"),
            func.count().label("count"),
            *extra,
        )
        .where(inside)
        .group_by(snapped)
        .subquery("t")
    )
    query = select(func.ST_AsMVT(literal_column("t"), layer, EXTENT, "geom")).where(
        features.c.geom.is_not(None)
    )
    data = session.execute(query).scalar()
    return Tile(bytes(data or b""), [])
