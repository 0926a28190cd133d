"""The Urayasu baseline bundle against its own files, counted here without the importers."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyogrio
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.address.models import AddressPoint
from sonae.address.service import import_address_points
from sonae.chome.models import Chome
from sonae.chome.service import import_chome
from sonae.config import PROJECT_ROOT
from sonae.gis.reader import ReadOptions
from sonae.municipality.models import ImportRecord
from sonae.road.models import RoadEdge, RoadNode
from sonae.shelter.models import Shelter, ShelterKind
from sonae.shelter.service import import_shelters

URAYASU = PROJECT_ROOT / "data" / "cities" / "urayasu"
CODE = "122271"
CENSUS = URAYASU / "chome_population_2015.csv"
CHOME = URAYASU / "chome_boundaries_2020.geojson"
DESIGNATED = URAYASU / "shelters_designated.geojson"
EMERGENCY = URAYASU / "evacuation_sites_emergency.geojson"
TOWNS = URAYASU / "town_points.csv"
ROADS = URAYASU / "road_network_osm_2023.gpkg"


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def geojson_features(path: Path) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))["features"]
    return features


def test_chome_count_and_population_match_the_census(session: Session, count) -> None:
    census = csv_rows(CENSUS)
    polygons = geojson_features(CHOME)
    assert count(Chome, CODE) == len(polygons) == len({r["KEY_CODE"] for r in census})
    assert count(Chome, CODE, Chome.boundary.is_not(None)) == len(polygons)
    stored = session.execute(
        select(Chome.key_code, Chome.population, Chome.households).where(
            Chome.municipality_code == CODE
        )
    ).all()
    assert sum(p for _, p, _ in stored) == sum(int(r["JINKO"]) for r in census)
    assert sum(h for _, _, h in stored) == sum(int(r["SETAI"]) for r in census)
    by_key = {r["KEY_CODE"]: int(r["JINKO"]) for r in census}
    assert {key: population for key, population, _ in stored} == by_key


def test_chome_names_come_from_the_boundary_file(session: Session) -> None:
    properties = [f["properties"] for f in geojson_features(CHOME)]
    expected = {p["KEY_CODE"]: p["S_NAME"] for p in properties}
    stored = dict(
        session.execute(
            select(Chome.key_code, Chome.name).where(Chome.municipality_code == CODE)
        ).all()
    )
    assert stored == expected


def test_shelters_are_counted_per_kind(count) -> None:
    designated = count(Shelter, CODE, Shelter.kind == ShelterKind.designated_shelter)
    emergency = count(Shelter, CODE, Shelter.kind == ShelterKind.emergency_site)
    assert designated == len(geojson_features(DESIGNATED))
    assert emergency == len(geojson_features(EMERGENCY))


def test_address_points_match_the_town_table(count) -> None:
    rows = csv_rows(TOWNS)
    assert count(AddressPoint, CODE) == len(rows) == len({(r["town"], r["koaza"]) for r in rows})


def test_road_nodes_and_edges_match_the_geopackage(count) -> None:
    assert count(RoadNode, CODE) == pyogrio.read_info(ROADS, layer="nodes")["features"]
    assert count(RoadEdge, CODE) == pyogrio.read_info(ROADS, layer="edges")["features"]


def test_every_import_is_recorded_with_its_feature_count(session: Session) -> None:
    records = session.execute(
        select(ImportRecord.file_name, ImportRecord.feature_count).where(
            ImportRecord.municipality_code == CODE
        )
    ).all()
    counts = dict(records)
    assert counts[DESIGNATED.name] == len(geojson_features(DESIGNATED))
    assert counts[EMERGENCY.name] == len(geojson_features(EMERGENCY))
    assert counts[TOWNS.name] == len(csv_rows(TOWNS))
    assert counts[ROADS.name] == pyogrio.read_info(ROADS, layer="edges")["features"]


def test_reimporting_shelters_creates_no_duplicates(session: Session, count) -> None:
    before = count(Shelter, CODE)
    for path, kind in (
        (DESIGNATED, ShelterKind.designated_shelter),
        (EMERGENCY, ShelterKind.emergency_site),
    ):
        summary = import_shelters(session=session, municipality_code=CODE, path=path, kind=kind)
        assert summary.features == len(geojson_features(path))
    assert count(Shelter, CODE) == before


def test_reimporting_chome_creates_no_duplicates_and_keeps_counts(session: Session, count) -> None:
    before = count(Chome, CODE)
    summary = import_chome(
        session=session,
        municipality_code=CODE,
        path=CHOME,
        census_table=CENSUS,
        census_year=2015,
    )
    assert summary.features == summary.stored == before
    assert count(Chome, CODE) == before
    total = session.scalar(
        select(func.sum(Chome.population)).where(Chome.municipality_code == CODE)
    )
    assert total == sum(int(r["JINKO"]) for r in csv_rows(CENSUS))


def test_reimporting_address_points_creates_no_duplicates(session: Session, count) -> None:
    before = count(AddressPoint, CODE)
    import_address_points(
        session=session,
        municipality_code=CODE,
        path=TOWNS,
        read=ReadOptions(crs="EPSG:6668", x_column="lng", y_column="lat"),
    )
    assert count(AddressPoint, CODE) == before
