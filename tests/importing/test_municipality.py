"""Municipality codes, plane zones and outlines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from geoalchemy2.shape import to_shape
from shapely.geometry import box, mapping
from sqlalchemy.orm import Session

from sonae.config import PROJECT_ROOT
from sonae.errors import ImportRejectedError, InvalidInputError, NotFoundError
from sonae.gis.reader import ReadOptions
from sonae.municipality import service as municipality_service
from sonae.municipality.models import Municipality

CITIES = PROJECT_ROOT / "data" / "cities"


def manifest_code(city: str) -> str:
    for line in (CITIES / city / "city.toml").read_text("utf-8").splitlines():
        if line.startswith("code"):
            return line.split('"')[1]
    raise AssertionError(city)


@pytest.mark.parametrize("code", ["122271", "282049", "222038", "131016"])
def test_real_codes_have_valid_check_digits(code: str) -> None:
    assert municipality_service.code_check_digit(code[:5]) == int(code[5])
    assert municipality_service.validate_code(code) == code


def test_the_bundles_declare_valid_codes() -> None:
    for city in ("urayasu", "nishinomiya", "numazu"):
        municipality_service.validate_code(manifest_code(city))


def test_the_check_digit_is_computed_by_hand() -> None:
    # 浦安 12227: 1·6 + 2·5 + 2·4 + 2·3 + 7·2 = 44; 44 mod 11 = 0; (11 − 0) mod 10 = 1.
    assert municipality_service.code_check_digit("12227") == 1


@pytest.mark.parametrize("code", ["122272", "12227", "1222710", "12227a"])
def test_bad_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidInputError, match=code):
        municipality_service.validate_code(code)


@pytest.mark.parametrize("srid", [6668, 6688, 4326, 2443])
def test_a_srid_outside_the_jgd2011_plane_zones_is_refused(session: Session, srid: int) -> None:
    with pytest.raises(InvalidInputError, match=f"EPSG:{srid}"):
        municipality_service.register(
            session=session, code="131016", name="千代田区", plane_rectangular_srid=srid
        )
    assert session.get(Municipality, "131016") is None


@pytest.mark.parametrize("srid", [6669, 6677, 6687])
def test_the_plane_zones_i_to_xix_are_accepted(session: Session, srid: int) -> None:
    municipality = municipality_service.register(
        session=session, code="131016", name="千代田区", plane_rectangular_srid=srid
    )
    assert municipality.plane_rectangular_srid == srid
    assert municipality_service.get(session=session, code="131016") is municipality


def test_an_unregistered_municipality_is_not_found(session: Session) -> None:
    with pytest.raises(NotFoundError, match="131016"):
        municipality_service.get(session=session, code="131016")


def test_an_outline_is_the_union_of_the_files_polygons(session: Session, tmp_path: Path) -> None:
    halves = [box(139.74, 35.67, 139.75, 35.70), box(139.75, 35.67, 139.77, 35.70)]
    features = [{"type": "Feature", "properties": {}, "geometry": mapping(h)} for h in halves]
    path = tmp_path / "outline.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    municipality = municipality_service.import_outline(
        session=session,
        code="131016",
        name="千代田区",
        plane_rectangular_srid=6677,
        path=path,
        read=ReadOptions(),
    )
    outline = to_shape(municipality.outline)
    assert outline.geom_type == "MultiPolygon"
    assert outline.equals(box(139.74, 35.67, 139.77, 35.70))


def test_an_outline_made_of_points_is_refused(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "points.geojson"
    point = {"type": "Point", "coordinates": [139.75, 35.68]}
    feature = {"type": "Feature", "properties": {}, "geometry": point}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    with pytest.raises(ImportRejectedError, match="Point"):
        municipality_service.import_outline(
            session=session, code="131016", name="千代田区", plane_rectangular_srid=6677, path=path
        )
    assert session.get(Municipality, "131016") is None
