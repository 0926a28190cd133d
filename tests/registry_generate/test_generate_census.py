"""The generated registry holds exactly the census people in exactly the census households."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np
import pytest
from synthetic_registry import AS_OF, SEED, CensusCounts

from sonae.registry.generate.census import CensusUnavailableError, read_city_census
from sonae.registry.generate.population import Population, build_population
from sonae.registry.generate.rate_file import load_rates
from sonae.registry.generate.rates import Rates
from sonae.registry.generate.run import GenerateResult
from sonae.registry.generate.sizes import ORDINARY, chome_sizes


def per_chome(population: Population) -> CensusCounts:
    keys = [c.key_code for c in population.census.chomes]
    people = np.bincount(population.chome, weights=population.size, minlength=len(keys))
    households = np.bincount(population.chome, minlength=len(keys))
    return {k: (int(p), int(h)) for k, p, h in zip(keys, people, households, strict=True)}


def test_urayasu_reproduces_every_chome(
    urayasu: GenerateResult, census: Callable[[str], CensusCounts]
) -> None:
    expected = census("urayasu")
    assert per_chome(urayasu.population) == expected
    assert (urayasu.people, urayasu.households) == (
        sum(p for p, _ in expected.values()),
        sum(h for _, h in expected.values()),
    )
    assert (urayasu.people, urayasu.households) == (164_024, 74_229)


def test_file_has_one_row_per_person_and_the_census_households(
    urayasu: GenerateResult, registry_rows: list[dict[str, str]]
) -> None:
    assert len(registry_rows) == urayasu.people
    assert len({row["世帯番号"] for row in registry_rows}) == urayasu.households
    heads = Counter(row["世帯番号"] for row in registry_rows if row["続柄"] == "世帯主")
    assert len(heads) == urayasu.households and set(heads.values()) == {1}


def test_nishinomiya_in_full(census: Callable[[str], CensusCounts]) -> None:
    """Multi-part keys merged, the water area skipped (its speed is measured in make bench)."""
    population = build_population(
        read_city_census("nishinomiya"), load_rates("nishinomiya"), SEED, AS_OF
    )
    expected = census("nishinomiya")
    assert per_chome(population) == expected
    assert population.age.size == 487_850 and population.size.size == 210_965


def test_numazu_is_refused_naming_what_is_missing() -> None:
    with pytest.raises(CensusUnavailableError, match=r"chome_population_2015\.csv") as caught:
        read_city_census("numazu")
    assert "numazu" in str(caught.value) and "census" in str(caught.value)


@pytest.mark.parametrize(
    ("people", "households"),
    [(1, 1), (7, 7), (8, 1), (3022, 1929), (1029, 53), (70, 1), (202, 79), (13, 5), (40, 2)],
)
def test_sizes_match_any_census_pair(people: int, households: int, rates: Rates) -> None:
    """Including 70 people in 1 household and Nishinomiya's 1,029 people in 53 (an institution)."""
    rng = np.random.default_rng(people * 1000 + households)
    sizes, kinds = chome_sizes(people, households, rates.household, rng)
    assert int(sizes.sum()) == people and sizes.size == households and sizes.min() >= 1
    assert ((kinds == ORDINARY) | (sizes >= 2)).all()


def test_single_person_households_near_the_national_share(urayasu: GenerateResult) -> None:
    """Census 2020: 38 % of households; a chome's own mean moves it (docs/synthetic_registry.md)."""
    share = float((urayasu.population.size == 1).mean())
    assert 0.34 <= share <= 0.45
