"""Welfare records at the configured rates, within binomial error (fixed seed, so deterministic).

Tolerance: Z standard errors of the binomial (or of each multinomial share), with Z chosen for
the whole file: about 50 checks × P(|N(0,1)| > 4.75) ≈ 1e-4, so a correct generator fails for
about one seed in 10,000, while a rate off by a fifth of itself fails on the larger groups.
"""

from __future__ import annotations

import math

import numpy as np

from sonae.registry.generate.households import KIND
from sonae.registry.generate.population import Population
from sonae.registry.generate.rates import FloatArray, Rates, Weights
from sonae.registry.generate.run import GenerateResult

Z = 4.75


def within(count: int, n: int, p: float) -> bool:
    return abs(count - n * p) <= Z * math.sqrt(n * p * (1 - p)) + 1e-9


def check_rate_by_age(
    values: list[str], ages: np.ndarray, mask: np.ndarray, rate: FloatArray
) -> None:
    has = np.array([v != "" for v in values])
    p = rate[np.minimum(ages, rate.size - 1)]
    for level in np.unique(p[mask]):
        group = mask & (p == level)
        count, n = int(has[group].sum()), int(group.sum())
        assert within(count, n, float(level)), (count, n, float(level))


def check_split(values: list[str], split: Weights) -> None:
    drawn = [v for v in values if v != ""]
    for label, share in zip(split.labels, split.p, strict=True):
        assert within(drawn.count(label), len(drawn), float(share)), (label, len(drawn))


def test_rates_by_age(urayasu: GenerateResult, rates: Rates) -> None:
    population, w = urayasu.population, rates.welfare
    welfare = population.welfare
    home = in_care_home(population)
    ages = population.age
    check_rate_by_age(welfare.care_level, ages, ~home, w.care * w.care_community_factor)
    for values, rate in (
        (welfare.physical_grade, w.physical),
        (welfare.intellectual_grade, w.intellectual),
        (welfare.mental_grade, w.mental),
        (welfare.intractable, w.intractable),
        (welfare.self_request, w.self_request),
    ):
        check_rate_by_age(values, ages, np.ones(ages.size, bool), rate)
    in_homes = [v for v, h in zip(welfare.care_level, home, strict=True) if h]
    assert within(sum(v != "" for v in in_homes), len(in_homes), w.care_facility_share)


def test_splits_by_level_grade_and_type(urayasu: GenerateResult, rates: Rates) -> None:
    population, w = urayasu.population, rates.welfare
    welfare = population.welfare
    home = in_care_home(population)
    check_split([v for v, h in zip(welfare.care_level, home, strict=True) if not h], w.care_levels)
    check_split(welfare.physical_grade, w.physical_grades)
    check_split(welfare.physical_type, w.physical_types)
    check_split(welfare.intellectual_grade, w.intellectual_grades)
    check_split(welfare.mental_grade, w.mental_grades)


def test_language_support_for_foreign_residents(urayasu: GenerateResult, rates: Rates) -> None:
    population, w = urayasu.population, rates.welfare
    eligible = (
        population.foreign
        & (population.age >= w.language_min_age)
        & ~np.isin(population.residence_status, list(w.language_no_need_statuses))
    )
    needs = np.array([v != "" for v in population.welfare.language])
    assert not needs[~eligible].any()
    assert within(int(needs[eligible].sum()), int(eligible.sum()), w.language_need_share)


def test_welfare_file(
    urayasu: GenerateResult,
    welfare_rows: list[dict[str, str]],
    registry_rows: list[dict[str, str]],
    rates: Rates,
) -> None:
    assert len(welfare_rows) == urayasu.welfare_rows == int(urayasu.population.welfare.listed.sum())
    known = {row["宛名番号"] for row in registry_rows}
    assert all(row["宛名番号"] in known for row in welfare_rows)
    assert "個人番号" not in welfare_rows[0]
    phones = [row["電話番号"] for row in welfare_rows]
    assert within(sum(p != "" for p in phones), len(phones), rates.welfare.phone_share)
    assert all(p[:3] in ("090", "080", "070") and p[3:5] == "-0" for p in phones if p)
    for row in welfare_rows:
        assert (row["身体障害者手帳等級"] == "") == (row["身体障害種別"] == "")
        assert any(v for k, v in row.items() if k not in ("宛名番号", "電話番号"))


def in_care_home(population: Population) -> np.ndarray:
    return (population.kind == KIND["facility_care"])[population.members.household]
