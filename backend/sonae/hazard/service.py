"""Hazard zones: import of real hazard maps, and their subdivided copy for fast joins.

Re-importing a scenario replaces it: a hazard map is revised as a whole, never row by row.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
from geoalchemy2.shape import from_shape
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from sonae.database.core import STORAGE_SRID
from sonae.errors import ImportRejectedError, Problem
from sonae.gis.columns import FieldSpec, resolve_columns, text_value
from sonae.gis.reader import ReadOptions
from sonae.gis.validate import POLYGONAL, as_multi
from sonae.hazard.models import HAZARD_TYPE_LABELS, HazardType, HazardZone, HazardZonePart
from sonae.importing.common import ImportSummary, load_layer, record_import
from sonae.municipality import service as municipality_service

SUBDIVIDE_MAX_VERTICES = 255
"""ST_Subdivide piece size: small pieces keep point-in-polygon joins index-friendly."""

HAZARD_FIELDS = (
    FieldSpec("rank", ("rank", "浸水ランク", "ランク", "区分")),
    FieldSpec("feature_id", ("gml_id", "id", "ID"), required=False),
)


def parse_rank_labels(option: str | None) -> dict[int, str]:
    """ "1=0.5m未満,2=0.5〜3m" → {1: "0.5m未満", 2: "0.5〜3m"}; raises ValueError."""
    labels: dict[int, str] = {}
    for item in (option or "").split(","):
        if not item.strip():
            continue
        rank, sep, label = item.partition("=")
        if not sep or not rank.strip().isdigit() or not label.strip():
            raise ValueError(f"rank label {item!r} is not of the form rank=label")
        labels[int(rank)] = label.strip()
    return labels


def import_hazard_zones(
    *,
    session: Session,
    municipality_code: str,
    path: Path,
    hazard_type: HazardType,
    scenario: str,
    rank_labels: Mapping[int, str] | None = None,
    read: ReadOptions | None = None,
    columns: dict[str, str] | None = None,
    source: str | None = None,
) -> ImportSummary:
    municipality = municipality_service.get(session=session, code=municipality_code)
    loaded = load_layer(
        session=session,
        municipality=municipality,
        path=path,
        read=read or ReadOptions(),
        allowed=POLYGONAL,
    )
    fields = resolve_columns(path.name, loaded.frame, HAZARD_FIELDS, columns or {})
    zones = _zones(
        path.name,
        loaded.frame,
        fields,
        hazard_type,
        scenario,
        rank_labels or {},
        source or path.name,
    )
    replace_scenario(
        session=session,
        municipality_code=municipality_code,
        hazard_type=hazard_type,
        scenario=scenario,
        zones=zones,
    )
    return record_import(
        session=session,
        municipality_code=municipality_code,
        layer=f"hazard:{hazard_type.value}",
        path=path,
        loaded=loaded,
    )


def _zones(
    file: str,
    frame: gpd.GeoDataFrame,
    fields: dict[str, str | None],
    hazard_type: HazardType,
    scenario: str,
    rank_labels: Mapping[int, str],
    source: str,
) -> list[HazardZone]:
    zones, problems = [], []
    rank_column = fields["rank"] or ""
    for position, (cell, geom) in enumerate(
        zip(frame[rank_column], frame.geometry, strict=True), start=1
    ):
        rank_text = text_value(cell)
        if rank_text is None or not rank_text.lstrip("-").isdigit() or int(rank_text) < 0:
            problems.append(
                Problem("rank is not a whole number ≥ 0", feature=position, field=rank_column)
            )
            continue
        rank = int(rank_text)
        feature_id = (
            text_value(frame[fields["feature_id"]].iloc[position - 1])
            if fields["feature_id"]
            else None
        )
        zones.append(
            HazardZone(
                hazard_type=hazard_type,
                scenario=scenario,
                rank=rank,
                rank_label=rank_labels.get(rank, f"{HAZARD_TYPE_LABELS[hazard_type]} ランク{rank}"),
                is_derived_scenario=False,
                source=source,
                source_feature_id=feature_id,
                geom=from_shape(as_multi(geom), srid=STORAGE_SRID),
            )
        )
    if problems:
        raise ImportRejectedError(file, problems)
    return zones


def replace_scenario(
    *,
    session: Session,
    municipality_code: str,
    hazard_type: HazardType,
    scenario: str,
    zones: list[HazardZone],
) -> None:
    """Swap a scenario's zones for new ones and rebuild their subdivided parts."""
    session.execute(
        delete(HazardZone).where(
            HazardZone.municipality_code == municipality_code,
            HazardZone.hazard_type == hazard_type,
            HazardZone.scenario == scenario,
        )
    )
    for zone in zones:
        zone.municipality_code = municipality_code
    session.add_all(zones)
    session.flush()
    session.execute(
        text(
            "INSERT INTO hazard_zone_part (municipality_code, zone_id, hazard_type, rank, geom) "
            "SELECT z.municipality_code, z.id, z.hazard_type, z.rank, "
            "(ST_Dump(ST_Subdivide(z.geom, :n))).geom FROM hazard_zone z "
            "WHERE z.municipality_code = :code AND z.hazard_type = :type "
            "AND z.scenario = :scenario"
        ),
        {
            "n": SUBDIVIDE_MAX_VERTICES,
            "code": municipality_code,
            "type": hazard_type.name,
            "scenario": scenario,
        },
    )


def part_count(*, session: Session, municipality_code: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(HazardZonePart)
            .where(HazardZonePart.municipality_code == municipality_code)
        )
        or 0
    )
