"""Capacity and needs of an open shelter, at the DOMAIN.md standards.

Capacity: floor area / 3.5 m² per person (Sphere; 内閣府 guideline revised 2024-12) where the
area is known, else the shelter's designated capacity, else the configured estimate
(shelter.estimated_capacity, from shelter_capacity_rule).

Needs from the occupancy:
- toilets: 1 per 50 people during the first LATER_AFTER (72 h, the 発災後3日 when the guideline's
  initial emergency phase ends and stays become long), 1 per 20 afterwards; each rounded up;
- women's toilets ≈ 3 × men's: men get floor(total / 4 + 1/2), women the rest — the split
  nearest 3:1 (1 → 1 women's, shared; 2 → 1 + 1; 3 → 2 + 1; 4 → 3 + 1; 8 → 6 + 2);
- water: 15 L per person per day; 7.5 L is the survival minimum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sonae.sheltering.models import CapacityBasis

M2_PER_PERSON = 3.5
PEOPLE_PER_TOILET_FIRST = 50
PEOPLE_PER_TOILET_LATER = 20
LATER_AFTER = timedelta(hours=72)
WATER_L_PER_DAY = 15.0
WATER_SURVIVAL_L_PER_DAY = 7.5


@dataclass(frozen=True)
class Needs:
    toilets: int
    toilets_women: int
    toilets_men: int
    people_per_toilet: int
    water_l_per_day: float
    water_survival_l_per_day: float


def capacity_of(
    *, floor_area_m2: float | None, official: int | None, estimate: int | None
) -> tuple[int, CapacityBasis]:
    """The capacity to plan with and where it comes from; 0 (estimate) when nothing is known."""
    if floor_area_m2 is not None and floor_area_m2 > 0:
        return math.floor(floor_area_m2 / M2_PER_PERSON), CapacityBasis.floor_area
    if official is not None:
        return official, CapacityBasis.official
    return estimate or 0, CapacityBasis.estimate


def needs_of(*, occupancy: int, opened_at: datetime, now: datetime) -> Needs:
    per_toilet = (
        PEOPLE_PER_TOILET_LATER if now - opened_at >= LATER_AFTER else PEOPLE_PER_TOILET_FIRST
    )
    toilets = math.ceil(occupancy / per_toilet)
    men = math.floor(toilets / 4 + 0.5)
    return Needs(
        toilets=toilets,
        toilets_women=toilets - men,
        toilets_men=men,
        people_per_toilet=per_toilet,
        water_l_per_day=occupancy * WATER_L_PER_DAY,
        water_survival_l_per_day=occupancy * WATER_SURVIVAL_L_PER_DAY,
    )
