"""Ages from the national pyramid, restricted per person to the range their role allows.

Sampling is by inverse CDF between the bounds, vectorised: one call draws every head, spouse or
child of a household type at once. Dates are handled as proleptic ordinals (date.toordinal).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from sonae.registry.generate.rates import BoolArray, FloatArray, IntArray, Rates, Rng

_EPOCH = np.datetime64("0001-01-01", "D")


class AgeSampler:
    def __init__(self, rates: Rates) -> None:
        self.max_age = rates.max_age
        self._male = _cdf(rates.male_by_age)
        self._female = _cdf(rates.female_by_age)
        total = rates.male_by_age + rates.female_by_age
        self._both = _cdf(total)
        self._male_share = rates.male_by_age / np.maximum(total, 1e-12)
        self._child = _cdf(total * rates.household.child_at_home)

    def ages(
        self,
        rng: Rng,
        n: int,
        lo: IntArray | int,
        hi: IntArray | int,
        male: BoolArray | None = None,
    ) -> IntArray:
        """n ages, each in [lo, hi] (inclusive), from the pyramid of the person's sex."""
        lo_a = np.broadcast_to(np.clip(np.asarray(lo, dtype=np.int64), 0, self.max_age), (n,))
        hi_a = np.broadcast_to(np.clip(np.asarray(hi, dtype=np.int64), lo_a, self.max_age), (n,))
        if male is None:
            return _inverse(self._both, lo_a, hi_a, rng.random(n))
        u = rng.random(n)
        return np.where(
            male, _inverse(self._male, lo_a, hi_a, u), _inverse(self._female, lo_a, hi_a, u)
        )

    def child_ages(
        self, rng: Rng, n: int, oldest: int | None = None, youngest: int = 0
    ) -> IntArray:
        """Ages of children living with a parent: the pyramid times the share still at home."""
        return _inverse(
            self._child,
            np.full(n, youngest, np.int64),
            np.full(n, self.max_age if oldest is None else oldest, np.int64),
            rng.random(n),
        )

    def sexes(self, rng: Rng, ages: IntArray) -> BoolArray:
        """Male or not, with the pyramid's sex ratio at each age."""
        result: BoolArray = rng.random(ages.size) < self._male_share[ages]
        return result


def _cdf(weights: FloatArray) -> FloatArray:
    """C[a] = share of people younger than a; len = max_age + 2."""
    cdf: FloatArray = np.concatenate([[0.0], np.cumsum(weights)]) / weights.sum()
    return cdf


def _inverse(cdf: FloatArray, lo: IntArray, hi: IntArray, u: FloatArray) -> IntArray:
    low, high = cdf[lo], cdf[hi + 1]
    ages = np.searchsorted(cdf, low + u * (high - low), side="right") - 1
    return np.clip(ages, lo, hi).astype(np.int64)


def birth_ordinals(rng: Rng, ages: IntArray, as_of: date) -> IntArray:
    """A birth date for each age: the last birthday falls uniformly in the year before as_of."""
    days_since_birthday = rng.integers(0, 365, size=ages.size)
    result: IntArray = (
        as_of.toordinal() - days_since_birthday - np.round(ages * 365.2425).astype(np.int64)
    )
    return result


def ymd(ordinals: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """(year, month, day) arrays of proleptic ordinals."""
    days = _EPOCH + (ordinals - 1).astype("timedelta64[D]")
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months).astype(np.int64) + 1
    return year, month, day


def exact_ages(births: IntArray, as_of: date) -> IntArray:
    """Completed years at as_of (a birthday on as_of counts)."""
    year, month, day = ymd(births)
    before = (month > as_of.month) | ((month == as_of.month) & (day > as_of.day))
    result: IntArray = as_of.year - year - before.astype(np.int64)
    return result
