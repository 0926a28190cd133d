"""Geometry checks on tiny hand-made shapes whose answers are known."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from sonae.errors import ImportRejectedError
from sonae.gis.crs import STORAGE_CRS
from sonae.gis.validate import POLYGONAL, PUNCTUAL, check_geometries, check_within

ZONE_IX = 6677
BOW_TIE = Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])
"""Self-intersecting at (1, 1): two triangles of area 1 each."""


def frame(geometries: list[object], crs: object = None) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"n": range(1, len(geometries) + 1)}, geometry=geometries, crs=crs)


def test_a_bow_tie_is_repaired_into_its_two_triangles() -> None:
    assert not BOW_TIE.is_valid
    square = box(10, 10, 13, 13)
    checked = check_geometries("zones.geojson", frame([square, BOW_TIE]), POLYGONAL)
    assert checked.repaired == 1
    kept_square, repaired = checked.frame.geometry
    assert kept_square.equals(square)
    assert repaired.is_valid
    assert repaired.geom_type in POLYGONAL
    assert repaired.area == pytest.approx(2.0)
    assert len(shapely.get_parts(repaired)) == 2
    assert list(checked.frame["n"]) == [1, 2]


def test_overlapping_parts_of_a_multipolygon_are_repaired_into_their_union() -> None:
    """Two 2×2 squares overlapping in a 1×1 square cover 7, as PLATEAU's overlapping triangles
    cover their zone: the overlap must not turn into a hole."""
    overlapping = shapely.MultiPolygon([box(0, 0, 2, 2), box(1, 1, 3, 3)])
    assert not overlapping.is_valid
    checked = check_geometries("zones.gml", frame([overlapping]), POLYGONAL)
    assert checked.repaired == 1
    repaired = checked.frame.geometry.iloc[0]
    assert repaired.is_valid
    assert repaired.area == pytest.approx(7.0)
    assert repaired.covers(shapely.Point(1.5, 1.5))


def test_a_valid_frame_is_kept_as_is() -> None:
    shapes = [box(0, 0, 1, 1), shapely.MultiPolygon([box(2, 2, 3, 3), box(4, 4, 5, 5)])]
    checked = check_geometries("zones.geojson", frame(shapes), POLYGONAL)
    assert checked.repaired == 0
    assert all(a.equals(b) for a, b in zip(checked.frame.geometry, shapes, strict=True))


def test_a_bow_tie_is_refused_when_repair_is_off() -> None:
    with pytest.raises(ImportRejectedError) as caught:
        check_geometries(
            "zones.geojson", frame([box(0, 0, 1, 1), BOW_TIE]), POLYGONAL, repair=False
        )
    assert [p.feature for p in caught.value.problems] == [2]
    assert "invalid geometry" in caught.value.problems[0].reason


def test_a_line_where_polygons_are_expected_names_the_feature_and_type() -> None:
    shapes = [box(0, 0, 1, 1), box(1, 1, 2, 2), LineString([(0, 0), (1, 1)])]
    with pytest.raises(ImportRejectedError) as caught:
        check_geometries("zones.geojson", frame(shapes), POLYGONAL)
    assert caught.value.file == "zones.geojson"
    [problem] = caught.value.problems
    assert problem.feature == 3
    assert "LineString" in problem.reason
    assert "Polygon" in problem.reason
    assert "feature 3" in str(caught.value)


def test_empty_and_missing_geometries_are_refused() -> None:
    shapes = [Point(0, 0), Point(), None, Point(1, 1)]
    with pytest.raises(ImportRejectedError) as caught:
        check_geometries("sites.geojson", frame(shapes), PUNCTUAL)
    assert [(p.feature, p.reason) for p in caught.value.problems] == [
        (2, "empty geometry"),
        (3, "empty geometry"),
    ]


def test_3d_points_are_flattened() -> None:
    checked = check_geometries("sites.geojson", frame([Point(1, 2, 30)]), PUNCTUAL)
    assert not checked.frame.geometry.iloc[0].has_z


def in_storage(shapes: list[object]) -> gpd.GeoSeries:
    """Shapes drawn in metres in plane zone IX, given back in the storage CRS."""
    return gpd.GeoSeries(shapes, crs=ZONE_IX).to_crs(STORAGE_CRS)


OUTLINE_M = box(0, 0, 1000, 1000)
"""A 1 km square at the origin of zone IX."""


def test_a_point_1_km_outside_is_refused_with_its_feature_number() -> None:
    points = in_storage([Point(500, 500), Point(2000, 500), Point(500, 900)])
    outline = in_storage([OUTLINE_M]).iloc[0]
    with pytest.raises(ImportRejectedError) as caught:
        check_within(
            "sites.geojson",
            frame(list(points), STORAGE_CRS),
            outline,
            plane_srid=ZONE_IX,
            tolerance_m=300,
        )
    assert caught.value.file == "sites.geojson"
    assert [p.feature for p in caught.value.problems] == [2]
    assert "outside" in str(caught.value)


def test_a_point_100_m_outside_passes_within_300_m_but_not_within_50_m() -> None:
    outline = in_storage([OUTLINE_M]).iloc[0]
    near = frame(list(in_storage([Point(500, 500), Point(1100, 500)])), STORAGE_CRS)
    check_within("sites.geojson", near, outline, plane_srid=ZONE_IX, tolerance_m=300)
    with pytest.raises(ImportRejectedError) as caught:
        check_within("sites.geojson", near, outline, plane_srid=ZONE_IX, tolerance_m=50)
    assert [p.feature for p in caught.value.problems] == [2]


def test_a_polygon_straddling_the_outline_passes() -> None:
    outline = in_storage([OUTLINE_M]).iloc[0]
    straddling = frame(list(in_storage([box(900, 900, 3000, 3000)])), STORAGE_CRS)
    check_within("zones.geojson", straddling, outline, plane_srid=ZONE_IX, tolerance_m=0)
