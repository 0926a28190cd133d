"""The generator's parameters (rate_file.py reads them from data/reference/welfare_rates.toml,
where every number has its source).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from sonae.config import PROJECT_ROOT

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
Rng = np.random.Generator

CHOME_STYLES = ("kanji", "digit", "fullwidth", "hyphen")
BLOCK_STYLES = ("ban_go", "banchi", "hyphen", "banchi_no")
RATES_FILE = PROJECT_ROOT / "data" / "reference" / "welfare_rates.toml"


@dataclass(frozen=True)
class Weights:
    """Labels with normalised probabilities."""

    labels: tuple[str, ...]
    p: FloatArray

    def draw(self, rng: Rng, n: int) -> IntArray:
        return rng.choice(len(self.labels), size=n, p=self.p).astype(np.int64)

    def share(self, label: str) -> float:
        return float(self.p[self.labels.index(label)])


@dataclass(frozen=True)
class SingleBand:
    lo: int
    hi: int
    share: float
    male_share: float


@dataclass(frozen=True)
class Nationality:
    label: str
    surname_locale: str
    given_locale: str
    language: str
    statuses: Weights


@dataclass(frozen=True)
class Household:
    size_shares: FloatArray  # sizes 1..len
    facility_mean_threshold: float
    facility_target_size: int
    facility_care_share: float
    care_home_population_share: float
    care_home_size: float
    head_male_share_couple: float
    head_female_share_single_parent: float
    single_parent_adult_child_share: float
    child_head_share_single_parent_2: float
    spouse_parents_share: float
    second_parent_share: float
    grandchildren_share: float
    widowed_parent_mother_share: float
    elderly_couple_share: float
    child_at_home: FloatArray  # per year of age: share living with a parent as 子
    former_surname_share: float
    types: dict[int, Weights]  # size (2..6, 6 = 6 and more) → family types
    single_bands: tuple[SingleBand, ...]


@dataclass(frozen=True)
class Foreign:
    share: float
    young_head_ages: tuple[int, int]
    young_head_weight: float
    no_family_statuses: frozenset[str]
    working_age_statuses: frozenset[str]
    inherited_statuses: frozenset[str]
    own_surname_nationalities: frozenset[str]
    nationalities: tuple[Nationality, ...]
    nationality_weights: Weights


@dataclass(frozen=True)
class Residence:
    years_at_address_mean: float
    moved_within_city_share: float
    years_in_city_before_mean: float
    foreign_years_at_address_mean: float
    foreign_registry_start: date
    person_serial_start: int
    household_serial_start: int
    serial_gap_mean: float


@dataclass(frozen=True)
class Notation:
    chome: Weights
    block: Weights
    fullwidth_digits: float
    city_prefix: float
    prefecture_prefix: float
    wareki: Weights
    seireki: Weights


@dataclass(frozen=True)
class Addresses:
    apartment_share: float
    apartment_mean_households: float
    room_suffix: Weights
    max_block: int
    max_house: int
    max_lot: int
    lot_number_markers: tuple[str, ...]


@dataclass(frozen=True)
class Welfare:
    care: FloatArray  # rate per year of age
    care_levels: Weights
    care_community_factor: float
    care_facility_share: float
    care_facility_levels: Weights
    physical: FloatArray
    physical_grades: Weights
    physical_types: Weights
    intellectual: FloatArray
    intellectual_grades: Weights
    mental: FloatArray
    mental_grades: Weights
    intractable: FloatArray
    language_need_share: float
    plain_japanese_share: float
    language_no_need_statuses: frozenset[str]
    language_min_age: int
    self_request: FloatArray
    phone_share: float
    phone_prefixes: Weights


@dataclass(frozen=True)
class Changes:
    move_in: float
    move_out: float
    births_per_year: float
    deaths_per_year: float
    address_change: float
    household_split: float
    move_out_whole_household_share: float
    mover_foreign_share: float
    mover_size_shares: FloatArray
    mover_single_bands: tuple[SingleBand, ...]
    mortality_doubling_years: float
    fertility: FloatArray  # weight per year of the mother's age


@dataclass(frozen=True)
class Rates:
    max_age: int
    male_by_age: FloatArray  # population weight per year of age
    female_by_age: FloatArray
    ageing_band: tuple[float, float]
    household: Household
    foreign: Foreign
    residence: Residence
    notation: Notation
    addresses: Addresses
    welfare: Welfare
    changes: Changes
