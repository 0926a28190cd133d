"""Dates of moves: 住民となった年月日 ≤ 住所を定めた年月日 ≤ as-of, never before the birth.

A household settled at its address some years ago (exponential); some of them had already lived
elsewhere in the city before (転居). Members born later became residents at birth. Care-home
residents arrive one by one. Foreign residents entered the registry on 2012-07-09 at the earliest,
when the amended 住民基本台帳法 took effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from sonae.registry.generate.rates import BoolArray, IntArray, Residence, Rng

_YEAR = 365.2425


@dataclass
class ResidenceDates:
    became: IntArray
    """住民となった年月日 per person (ordinal)."""
    address_since: IntArray
    """住所を定めた年月日 per person (ordinal)."""


def residence_dates(
    rng: Rng,
    *,
    household: IntArray,
    births: IntArray,
    foreign: BoolArray,
    individual: BoolArray,
    as_of: date,
    rates: Residence,
) -> ResidenceDates:
    """`foreign` and `individual` (residents arrive one by one) are per household."""
    n = int(household.max(initial=-1)) + 1
    mean = np.where(foreign, rates.foreign_years_at_address_mean, rates.years_at_address_mean)
    settled = as_of.toordinal() - np.round(rng.exponential(mean) * _YEAR).astype(np.int64)
    earlier = rng.random(n) < rates.moved_within_city_share
    before = np.round(rng.exponential(rates.years_in_city_before_mean, n) * _YEAR)
    became = settled - np.where(earlier, before, 0).astype(np.int64)
    start = rates.foreign_registry_start.toordinal()
    became = np.where(foreign, np.maximum(became, start), became)
    settled = np.maximum(settled, became)
    person_settled, person_became = settled[household], became[household]
    alone = individual[household]
    if alone.any():
        own = as_of.toordinal() - np.round(rng.exponential(3.0, int(alone.sum())) * _YEAR)
        person_settled[alone] = own.astype(np.int64)
        person_became[alone] = own.astype(np.int64)
    return ResidenceDates(
        became=np.maximum(person_became, births),
        address_since=np.maximum(person_settled, births),
    )


def allocation_order(rng: Rng, dates: IntArray) -> IntArray:
    """Indices by date, ties broken at random: numbers are handed out as people arrive."""
    order: IntArray = np.lexsort((rng.random(dates.size), dates))
    return order
