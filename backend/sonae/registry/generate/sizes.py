"""Household sizes per chome: exactly the census people in exactly the census households.

The national size distribution is exponentially tilted to the chome's own mean (people per
household), which keeps its shape (singles most common) while moving the mean; sizes are drawn
from it and then nudged one person at a time until they sum to the census count. A chome whose
mean is beyond what ordinary households give holds institutions (the census counts a care home or
a dormitory as one household): the excess goes into a few large institution households. Care
homes also hide in ordinary chome: a few are placed at the national share of people living in one.
"""

from __future__ import annotations

import math

import numpy as np

from sonae.registry.generate.rates import FloatArray, Household, IntArray, Rng

ORDINARY, CARE_HOME, INSTITUTION = 0, 1, 2
"""Household kinds: an ordinary household, a care home, a care home or dormitory."""


def chome_sizes(
    people: int, households: int, rates: Household, rng: Rng
) -> tuple[IntArray, IntArray]:
    """Sizes (sum = people, len = households, each ≥ 1) and each household's kind."""
    care = _care_homes(people, households, rates, rng)
    people -= int(care.sum())
    households -= care.size
    count = _institution_count(people, households, rates)
    if count:
        ordinary = households - count
        ordinary_people = max(
            ordinary, min(round(rates.facility_mean_threshold * ordinary), people - 2 * count)
        )
        institutions = _even_split(people - ordinary_people, count)
    else:
        ordinary, ordinary_people, institutions = households, people, np.zeros(0, np.int64)
    sizes = draw_sizes(ordinary_people, ordinary, rates.size_shares, rng)
    kinds = np.repeat([ORDINARY, INSTITUTION, CARE_HOME], [ordinary, count, care.size])
    return np.concatenate([sizes, institutions, care]), kinds.astype(np.int64)


def draw_sizes(people: int, households: int, shares: FloatArray, rng: Rng) -> IntArray:
    """`households` sizes from `shares` (sizes 1..len) tilted to the mean, summing to `people`."""
    if households == 0:
        return np.zeros(0, np.int64)
    probabilities = tilted(shares, people / households)
    counts = rng.multinomial(households, probabilities)
    sizes = np.repeat(np.arange(1, len(shares) + 1), counts).astype(np.int64)
    rng.shuffle(sizes)
    return _fix_total(sizes, people, len(shares), rng)


def tilted(shares: FloatArray, mean: float) -> FloatArray:
    """shares·exp(θ·size), normalised, with θ chosen (bisection) so that the mean is `mean`."""
    sizes = np.arange(1, len(shares) + 1, dtype=float)
    if mean <= 1.0:
        singles: FloatArray = np.eye(len(shares))[0]
        return singles
    low, high = -50.0, 50.0
    for _ in range(100):
        theta = (low + high) / 2
        weights = shares * np.exp(theta * (sizes - 1))
        if (weights @ sizes) / weights.sum() < mean:
            low = theta
        else:
            high = theta
    weights = shares * np.exp(low * (sizes - 1))
    result: FloatArray = weights / weights.sum()
    return result


def _fix_total(sizes: IntArray, people: int, largest: int, rng: Rng) -> IntArray:
    """Add or remove one person at a time in random households until the sum is `people`."""
    while (diff := people - int(sizes.sum())) != 0:
        if diff > 0:
            candidates = np.flatnonzero(sizes < largest)
            if candidates.size == 0:
                candidates = np.arange(sizes.size)
            step = 1
        else:
            candidates = np.flatnonzero(sizes > 1)
            step = -1
        chosen = rng.choice(candidates, size=min(abs(diff), candidates.size), replace=False)
        sizes[chosen] += step
    return sizes


def _care_homes(people: int, households: int, rates: Household, rng: Rng) -> IntArray:
    """Care homes hidden in an ordinary chome: the census counts each as one household."""
    expected = people * rates.care_home_population_share / rates.care_home_size
    sizes = np.maximum(10, rng.poisson(rates.care_home_size, rng.poisson(expected)))
    # keep room for the chome's ordinary households, at 1.2 people each at least
    room = np.cumsum(sizes) <= people - 1.2 * (households - np.arange(1, sizes.size + 1))
    return sizes[room & (np.arange(sizes.size) < households - 1)].astype(np.int64)


def _institution_count(people: int, households: int, rates: Household) -> int:
    excess = people - rates.facility_mean_threshold * households
    if excess <= 0:
        return 0
    return min(households, max(1, math.ceil(excess / rates.facility_target_size)))


def _even_split(people: int, parts: int) -> IntArray:
    sizes = np.full(parts, people // parts, dtype=np.int64)
    sizes[: people % parts] += 1
    return sizes
