"""Geometry checks on import: type, emptiness, validity (repaired or refused) and location.

Feature numbers in messages are 1-based positions in the file (for CSV: data rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import shapely
from shapely.geometry.base import BaseGeometry

from sonae.errors import ImportRejectedError, Problem
from sonae.gis.crs import STORAGE_CRS

# geopandas (with pandas, 0.2 s) is imported by the checks that use it, not here: as_multi is
# needed by much that never reads a file, down to CLI commands that should start at once.
if TYPE_CHECKING:
    import geopandas as gpd

POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
PUNCTUAL = frozenset({"Point"})
LINEAR = frozenset({"LineString"})


@dataclass(frozen=True)
class CheckedFrame:
    frame: gpd.GeoDataFrame
    repaired: int
    """How many invalid polygons make_valid repaired."""


def check_geometries(
    file: str, frame: gpd.GeoDataFrame, allowed: frozenset[str], *, repair: bool = True
) -> CheckedFrame:
    """Refuse empty and wrongly typed geometries; repair or refuse invalid polygons."""
    problems: list[Problem] = []
    geometries: list[BaseGeometry | None] = []
    repaired = 0
    for position, geom in enumerate(frame.geometry, start=1):
        checked, problem, was_repaired = _check_one(geom, allowed, repair=repair)
        if problem is not None:
            problems.append(Problem(problem, feature=position, field="geometry"))
        repaired += was_repaired
        geometries.append(checked)
    if problems:
        raise ImportRejectedError(file, problems)
    import geopandas as gpd

    result = frame.copy()
    result["geometry"] = gpd.GeoSeries(geometries, index=frame.index, crs=frame.crs)
    return CheckedFrame(result, repaired)


def _check_one(
    geom: BaseGeometry | None, allowed: frozenset[str], *, repair: bool
) -> tuple[BaseGeometry | None, str | None, bool]:
    if geom is None or geom.is_empty:
        return None, "empty geometry", False
    geom = shapely.force_2d(geom)
    if geom.geom_type not in allowed:
        return (
            None,
            f"geometry type {geom.geom_type}, expected {' or '.join(sorted(allowed))}",
            False,
        )
    if geom.is_valid:
        return geom, None, False
    if not repair or geom.geom_type not in POLYGONAL:
        return None, f"invalid geometry ({shapely.is_valid_reason(geom)})", False
    # "structure" unions overlapping parts (PLATEAU draws zones as overlapping triangles);
    # the default "linework" method would turn every overlap into a hole.
    fixed = _polygonal_part(shapely.make_valid(geom, method="structure", keep_collapsed=False))
    if fixed is None:
        return (
            None,
            f"invalid geometry that cannot be repaired ({shapely.is_valid_reason(geom)})",
            False,
        )
    return fixed, None, True


def _polygonal_part(geom: BaseGeometry) -> BaseGeometry | None:
    """make_valid may return a collection with stray lines; keep the polygons."""
    if geom.geom_type in POLYGONAL:
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in POLYGONAL]
    if not parts:
        return None
    merged: BaseGeometry = shapely.union_all(parts)
    return merged


def check_within(
    file: str,
    frame: gpd.GeoDataFrame,
    outline: BaseGeometry,
    *,
    plane_srid: int,
    tolerance_m: float,
) -> None:
    """Refuse features lying wholly outside the municipality (beyond the tolerance)."""
    import geopandas as gpd

    area = gpd.GeoSeries([outline], crs=STORAGE_CRS).to_crs(plane_srid).iloc[0]
    allowed = shapely.buffer(area, tolerance_m)
    shapely.prepare(allowed)
    projected = frame.geometry.to_crs(plane_srid)
    outside = [i for i, g in enumerate(projected, start=1) if not allowed.intersects(g)]
    if outside:
        raise ImportRejectedError(
            file,
            [
                Problem(
                    f"geometry lies outside the municipality (more than {tolerance_m:g} m)",
                    feature=i,
                )
                for i in outside
            ],
        )


def as_multi(geom: BaseGeometry) -> BaseGeometry:
    """Store polygons uniformly as MultiPolygon."""
    if isinstance(geom, shapely.Polygon):
        return shapely.MultiPolygon([geom])
    return geom
