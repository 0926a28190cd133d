"""Nishinomiya: no chome polygons, so the census table's points are the chome layer."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pyogrio
import pytest
from geoalchemy2.shape import to_shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.address.models import AddressPoint
from sonae.chome.models import Chome
from sonae.chome.service import import_chome
from sonae.config import PROJECT_ROOT
from sonae.gis.reader import ReadOptions
from sonae.importing.bundle import load_city
from sonae.shelter.models import Shelter

CITY = PROJECT_ROOT / "data" / "cities" / "nishinomiya"
CODE = "282049"
CENSUS = CITY / "chome_population_2015.csv"
RULES = PROJECT_ROOT / "data" / "reference" / "shelter_capacity_rules.csv"
WATER = "8154"


def census_rows(path: Path = CENSUS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def loaded(session: Session) -> list[str]:
    return load_city(session=session, city_dir=CITY, capacity_rules=RULES)


def stored_chome(session: Session, code: str = CODE) -> dict[str, Chome]:
    chome = session.scalars(select(Chome).where(Chome.municipality_code == code))
    return {c.key_code: c for c in chome}


def test_the_bundle_loads_chome_as_points(session: Session, loaded: list[str], count) -> None:
    chome = stored_chome(session)
    assert chome
    assert all(c.boundary is None and c.point is not None for c in chome.values())
    assert all(c.census_year == 2015 for c in chome.values())
    assert count(AddressPoint, CODE) == len(census_rows(CITY / "town_points.csv"))
    sites = ("shelters_designated.geojson", "evacuation_sites_emergency.geojson")
    assert count(Shelter, CODE) == sum(pyogrio.read_info(CITY / f)["features"] for f in sites)


def test_population_total_equals_the_census_total(session: Session, loaded: list[str]) -> None:
    total = sum(c.population or 0 for c in stored_chome(session).values())
    assert total == sum(int(r["JINKO"]) for r in census_rows())


def test_the_water_area_is_skipped_and_reported(session: Session, loaded: list[str]) -> None:
    rows = census_rows()
    water = [r for r in rows if r["HCODE"] == WATER]
    assert len(water) == 1
    assert water[0]["KEY_CODE"] not in stored_chome(session)
    [line] = [line for line in loaded if line.startswith("chome:")]
    assert f"{len(water)} skipped" in line
    assert "HCODE 8154" in line
    assert f"{len(rows) - len(water)} features" in line


def test_parts_sharing_a_key_are_merged(session: Session, loaded: list[str]) -> None:
    parts: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in census_rows():
        if row["HCODE"] != WATER:
            parts[row["KEY_CODE"]].append(row)
    assert any(len(p) > 1 for p in parts.values())  # the real table lists 飛び地 in parts
    chome = stored_chome(session)
    assert set(chome) == set(parts)
    for key, rows in parts.items():
        assert chome[key].population == sum(int(r["JINKO"]) for r in rows), key
        assert chome[key].households == sum(int(r["SETAI"]) for r in rows), key
        assert chome[key].name == rows[0]["MOJI"]
    [line] = [line for line in loaded if line.startswith("chome:")]
    assert f"stored as {len(parts)}" in line


def test_a_merged_chome_keeps_the_point_of_its_most_populous_part(
    session: Session, loaded: list[str]
) -> None:
    parts: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in census_rows():
        parts[row["KEY_CODE"]].append(row)
    chome = stored_chome(session)
    for key, rows in parts.items():
        if len(rows) > 1:
            biggest = max(rows, key=lambda r: int(r["JINKO"]))
            point = to_shape(chome[key].point)
            # JGD2000 → JGD2011 moves western Japan by far less than 1e-5°.
            assert point.x == pytest.approx(float(biggest["X_CODE"]), abs=1e-5), key
            assert point.y == pytest.approx(float(biggest["Y_CODE"]), abs=1e-5), key


def test_the_most_populous_part_wins_even_when_it_comes_last(
    session: Session, tmp_path: Path, fresh_code: str
) -> None:
    """Three parts of one chome with 10, 20 and 25 people: the point is the third part's."""
    path = tmp_path / "parts.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["KEY_CODE", "MOJI", "HCODE", "JINKO", "SETAI", "X_CODE", "Y_CODE"])
        writer.writerow(["13101001", "千代田", "8101", "10", "4", "139.751", "35.681"])
        writer.writerow(["13101001", "千代田", "8101", "20", "9", "139.752", "35.682"])
        writer.writerow(["13101001", "千代田", "8101", "25", "11", "139.753", "35.683"])
        writer.writerow(["13101002", "千代田", "8154", "0", "0", "139.760", "35.690"])
    summary = import_chome(
        session=session,
        municipality_code=fresh_code,
        path=path,
        read=ReadOptions(crs="EPSG:6668", x_column="X_CODE", y_column="Y_CODE"),
    )
    assert (summary.features, summary.stored, summary.skipped) == (3, 1, 1)
    [chome] = stored_chome(session, fresh_code).values()
    assert (chome.population, chome.households) == (55, 24)
    point = to_shape(chome.point)
    assert (point.x, point.y) == pytest.approx((139.753, 35.683))
