"""Queries behind the OGC API – Features endpoints: GeoJSON straight from PostGIS."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from sonae.database.core import STORAGE_SRID
from sonae.errors import InvalidInputError, NotFoundError
from sonae.features.collections import COLLECTIONS, FeatureCollectionSpec

COORDINATE_DECIMALS = 7
"""1e-7 degrees is about 1 cm: finer digits only bloat the response."""


@dataclass(frozen=True)
class BBox:
    min_x: float
    min_y: float
    max_x: float
    max_y: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        try:
            values = [float(v) for v in text.split(",")]
        except ValueError as exc:
            raise InvalidInputError(
                "bbox must be four numbers: minLon,minLat,maxLon,maxLat"
            ) from exc
        if len(values) != 4:
            raise InvalidInputError("bbox must be four numbers: minLon,minLat,maxLon,maxLat")
        box = cls(*values)
        if box.min_x > box.max_x or box.min_y > box.max_y:
            raise InvalidInputError("bbox minimum exceeds its maximum")
        return box


@dataclass(frozen=True)
class FeaturePage:
    features: list[dict[str, Any]]
    number_matched: int


def get_collection(collection_id: str) -> FeatureCollectionSpec:
    spec = COLLECTIONS.get(collection_id)
    if spec is None:
        raise NotFoundError(
            f"no collection {collection_id!r} (collections: {', '.join(COLLECTIONS)})"
        )
    return spec


def _base_query(
    spec: FeatureCollectionSpec, municipality_code: str, bbox: BBox | None
) -> Select[Any]:
    query = select(
        spec.id_column.label("fid"),
        func.ST_AsGeoJSON(spec.geometry, COORDINATE_DECIMALS).label("geometry"),
        *(column.label(name) for name, column in spec.properties.items()),
    ).where(spec.municipality_column == municipality_code, spec.geometry.is_not(None))
    if bbox is not None:
        envelope = func.ST_MakeEnvelope(
            bbox.min_x, bbox.min_y, bbox.max_x, bbox.max_y, STORAGE_SRID
        )
        query = query.where(func.ST_Intersects(spec.geometry, envelope))
    return query


def page_items(
    *,
    session: Session,
    spec: FeatureCollectionSpec,
    municipality_code: str,
    bbox: BBox | None,
    limit: int,
    offset: int,
) -> FeaturePage:
    query = _base_query(spec, municipality_code, bbox)
    matched = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = (
        session.execute(query.order_by(spec.id_column).limit(limit).offset(offset)).mappings().all()
    )
    return FeaturePage([_feature(spec, row) for row in rows], matched)


def get_item(
    *, session: Session, spec: FeatureCollectionSpec, municipality_code: str, feature_id: str
) -> dict[str, Any]:
    key: int | str = feature_id
    if spec.id_column.type.python_type is int:
        if not feature_id.isdigit():
            raise NotFoundError(f"no feature {feature_id!r} in {spec.id}")
        key = int(feature_id)
    row = (
        session.execute(_base_query(spec, municipality_code, None).where(spec.id_column == key))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFoundError(f"no feature {feature_id!r} in {spec.id}")
    return _feature(spec, row)


def extent(
    *, session: Session, spec: FeatureCollectionSpec, municipality_code: str
) -> list[float] | None:
    box = session.execute(
        select(
            func.ST_XMin(func.ST_Extent(spec.geometry)),
            func.ST_YMin(func.ST_Extent(spec.geometry)),
            func.ST_XMax(func.ST_Extent(spec.geometry)),
            func.ST_YMax(func.ST_Extent(spec.geometry)),
        ).where(spec.municipality_column == municipality_code)
    ).one()
    return None if box[0] is None else [float(v) for v in box]


def _feature(spec: FeatureCollectionSpec, row: Any) -> dict[str, Any]:
    properties = {name: _jsonable(row[name]) for name in spec.properties}
    return {
        "type": "Feature",
        "id": row["fid"],
        "geometry": json.loads(row["geometry"]),
        "properties": properties,
    }


def _jsonable(value: object) -> object:
    return value.value if hasattr(value, "value") else value
