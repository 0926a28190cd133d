"""Municipalities: registration, outline, and the code's check digit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import shapely
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.database.core import STORAGE_SRID
from sonae.errors import InvalidInputError, NotFoundError
from sonae.gis.crs import PLANE_RECTANGULAR_SRID_BY_ZONE
from sonae.gis.validate import POLYGONAL, as_multi, check_geometries
from sonae.municipality.models import Municipality

if TYPE_CHECKING:
    from sonae.gis.reader import ReadOptions


def code_check_digit(first_five: str) -> int:
    """全国地方公共団体コード check digit: (11 − Σ digit·weight mod 11) mod 10, weights 6…2."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def validate_code(code: str) -> str:
    if len(code) != 6 or not code.isdigit():
        raise InvalidInputError(f"municipality code {code!r} must be 6 digits")
    if code_check_digit(code[:5]) != int(code[5]):
        raise InvalidInputError(f"municipality code {code!r} has a wrong check digit")
    return code


def validate_plane_srid(srid: int) -> int:
    if srid not in PLANE_RECTANGULAR_SRID_BY_ZONE.values():
        raise InvalidInputError(
            f"EPSG:{srid} is not a JGD2011 plane rectangular zone (EPSG:6669–6687)"
        )
    return srid


def get(*, session: Session, code: str) -> Municipality:
    municipality = session.get(Municipality, code)
    if municipality is None:
        raise NotFoundError(f"municipality {code} is not registered")
    return municipality


def list_all(*, session: Session) -> list[Municipality]:
    return list(session.scalars(select(Municipality).order_by(Municipality.code)))


def register(
    *,
    session: Session,
    code: str,
    name: str,
    plane_rectangular_srid: int,
    outline: BaseGeometry | None = None,
) -> Municipality:
    """Create or update a municipality; an outline given replaces the stored one."""
    validate_code(code)
    validate_plane_srid(plane_rectangular_srid)
    municipality = session.get(Municipality, code)
    if municipality is None:
        municipality = Municipality(
            code=code, name=name, plane_rectangular_srid=plane_rectangular_srid
        )
        session.add(municipality)
    municipality.name = name
    municipality.plane_rectangular_srid = plane_rectangular_srid
    if outline is not None:
        municipality.outline = from_shape(as_multi(outline), srid=STORAGE_SRID)
    session.flush()
    return municipality


def outline_shape(municipality: Municipality) -> BaseGeometry | None:
    return None if municipality.outline is None else to_shape(municipality.outline)


def import_outline(
    *,
    session: Session,
    code: str,
    name: str,
    plane_rectangular_srid: int,
    path: Path,
    read: ReadOptions | None = None,
) -> Municipality:
    """Register the municipality with the union of the file's polygons as its outline."""
    # The file reader (geopandas, GDAL) is imported here: get(), which much of Sonae calls, and
    # the CLI commands behind it should not wait for it.
    from sonae.gis.reader import read_layer

    validate_code(code)
    validate_plane_srid(plane_rectangular_srid)
    frame = read_layer(path, read)
    checked = check_geometries(path.name, frame, POLYGONAL)
    outline = as_multi(shapely.union_all(list(checked.frame.geometry)))
    return register(
        session=session,
        code=code,
        name=name,
        plane_rectangular_srid=plane_rectangular_srid,
        outline=outline,
    )
