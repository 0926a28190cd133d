"""Coordinate reference systems: storage in JGD2011 geographic, metric work in plane zones."""

from __future__ import annotations

from functools import lru_cache

from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from sonae.database.core import STORAGE_SRID

STORAGE_CRS = CRS.from_epsg(STORAGE_SRID)

PLANE_RECTANGULAR_SRID_BY_ZONE = {zone: 6668 + zone for zone in range(1, 20)}
"""JGD2011 平面直角座標系 zones I–XIX are EPSG:6669–6687."""


def parse_crs(value: str | int) -> CRS:
    """A CRS from user input ("EPSG:6677", "6677", a WKT or PROJ string); raises ValueError."""
    text = str(value).strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise ValueError(f"unknown CRS {value!r}") from exc


@lru_cache(maxsize=64)
def transformer(source_srid: int, target_srid: int) -> Transformer:
    """Transformer that always takes and returns x=lon/easting, y=lat/northing."""
    return Transformer.from_crs(source_srid, target_srid, always_xy=True)
