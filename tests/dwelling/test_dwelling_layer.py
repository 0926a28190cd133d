"""The dwelling layer: one dwelling per address, footprints from a GIS file, household links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from damage.factory import URAYASU, make_household
from geoalchemy2.shape import to_shape
from shapely.geometry import Polygon
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.chome.models import Chome
from sonae.dwelling.models import (
    Dwelling,
    DwellingHousehold,
    DwellingSource,
    LocationPrecision,
    StructureKind,
)
from sonae.dwelling.service import import_footprints, link_households
from sonae.errors import ImportRejectedError
from sonae.registry.models import Person


def dwelling_of(session: Session, household: str) -> Dwelling:
    link = session.scalars(
        select(DwellingHousehold).where(
            DwellingHousehold.municipality_code == URAYASU,
            DwellingHousehold.household_number == household,
        )
    ).one()
    found = session.get(Dwelling, (URAYASU, link.dwelling_id))
    assert found is not None
    return found


def test_one_dwelling_per_distinct_address(session: Session) -> None:
    # Two notations of one address (kanji numerals vs arabic, with the prefecture) and two
    # households in one apartment building (方書 differs): one dwelling for all three.
    a, _ = make_household(session, address="浦安市当代島一丁目1番1号")
    b, _ = make_household(session, address="千葉県浦安市当代島1丁目1番1号", annex="101号室")
    c, _ = make_household(session, address="浦安市当代島1丁目1-1", annex="202号室")
    d, _ = make_household(session, address="浦安市当代島一丁目5番8号")
    summary = link_households(session=session, municipality_code=URAYASU)
    assert summary.households >= 4
    assert dwelling_of(session, a).id == dwelling_of(session, b).id == dwelling_of(session, c).id
    assert dwelling_of(session, d).id != dwelling_of(session, a).id
    building = dwelling_of(session, a)
    assert building.source is DwellingSource.address
    assert building.address_key == "当代島1-1-1"
    assert building.location_precision is LocationPrecision.town
    # Re-running changes nothing.
    again = link_households(session=session, municipality_code=URAYASU)
    assert again.new_dwellings == 0


def test_a_household_that_moves_is_relinked_and_manual_links_stay(session: Session) -> None:
    mover, people = make_household(session, address="浦安市猫実一丁目1番1号")
    pinned, pinned_people = make_household(session, address="浦安市猫実一丁目2番2号")
    link_households(session=session, municipality_code=URAYASU)
    before = dwelling_of(session, mover).id
    manual = dwelling_of(session, pinned)
    link = session.scalars(
        select(DwellingHousehold).where(DwellingHousehold.household_number == pinned)
    ).one()
    link.linked_by = "manual"
    for person in people:
        person.address_text = "浦安市猫実一丁目9番9号"
    for person in pinned_people:
        person.address_text = "浦安市猫実一丁目8番8号"
    session.flush()
    summary = link_households(session=session, municipality_code=URAYASU)
    assert dwelling_of(session, mover).id != before
    assert dwelling_of(session, pinned).id == manual.id
    assert summary.kept_manual >= 1


def building_file(tmp_path: Path, session: Session, features: list[dict[str, object]]) -> Path:
    chome = session.scalars(
        select(Chome).where(Chome.municipality_code == URAYASU, Chome.name == "当代島一丁目")
    ).one()
    centre = to_shape(chome.boundary).representative_point()
    collection = {"type": "FeatureCollection", "features": []}
    for n, properties in enumerate(features):
        x, y = centre.x + n * 0.0003, centre.y
        square = Polygon([(x, y), (x + 0.0001, y), (x + 0.0001, y + 0.0001), (x, y + 0.0001)])
        collection["features"].append(  # type: ignore[attr-defined]
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "Polygon", "coordinates": [list(square.exterior.coords)]},
            }
        )
    path = tmp_path / "buildings.geojson"
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def test_footprints_take_the_households_of_their_address(session: Session, tmp_path: Path) -> None:
    a, _ = make_household(session, address="浦安市当代島一丁目3番4号")
    b, _ = make_household(session, address="浦安市当代島一丁目3番4号", annex="2F")
    c, _ = make_household(session, address="浦安市当代島一丁目7番7号")
    link_households(session=session, municipality_code=URAYASU)
    assert dwelling_of(session, a).source is DwellingSource.address
    path = building_file(
        tmp_path,
        session,
        [
            {"建物ID": "B-1", "住所": "当代島1-3-4", "構造": "木造", "階数": 2},
            {"建物ID": "B-2", "住所": None, "構造": "鉄筋コンクリート造", "階数": 5},
        ],
    )
    summary, links = import_footprints(session=session, municipality_code=URAYASU, path=path)
    assert summary.features == 2
    footprint = dwelling_of(session, a)
    assert footprint.source is DwellingSource.footprint and footprint.source_ref == "B-1"
    assert dwelling_of(session, b).id == footprint.id
    assert footprint.structure is StructureKind.wooden and footprint.storeys == 2
    assert footprint.location_precision is LocationPrecision.building
    assert footprint.chome_key_code is not None
    assert dwelling_of(session, c).source is DwellingSource.address  # no footprint has its address
    b2 = session.scalars(select(Dwelling).where(Dwelling.source_ref == "B-2")).one()
    assert b2.structure is StructureKind.non_wooden and b2.address_key is None
    # Importing again updates in place.
    path = building_file(
        tmp_path, session, [{"建物ID": "B-1", "住所": "当代島1-3-4", "構造": "プレハブ"}]
    )
    import_footprints(session=session, municipality_code=URAYASU, path=path)
    assert dwelling_of(session, a).id == footprint.id
    session.refresh(footprint)
    assert footprint.structure is StructureKind.prefabricated
    assert links.households >= 3


def test_unknown_structure_and_blank_ids_are_refused(session: Session, tmp_path: Path) -> None:
    path = building_file(tmp_path, session, [{"建物ID": "B-9", "構造": "石造り"}])
    with pytest.raises(ImportRejectedError, match="unknown structure"):
        import_footprints(session=session, municipality_code=URAYASU, path=path)
    path = building_file(tmp_path, session, [{"建物ID": None}])
    with pytest.raises(ImportRejectedError, match="building id is blank"):
        import_footprints(session=session, municipality_code=URAYASU, path=path)


def test_people_are_never_moved(session: Session) -> None:
    household, people = make_household(session)
    link_households(session=session, municipality_code=URAYASU)
    assert session.scalar(select(Person.address_text).where(Person.id == people[0].id)) == (
        "浦安市当代島一丁目1番1号"
    )
    assert dwelling_of(session, household) is not None
