"""Build a whole synthetic population for a city: households, people, numbers, welfare.

Each step draws from its own random stream (seed, step), so a change in one step does not shift
the draws of the others, and the same seed always gives the same population.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np

from sonae.registry.generate.addresses import AddressColumns, household_addresses
from sonae.registry.generate.ages import birth_ordinals, exact_ages
from sonae.registry.generate.census import CityCensus
from sonae.registry.generate.composition import compose
from sonae.registry.generate.foreign import foreign_households, residence_statuses
from sonae.registry.generate.households import KIND, Members
from sonae.registry.generate.names import NameColumns, NamePools, name_pools, person_names
from sonae.registry.generate.numbering import (
    my_numbers,
    resident_codes,
    serials,
    with_check_digits,
)
from sonae.registry.generate.rates import BoolArray, IntArray, Rates, Rng
from sonae.registry.generate.residence import ResidenceDates, allocation_order, residence_dates
from sonae.registry.generate.sizes import ORDINARY, chome_sizes
from sonae.registry.generate.welfare import WelfareColumns, welfare_columns

Progress = Callable[[str], None]
STEPS = ("households", "people", "names", "addresses", "numbers", "welfare")


@dataclass
class Population:
    census: CityCensus
    as_of: date
    # per household
    chome: IntArray
    size: IntArray
    facility: IntArray
    """sizes.ORDINARY, CARE_HOME or INSTITUTION"""
    kind: IntArray
    """households.KINDS index"""
    group: IntArray
    """0 Japanese, k = the k-th nationality of the rates"""
    household_number: list[str]
    address: AddressColumns
    # per person, grouped by household, head first
    members: Members
    birth: IntArray
    age: IntArray
    dates: ResidenceDates
    names: NameColumns
    nationality: list[str]
    residence_status: list[str]
    address_number: list[str]
    my_number: list[str]
    resident_code: list[str]
    date_styles: IntArray
    """(people, 3): notation of 生年月日, 住民となった年月日, 住所を定めた年月日"""
    welfare: WelfareColumns

    @property
    def foreign(self) -> BoolArray:
        result: BoolArray = self.group[self.members.household] > 0
        return result


def build_population(
    census: CityCensus,
    rates: Rates,
    seed: int,
    as_of: date,
    progress: Progress | None = None,
    pools: NamePools | None = None,
) -> Population:
    """`pools`: name pools already drawn for this seed and rates (saves calling Faker again)."""

    def stream(step: str) -> Rng:
        if progress:
            progress(step)
        return np.random.default_rng([seed, STEPS.index(step)])

    rng = stream("households")
    chome, size, facility = _households(census, rates, rng)
    rng = stream("people")
    members, kind = compose(size, facility, rates, rng)
    birth = birth_ordinals(rng, members.age, as_of)
    age = np.minimum(exact_ages(birth, as_of), rates.max_age)  # rates are indexed by age
    head_age = age[np.r_[0, np.cumsum(size)[:-1]]]
    group = foreign_households(rng, size, facility, head_age, rates.foreign)
    statuses = residence_statuses(rng, members, group, size, rates.foreign)
    rng = stream("names")
    names = _names(rng, pools or name_pools(rates, seed), members, group, rates)
    rng = stream("addresses")
    address = household_addresses(
        rng, census, chome, facility, kind == KIND["facility_care"], rates
    )
    rng = stream("numbers")
    dates = residence_dates(
        rng,
        household=members.household,
        births=birth,
        foreign=group > 0,
        individual=facility != ORDINARY,
        as_of=as_of,
        rates=rates.residence,
    )
    address_number, household_number = _serial_numbers(rng, members.household, dates, rates)
    person_nationality = _nationalities(group[members.household], rates)
    my_number, resident_code = my_numbers(rng, age.size), resident_codes(rng, age.size)
    date_styles = _date_styles(rng, group[members.household] > 0, rates)
    rng = stream("welfare")
    care_home = (kind == KIND["facility_care"])[members.household]
    welfare = _welfare(rng, age, members.household, care_home, group, statuses, rates)
    return Population(
        census,
        as_of,
        chome,
        size,
        facility,
        kind,
        group,
        household_number,
        address,
        members,
        birth,
        age,
        dates,
        names,
        person_nationality,
        statuses,
        address_number,
        my_number,
        resident_code,
        date_styles,
        welfare,
    )


def _households(census: CityCensus, rates: Rates, rng: Rng) -> tuple[IntArray, IntArray, IntArray]:
    """(chome index, size, facility kind) per household, chome by chome."""
    chomes, sizes, facilities = [], [], []
    for index, chome in enumerate(census.chomes):
        size, facility = chome_sizes(chome.people, chome.households, rates.household, rng)
        chomes.append(np.full(size.size, index, np.int64))
        sizes.append(size)
        facilities.append(facility)
    return np.concatenate(chomes), np.concatenate(sizes), np.concatenate(facilities)


def _names(
    rng: Rng, pools: NamePools, members: Members, group: IntArray, rates: Rates
) -> NameColumns:
    own = [
        k
        for k, n in enumerate(rates.foreign.nationalities, start=1)
        if n.label in rates.foreign.own_surname_nationalities
    ]
    return person_names(
        pools,
        rng,
        household=members.household,
        group=group,
        relation=members.relation,
        male=members.male,
        own_surname_groups=np.array(own, np.int64),
        former_surname_share=rates.household.former_surname_share,
    )


def _serial_numbers(
    rng: Rng, household: IntArray, dates: ResidenceDates, rates: Rates
) -> tuple[list[str], list[str]]:
    """宛名番号 by the order people arrived, 世帯番号 by the order households formed."""
    r = rates.residence
    people = np.empty(household.size, np.int64)
    people[allocation_order(rng, dates.became)] = serials(
        rng, household.size, r.person_serial_start, r.serial_gap_mean
    )
    count = int(household.max(initial=-1)) + 1
    formed = np.full(count, np.iinfo(np.int64).max)
    np.minimum.at(formed, household, dates.address_since)
    homes = np.empty(count, np.int64)
    homes[allocation_order(rng, formed)] = serials(
        rng, count, r.household_serial_start, r.serial_gap_mean
    )
    return with_check_digits(people), with_check_digits(homes)


def _nationalities(person_group: IntArray, rates: Rates) -> list[str]:
    labels = np.array(["", *(n.label for n in rates.foreign.nationalities)], dtype=object)
    result: list[str] = labels[person_group].tolist()
    return result


def _welfare(
    rng: Rng,
    age: IntArray,
    household: IntArray,
    care_home: BoolArray,
    group: IntArray,
    statuses: list[str],
    rates: Rates,
) -> WelfareColumns:
    languages = np.array(["", *(n.language for n in rates.foreign.nationalities)], dtype=object)
    exempt = np.isin(
        np.array(statuses, dtype=object), list(rates.welfare.language_no_need_statuses)
    )
    return welfare_columns(
        rng,
        ages=age,
        care_home=care_home,
        foreign_language=languages[group[household]].tolist(),
        language_exempt=exempt,
        rates=rates.welfare,
    )


def _date_styles(rng: Rng, foreign: BoolArray, rates: Rates) -> IntArray:
    """Style indexes into notation.WAREKI_STYLES (Japanese) or SEIREKI_STYLES (foreign)."""
    n = foreign.size
    japanese = np.stack([rates.notation.wareki.draw(rng, n) for _ in range(3)], axis=1)
    abroad = np.stack([rates.notation.seireki.draw(rng, n) for _ in range(3)], axis=1)
    result: IntArray = np.where(foreign[:, None], abroad, japanese)
    return result
