"""Chome (町丁目) import: boundary polygons or representative points, with census counts.

Urayasu ships polygons and a separate census table (joined on KEY_CODE); Nishinomiya has no
polygons, so its census table itself is the layer, as points.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pandas as pd
import shapely
from geoalchemy2.shape import from_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sonae.chome.models import Chome
from sonae.database.core import STORAGE_SRID
from sonae.errors import ImportRejectedError, Problem
from sonae.gis.columns import FieldSpec, resolve_columns, text_value
from sonae.gis.reader import ReadOptions, read_csv_table
from sonae.gis.validate import POLYGONAL, PUNCTUAL, as_multi
from sonae.importing.common import ImportSummary, load_layer, record_import
from sonae.municipality import service as municipality_service

N = TypeVar("N", int, float)

WATER_AREA_HCODE = "8154"
"""Census 水面調査区: water areas (harbours) that have a key but no residents."""
AREA_TYPE_COLUMN = "HCODE"

CHOME_FIELDS = (
    FieldSpec("key_code", ("KEY_CODE",)),
    FieldSpec("name", ("S_NAME", "MOJI", "町丁目名")),
    FieldSpec("population", ("JINKO", "人口", "人口総数"), required=False),
    FieldSpec("households", ("SETAI", "世帯数", "世帯総数"), required=False),
    FieldSpec("area_m2", ("AREA", "面積"), required=False),
)


def import_chome(
    *,
    session: Session,
    municipality_code: str,
    path: Path,
    read: ReadOptions | None = None,
    columns: dict[str, str] | None = None,
    census_table: Path | None = None,
    census_year: int | None = None,
) -> ImportSummary:
    municipality = municipality_service.get(session=session, code=municipality_code)
    loaded = load_layer(
        session=session,
        municipality=municipality,
        path=path,
        read=read or ReadOptions(),
        allowed=POLYGONAL | PUNCTUAL,
        exclude=(_is_water_area, "census water areas (HCODE 8154)"),
    )
    frame = loaded.frame
    if census_table is not None:
        frame = _join_census(frame, path.name, census_table)
    fields = resolve_columns(path.name, frame, CHOME_FIELDS, columns or {})
    rows = _merge_parts(path.name, [_row(path.name, frame, fields, i) for i in range(len(frame))])
    for chome in rows:
        row = chome.values(municipality_code, census_year)
        statement = insert(Chome).values(**row)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["municipality_code", "key_code"],
                set_={
                    k: statement.excluded[k]
                    for k in row
                    if k not in ("municipality_code", "key_code")
                },
            )
        )
    return record_import(
        session=session,
        municipality_code=municipality_code,
        layer="chome",
        path=path,
        loaded=loaded,
        stored=len(rows),
    )


def _is_water_area(frame: gpd.GeoDataFrame) -> pd.Series[bool]:
    if AREA_TYPE_COLUMN not in frame.columns:
        return pd.Series(False, index=frame.index)
    is_water: pd.Series[bool] = frame[AREA_TYPE_COLUMN].astype(str).str.strip() == WATER_AREA_HCODE
    return is_water


def _join_census(frame: gpd.GeoDataFrame, file: str, census_table: Path) -> gpd.GeoDataFrame:
    census = read_csv_table(census_table)
    key = "KEY_CODE"
    for name, table in ((file, frame), (census_table.name, census)):
        if key not in table.columns:
            raise ImportRejectedError(name, [Problem("missing join column", field=key)])
    census = census.drop(columns=[c for c in census.columns if c in frame.columns and c != key])
    joined = frame.assign(**{key: frame[key].astype(str)}).merge(census, on=key, how="left")
    unmatched = [i + 1 for i, v in enumerate(joined[census.columns.drop(key)[0]]) if pd.isna(v)]
    if unmatched:
        raise ImportRejectedError(
            file,
            [
                Problem(f"no row in {census_table.name} for this KEY_CODE", feature=i)
                for i in unmatched
            ],
        )
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=frame.crs)


@dataclass
class ChomeRow:
    key_code: str
    name: str
    population: int | None
    households: int | None
    area_m2: float | None
    geometry: BaseGeometry
    position: int
    parts: int = 1
    largest_part: int = -1
    """Population of the most populous part merged so far (-1: not merged yet)."""

    def merge(self, other: ChomeRow) -> None:
        """Add another part (飛び地) of the same chome: counts add up, shapes unite."""
        if self.largest_part < 0:
            self.largest_part = self.population or 0
        bigger = (other.population or 0) > self.largest_part
        self.largest_part = max(self.largest_part, other.population or 0)
        self.population = _add(self.population, other.population)
        self.households = _add(self.households, other.households)
        self.area_m2 = _add(self.area_m2, other.area_m2)
        if self.geometry.geom_type in POLYGONAL:
            self.geometry = shapely.union_all([self.geometry, other.geometry])
        elif bigger:
            # Points cannot be united: keep the part where most people live.
            self.geometry = other.geometry
        self.parts += 1

    def values(self, code: str, year: int | None) -> dict[str, object]:
        polygonal = self.geometry.geom_type in POLYGONAL
        point = shapely.point_on_surface(self.geometry) if polygonal else self.geometry
        return {
            "municipality_code": code,
            "key_code": self.key_code,
            "name": self.name,
            "population": self.population,
            "households": self.households,
            "area_m2": self.area_m2,
            "census_year": year,
            "boundary": from_shape(as_multi(self.geometry), srid=STORAGE_SRID)
            if polygonal
            else None,
            "point": from_shape(point, srid=STORAGE_SRID),
        }


def _add(a: N | None, b: N | None) -> N | None:
    return b if a is None else a if b is None else a + b


def _row(file: str, frame: gpd.GeoDataFrame, fields: dict[str, str | None], i: int) -> ChomeRow:
    record = frame.iloc[i]
    return ChomeRow(
        key_code=text_value(record[fields["key_code"]]) or "",
        name=text_value(record[fields["name"]]) or "",
        population=_count(file, record, fields["population"], i),
        households=_count(file, record, fields["households"], i),
        area_m2=_number(record, fields["area_m2"]),
        geometry=record.geometry,
        position=i + 1,
    )


def _count(file: str, record: pd.Series, column: str | None, i: int) -> int | None:
    value = _number(record, column)
    if value is None:
        return None
    if value < 0 or value != int(value):
        problem = Problem("not a non-negative whole number", feature=i + 1, field=column)
        raise ImportRejectedError(file, [problem])
    return int(value)


def _number(record: pd.Series, column: str | None) -> float | None:
    text = None if column is None else text_value(record[column])
    if text is None:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        # census tables mark suppressed cells with "-" or "X" (秘匿): unknown, not zero.
        return None


def _merge_parts(file: str, rows: list[ChomeRow]) -> list[ChomeRow]:
    """Census tables list a chome in several parts under one key: merge them, refuse clashes."""
    merged: dict[str, ChomeRow] = {}
    problems = []
    for row in rows:
        first = merged.get(row.key_code)
        if not row.key_code:
            problems.append(Problem("empty key code", feature=row.position, field="key_code"))
        elif first is None:
            merged[row.key_code] = row
        elif first.name != row.name or first.geometry.geom_type != row.geometry.geom_type:
            problems.append(
                Problem(
                    f"key code already used by feature {first.position} for another chome",
                    feature=row.position,
                    field="key_code",
                )
            )
        else:
            first.merge(row)
    if problems:
        raise ImportRejectedError(file, problems)
    return list(merged.values())
