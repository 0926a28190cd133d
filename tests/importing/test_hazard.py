"""Hazard zones: Numazu's PLATEAU tsunami map, and Urayasu's derived liquefaction scenario."""

from __future__ import annotations

import json
import shutil
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from sonae.chome.models import Chome
from sonae.config import PROJECT_ROOT
from sonae.errors import ImportRejectedError
from sonae.hazard.models import HazardType, HazardZone, HazardZonePart
from sonae.hazard.scenario import build_district_scenario, read_district_scenario
from sonae.hazard.service import import_hazard_zones
from sonae.importing.bundle import load_city, read_manifest

CITIES = PROJECT_ROOT / "data" / "cities"
NUMAZU = CITIES / "numazu"
NUMAZU_CODE = "222038"
TSUNAMI = NUMAZU / "hazard_tsunami_plateau.geojson"
CITYGML = NUMAZU / "hazard_tsunami_plateau_citygml.gml"
RULES = PROJECT_ROOT / "data" / "reference" / "shelter_capacity_rules.csv"
URAYASU_CODE = "122271"
LIQUEFACTION = CITIES / "urayasu" / "liquefaction_scenario.toml"


def file_ranks(path: Path) -> Counter[int]:
    frame = pyogrio.read_dataframe(path, read_geometry=False)
    return Counter(int(v) for v in frame["浸水ランク"])


def zone_ranks(session: Session, scenario: str) -> Counter[int]:
    ranks = session.scalars(select(HazardZone.rank).where(HazardZone.scenario == scenario))
    return Counter(ranks)


def union_area(session: Session, table: str, code: str, scenario: str | None = None) -> float:
    """Area in m² of the union of a table's shapes, measured on the spheroid."""
    where = "municipality_code = :code"
    if scenario is not None:
        where += " AND zone_id IN (SELECT id FROM hazard_zone WHERE scenario = :scenario)"
    query = f"SELECT ST_Area(ST_Union(geom)::geography) FROM {table} WHERE {where}"
    return float(session.scalar(text(query), {"code": code, "scenario": scenario}))


@pytest.fixture
def numazu(session: Session) -> str:
    load_city(session=session, city_dir=NUMAZU, capacity_rules=RULES)
    scenario: str = read_manifest(NUMAZU)["layers"][0]["scenario"]
    return scenario


def import_tsunami(session: Session, path: Path, scenario: str) -> None:
    import_hazard_zones(
        session=session,
        municipality_code=NUMAZU_CODE,
        path=path,
        hazard_type=HazardType.tsunami,
        scenario=scenario,
        columns={"rank": "浸水ランク"},
    )


def test_the_plateau_tsunami_map_imports_every_zone_with_its_rank(
    session: Session, numazu: str, count
) -> None:
    expected = file_ranks(TSUNAMI)
    assert count(HazardZone, NUMAZU_CODE) == pyogrio.read_info(TSUNAMI)["features"] == 230
    assert zone_ranks(session, numazu) == expected
    zones = session.scalars(select(HazardZone).where(HazardZone.municipality_code == NUMAZU_CODE))
    assert all(z.hazard_type == HazardType.tsunami and not z.is_derived_scenario for z in zones)


def test_the_subdivided_parts_cover_exactly_the_zones(session: Session, numazu: str, count) -> None:
    assert count(HazardZonePart, NUMAZU_CODE) >= count(HazardZone, NUMAZU_CODE)
    parts_per_zone = session.execute(
        select(HazardZonePart.zone_id, func.count())
        .where(HazardZonePart.municipality_code == NUMAZU_CODE)
        .group_by(HazardZonePart.zone_id)
    ).all()
    assert len(parts_per_zone) == count(HazardZone, NUMAZU_CODE)
    zones = union_area(session, "hazard_zone", NUMAZU_CODE)
    parts = union_area(session, "hazard_zone_part", NUMAZU_CODE)
    assert zones > 0
    assert abs(parts - zones) / zones < 1e-6


def test_reimporting_a_scenario_replaces_it(session: Session, numazu: str, count) -> None:
    parts = count(HazardZonePart, NUMAZU_CODE)
    import_tsunami(session, TSUNAMI, numazu)
    assert count(HazardZone, NUMAZU_CODE) == 230
    assert count(HazardZonePart, NUMAZU_CODE) == parts
    assert zone_ranks(session, numazu) == file_ranks(TSUNAMI)


@pytest.fixture
def citygml(tmp_path: Path) -> Path:
    gml = tmp_path / CITYGML.name  # a copy: GDAL writes a .gfs schema next to the file it reads
    shutil.copy(CITYGML, gml)
    try:
        pyogrio.read_info(gml)
    except pyogrio.errors.DataSourceError as exc:
        pytest.skip(f"this GDAL cannot read CityGML through its GML driver: {exc}")
    return gml


def test_the_citygml_original_imports_the_same_zones(
    session: Session, numazu: str, citygml: Path, count
) -> None:
    scenario = numazu + "（CityGML）"
    import_tsunami(session, citygml, scenario)
    features = pyogrio.read_info(citygml)["features"]
    assert count(HazardZone, NUMAZU_CODE, HazardZone.scenario == scenario) == features == 230
    assert zone_ranks(session, scenario) == file_ranks(citygml) == zone_ranks(session, numazu)


def test_the_citygml_zones_cover_the_same_area_as_the_geojson(
    session: Session, numazu: str, citygml: Path
) -> None:
    """PLATEAU CityGML draws each zone as overlapping triangles; the GeoJSON has them merged."""
    scenario = numazu + "（CityGML）"
    import_tsunami(session, citygml, scenario)
    from_gml = union_area(session, "hazard_zone_part", NUMAZU_CODE, scenario)
    from_geojson = union_area(session, "hazard_zone_part", NUMAZU_CODE, numazu)
    assert abs(from_gml - from_geojson) / from_geojson < 1e-6


def liquefaction_scenario() -> dict[str, Any]:
    return tomllib.loads(LIQUEFACTION.read_text("utf-8"))


def test_the_liquefaction_scenario_has_one_derived_zone_per_district(session: Session) -> None:
    definition = liquefaction_scenario()
    zones = session.scalars(
        select(HazardZone).where(
            HazardZone.municipality_code == URAYASU_CODE,
            HazardZone.hazard_type == HazardType.liquefaction,
        )
    ).all()
    districts = definition["districts"]
    assert len(zones) == len(districts) == 3
    assert all(z.is_derived_scenario and z.scenario == definition["scenario"] for z in zones)
    assert {(z.source_feature_id, z.rank) for z in zones} == {
        (d["name"], d["rank"]) for d in districts
    }


def ranks_covering_chome(session: Session) -> dict[str, list[int]]:
    rows = session.execute(
        text(
            "SELECT c.name, z.rank FROM chome c JOIN hazard_zone z "
            "ON z.municipality_code = c.municipality_code "
            "AND z.hazard_type = 'liquefaction' "
            "AND ST_Covers(z.geom, ST_PointOnSurface(c.boundary)) "
            "WHERE c.municipality_code = :code AND c.boundary IS NOT NULL"
        ),
        {"code": URAYASU_CODE},
    ).all()
    covering: dict[str, list[int]] = {}
    for name, rank in rows:
        covering.setdefault(name, []).append(rank)
    return covering


def test_each_chome_lies_in_the_zone_of_its_district(session: Session) -> None:
    covering = ranks_covering_chome(session)
    assert covering["当代島一丁目"] == [1]  # 元町: original ground
    assert covering["今川一丁目"] == [2]  # 中町: reclaimed land
    districts = liquefaction_scenario()["districts"]
    for name, ranks in covering.items():
        [district] = [d for d in districts if name.startswith(tuple(d["name_prefixes"]))]
        assert ranks == [district["rank"]], name


def toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def test_a_scenario_missing_some_chome_is_refused_naming_them(
    session: Session, tmp_path: Path, count
) -> None:
    dropped = ("港", "千鳥")
    original = liquefaction_scenario()
    lines = [f"hazard_type = {toml_string(str(original['hazard_type']))}"]
    lines += ['scenario = "不完全な想定"', f"basis = {toml_string(str(original['basis']))}"]
    for district in original["districts"]:
        kept = [p for p in district["name_prefixes"] if p not in dropped]
        lines += ["", "[[districts]]", f"name = {toml_string(district['name'])}"]
        lines += [f"rank = {district['rank']}", f"label = {toml_string(district['label'])}"]
        lines.append(f"name_prefixes = [{', '.join(map(toml_string, kept))}]")
    path = tmp_path / "incomplete.toml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    definition = read_district_scenario(path)
    assert len(definition.districts) == 3
    assert not any(p in dropped for d in definition.districts for p in d.name_prefixes)
    with pytest.raises(ImportRejectedError) as caught:
        build_district_scenario(
            session=session, municipality_code=URAYASU_CODE, definition=definition
        )
    assert caught.value.file == "不完全な想定"
    names = session.scalars(
        select(Chome.name).where(
            Chome.municipality_code == URAYASU_CODE, Chome.boundary.is_not(None)
        )
    )
    expected = sorted(n for n in names if n.startswith(dropped))
    assert expected  # 港 and 千鳥 are real chome of Urayasu
    message = str(caught.value)
    for name in expected:
        assert f"chome {name} matches no district" in message
    assert len(caught.value.problems) == len(expected)
    assert count(HazardZone, URAYASU_CODE, HazardZone.scenario == "不完全な想定") == 0
