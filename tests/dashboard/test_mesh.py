"""JIS X 0410 mesh codes against codes worked out by hand from the standard's definition."""

from __future__ import annotations

import pytest

from sonae.gis.mesh import (
    QUARTER_LAT_DEG,
    QUARTER_LON_DEG,
    quarter_mesh,
    quarter_mesh_bounds,
    third_mesh,
)


def test_tokyo_station_is_in_its_published_1km_mesh() -> None:
    # 東京駅 (35.681236 N, 139.767125 E) lies in the 3rd mesh 5339-46-11: 35.681236 × 1.5 =
    # 53.52 → 53; 139.77 − 100 → 39; then 0.52185 × 8 → 4, 0.767 × 8 → 6; 0.1748 × 10 → 1,
    # 0.137 × 10 → 1.
    assert third_mesh(35.681236, 139.767125) == "53394611"


def test_quarter_mesh_of_the_test_spots() -> None:
    # 35.652 N: ×1.5 = 53.478 → 53 | .478×8 = 3.824 → 3 | .824×10 = 8.24 → 8 |
    #   .24×2 = 0.48 → south half | .48×2 = 0.96 → south quarter
    # 139.905 E: 39 | .905×8 = 7.24 → 7 | .24×10 = 2.4 → 2 | .4×2 = 0.8 → west | .8×2 → east
    # half = 0·2 + 0 + 1 = 1 (SW), quarter = 0·2 + 1 + 1 = 2 (SE)
    assert quarter_mesh(35.652, 139.905) == "5339378212"
    # 139.908 E: .908×8 = 7.264 → 7 | 2.64 → 2 | .64×2 = 1.28 → east | .28×2 = 0.56 → west
    # half = 0 + 1 + 1 = 2 (SE), quarter = 0 + 0 + 1 = 1 (SW)
    assert quarter_mesh(35.652, 139.908) == "5339378221"


def test_numbering_of_the_four_quarters_is_sw_se_nw_ne() -> None:
    west, south, _, _ = quarter_mesh_bounds("5339461111")
    centre = (south + QUARTER_LAT_DEG / 2, west + QUARTER_LON_DEG / 2)
    codes = [
        quarter_mesh(centre[0] + dy * QUARTER_LAT_DEG, centre[1] + dx * QUARTER_LON_DEG)
        for dy, dx in [(0, 0), (0, 1), (1, 0), (1, 1)]
    ]
    assert codes == ["5339461111", "5339461112", "5339461113", "5339461114"]
    # Two quarters further east: the second half mesh (SE) begins.
    assert quarter_mesh(centre[0], centre[1] + 2 * QUARTER_LON_DEG) == "5339461121"


def test_bounds_hold_the_point_and_are_250m_sized() -> None:
    code = quarter_mesh(35.652, 139.905)
    west, south, east, north = quarter_mesh_bounds(code)
    assert west <= 139.905 < east and south <= 35.652 < north
    # 7.5 seconds of latitude and 11.25 seconds of longitude.
    assert north - south == pytest.approx(7.5 / 3600)
    assert east - west == pytest.approx(11.25 / 3600)


def test_a_point_on_the_south_west_corner_belongs_to_the_cell() -> None:
    west, south, _, _ = quarter_mesh_bounds("5339378212")
    assert quarter_mesh(south, west) == "5339378212"


@pytest.mark.parametrize("code", ["533937821", "5339378215", "53393782a1"])
def test_malformed_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError, match="250 m mesh"):
        quarter_mesh_bounds(code)


def test_points_outside_japan_are_refused() -> None:
    with pytest.raises(ValueError, match="Japan"):
        quarter_mesh(51.5, -0.12)
