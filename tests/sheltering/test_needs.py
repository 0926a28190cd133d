"""Capacity and needs at the DOMAIN.md standards, on numbers worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sonae.sheltering.models import CapacityBasis
from sonae.sheltering.needs import capacity_of, needs_of

OPENED = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("area", "official", "estimate", "expected"),
    [
        (350.0, 999, 999, (100, CapacityBasis.floor_area)),  # 350 / 3.5 = 100
        (100.0, None, None, (28, CapacityBasis.floor_area)),  # 28.57… rounds down
        (None, 250, 80, (250, CapacityBasis.official)),
        (None, None, 80, (80, CapacityBasis.estimate)),
        (None, None, None, (0, CapacityBasis.estimate)),
    ],
)
def test_capacity_from_area_else_official_else_estimate(
    area: float | None, official: int | None, estimate: int | None, expected: tuple[int, str]
) -> None:
    assert capacity_of(floor_area_m2=area, official=official, estimate=estimate) == expected


def test_needs_in_the_first_72_hours_one_toilet_per_50() -> None:
    needs = needs_of(occupancy=120, opened_at=OPENED, now=OPENED + timedelta(hours=10))
    # ceil(120 / 50) = 3 toilets; men floor(3/4 + 1/2) = 1, women 2; water 120 × 15 and × 7.5.
    assert (needs.toilets, needs.toilets_women, needs.toilets_men) == (3, 2, 1)
    assert needs.people_per_toilet == 50
    assert needs.water_l_per_day == 1800.0
    assert needs.water_survival_l_per_day == 900.0


def test_needs_from_72_hours_one_toilet_per_20() -> None:
    needs = needs_of(occupancy=120, opened_at=OPENED, now=OPENED + timedelta(hours=72))
    # ceil(120 / 20) = 6; men floor(6/4 + 1/2) = 2, women 4.
    assert (needs.toilets, needs.toilets_women, needs.toilets_men) == (6, 4, 2)
    assert needs.people_per_toilet == 20


@pytest.mark.parametrize(
    ("occupancy", "split"),
    [(0, (0, 0)), (1, (1, 0)), (51, (1, 1)), (101, (2, 1)), (200, (3, 1)), (400, (6, 2))],
)
def test_women_get_about_three_times_the_mens_toilets(
    occupancy: int, split: tuple[int, int]
) -> None:
    needs = needs_of(occupancy=occupancy, opened_at=OPENED, now=OPENED)
    assert (needs.toilets_women, needs.toilets_men) == split
