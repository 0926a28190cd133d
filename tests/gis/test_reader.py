"""read_layer on real files in real formats, written here with GDAL (pyogrio) or by hand."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import CRS
from shapely.geometry import Point, box

from sonae.config import PROJECT_ROOT
from sonae.errors import ImportRejectedError
from sonae.gis.reader import ReadOptions, read_layer

URAYASU = PROJECT_ROOT / "data" / "cities" / "urayasu"
ZONE_IX_ORIGIN = (139 + 50 / 60, 36.0)
"""EPSG:6677 (JGD2011 平面直角座標系 IX) has its origin at 139°50′E, 36°N."""
POINTS = [(139.89, 35.66), (139.90, 35.65), (139.91, 35.64)]
FLAT = [c for xy in POINTS for c in xy]


def flat_coordinates(frame: gpd.GeoDataFrame) -> list[float]:
    return [c for p in frame.geometry for c in (p.x, p.y)]


def geojson_without_crs_member(path: Path) -> Path:
    """A GeoJSON FeatureCollection written by hand, with no "crs" member at all."""
    features = [
        {
            "type": "Feature",
            "properties": {"name": f"地点{i}"},
            "geometry": {"type": "Point", "coordinates": list(xy)},
        }
        for i, xy in enumerate(POINTS, start=1)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def test_geojson_without_crs_member_is_wgs84_as_rfc_7946_says(tmp_path: Path) -> None:
    path = geojson_without_crs_member(tmp_path / "no_crs.geojson")
    frame = read_layer(path)
    assert CRS(frame.crs).to_epsg() == 6668
    # WGS84 → JGD2011 is a null transformation at this precision.
    assert flat_coordinates(frame) == pytest.approx(FLAT, abs=1e-9)


def test_geojson_without_crs_reads_when_the_user_gives_jgd2011(tmp_path: Path) -> None:
    path = geojson_without_crs_member(tmp_path / "no_crs.geojson")
    frame = read_layer(path, ReadOptions(crs="EPSG:6668"))
    assert CRS(frame.crs).to_epsg() == 6668
    assert flat_coordinates(frame) == pytest.approx(FLAT)


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_shapefile_without_prj_needs_a_crs_and_reads_with_one(tmp_path: Path) -> None:
    path = tmp_path / "points.shp"
    frame = gpd.GeoDataFrame({"name": ["a", "b", "c"]}, geometry=[Point(xy) for xy in POINTS])
    pyogrio.write_dataframe(frame, path)
    assert not path.with_suffix(".prj").exists()
    with pytest.raises(ImportRejectedError, match=r"points\.shp.*unknown CRS"):
        read_layer(path)
    read = read_layer(path, ReadOptions(crs="EPSG:6668"))
    assert flat_coordinates(read) == pytest.approx(FLAT)


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_crs_mismatch_names_both_crs(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"wgs84{suffix}"
    frame = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(POINTS[0])], crs="EPSG:4326")
    pyogrio.write_dataframe(frame, path)
    assert CRS(pyogrio.read_info(path)["crs"]).to_epsg() == 4326
    with pytest.raises(ImportRejectedError) as caught:
        read_layer(path, ReadOptions(crs="EPSG:6677"))
    message = str(caught.value)
    assert path.name in message
    assert "mismatch" in message
    assert "EPSG:4326" in message
    assert "EPSG:6677" in message


def test_the_origin_of_plane_zone_ix_lands_at_139_50_e_36_n(tmp_path: Path) -> None:
    path = tmp_path / "zone9.gpkg"
    frame = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(0, 0)], crs="EPSG:6677")
    pyogrio.write_dataframe(frame, path)
    read = read_layer(path)
    assert CRS(read.crs).to_epsg() == 6668
    origin = read.geometry.iloc[0]
    assert origin.x == pytest.approx(ZONE_IX_ORIGIN[0], abs=1e-7)
    assert origin.y == pytest.approx(ZONE_IX_ORIGIN[1], abs=1e-7)


def test_a_csv_in_plane_zone_ix_is_transformed_with_a_bare_epsg_number(tmp_path: Path) -> None:
    path = tmp_path / "zone9.csv"
    pd.DataFrame({"名称": ["原点", "北へ1km"], "X": [0, 0], "Y": [0, 1000]}).to_csv(
        path, index=False
    )
    read = read_layer(path, ReadOptions(crs="6677", x_column="X", y_column="Y"))
    origin, north = read.geometry
    assert (origin.x, origin.y) == pytest.approx(ZONE_IX_ORIGIN, abs=1e-7)
    # 1 km north along the central meridian: same longitude, about 0.009° of latitude.
    assert north.x == pytest.approx(ZONE_IX_ORIGIN[0], abs=1e-7)
    assert north.y - origin.y == pytest.approx(1000 / 110_950, rel=5e-3)


def test_garbage_with_a_gpkg_suffix_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.gpkg"
    path.write_bytes(b"\x00\x01this is not a GeoPackage\xff\xfe" * 64)
    with pytest.raises(ImportRejectedError) as caught:
        read_layer(path, ReadOptions(crs="EPSG:6668"))
    assert caught.value.file == "broken.gpkg"
    assert "unreadable" in str(caught.value)


def test_a_missing_file_is_refused_as_not_found(tmp_path: Path) -> None:
    with pytest.raises(ImportRejectedError) as caught:
        read_layer(tmp_path / "nowhere.geojson")
    assert caught.value.file == "nowhere.geojson"
    assert "file not found" in str(caught.value)


def shift_jis_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["施設名,経度,緯度", *(",".join(row) for row in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    return path


def test_a_shift_jis_csv_with_japanese_columns_reads(tmp_path: Path) -> None:
    rows = [(f"浦安市立第{i}小学校", str(x), str(y)) for i, (x, y) in enumerate(POINTS, start=1)]
    path = shift_jis_csv(tmp_path / "sjis.csv", rows)
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the file really is not UTF-8
    read = read_layer(path, ReadOptions(crs="EPSG:6668", x_column="経度", y_column="緯度"))
    assert list(read["施設名"]) == [name for name, _, _ in rows]
    assert flat_coordinates(read) == pytest.approx(FLAT)


@pytest.mark.parametrize("column", ["経度", "緯度"])
def test_a_non_numeric_coordinate_names_its_row_and_column(tmp_path: Path, column: str) -> None:
    rows = [(f"地点{i}", str(x), str(y)) for i, (x, y) in enumerate(POINTS, start=1)]
    bad_row = 2
    name, x, y = rows[bad_row - 1]
    rows[bad_row - 1] = (name, "東経百三十九度", y) if column == "経度" else (name, x, "不明")
    path = shift_jis_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(ImportRejectedError) as caught:
        read_layer(path, ReadOptions(crs="EPSG:6668", x_column="経度", y_column="緯度"))
    assert caught.value.file == "bad.csv"
    assert [(p.feature, p.field) for p in caught.value.problems] == [(bad_row, column)]


@pytest.mark.parametrize("suffix", [".shp", ".gpkg"])
def test_written_files_read_back_with_the_same_features(tmp_path: Path, suffix: str) -> None:
    geometries = [box(x, y, x + 0.001, y + 0.001) for x, y in POINTS] + [
        shapely.buffer(Point(139.92, 35.63), 0.002)
    ]
    frame = gpd.GeoDataFrame(
        {"KEY_CODE": [f"1222700{i}" for i in range(4)], "人口": [10, 20, 30, 40]},
        geometry=geometries,
        crs="EPSG:6668",
    )
    path = tmp_path / f"chome{suffix}"
    pyogrio.write_dataframe(frame, path, encoding="UTF-8" if suffix == ".shp" else None)
    read = read_layer(path)
    assert len(read) == pyogrio.read_info(path)["features"] == len(frame)
    assert list(read["KEY_CODE"]) == list(frame["KEY_CODE"])
    # Shapefiles store rings clockwise: compare normalized shapes.
    assert read.geometry.normalize().geom_equals_exact(frame.geometry.normalize(), 1e-9).all()


def test_a_real_city_file_reads_every_feature() -> None:
    path = URAYASU / "chome_boundaries_2020.geojson"
    read = read_layer(path)
    assert len(read) == pyogrio.read_info(path)["features"]
    assert read.geometry.name == "geometry"
    assert CRS(read.crs).to_epsg() == 6668
