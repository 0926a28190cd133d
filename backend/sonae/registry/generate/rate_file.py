"""Read data/reference/welfare_rates.toml into the generator's parameters (rates.py).

Every weight list is normalised here, and every age-band rate is expanded to one value per year
of age, so that the samplers index arrays instead of looping over bands.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from sonae.errors import InvalidInputError
from sonae.registry.generate.notation import SEIREKI_STYLES, WAREKI_STYLES
from sonae.registry.generate.rates import (
    BLOCK_STYLES,
    CHOME_STYLES,
    RATES_FILE,
    Addresses,
    Changes,
    FloatArray,
    Foreign,
    Household,
    Nationality,
    Notation,
    Rates,
    Residence,
    SingleBand,
    Weights,
    Welfare,
)


def load_rates(city: str | None = None, path: Path = RATES_FILE) -> Rates:
    """Read the rates; a [cities.<city>] table overrides the shares it names."""
    with path.open("rb") as handle:
        doc = tomllib.load(handle)
    override = doc.get("cities", {}).get(city, {}) if city else {}
    age = doc["age_structure"]
    max_age = int(age["max_age"])
    return Rates(
        max_age=max_age,
        male_by_age=_per_year(age["group_start"], age["male"], max_age),
        female_by_age=_per_year(age["group_start"], age["female"], max_age),
        ageing_band=(float(age["ageing_band"][0]), float(age["ageing_band"][1])),
        household=_household(doc["household"], max_age),
        foreign=_foreign(doc["foreign"], override),
        residence=_residence(doc["residence"]),
        notation=_notation(doc["notation"]),
        addresses=_addresses(doc["addresses"], override),
        welfare=_welfare(doc["welfare"], max_age),
        changes=_changes(doc["changes"], max_age),
    )


def weights(table: dict[str, Any]) -> Weights:
    labels = tuple(k for k in table if k not in ("source", "verify"))
    values = np.array([float(table[k]) for k in labels])
    if not labels or (values < 0).any() or values.sum() <= 0:
        raise InvalidInputError(f"welfare_rates.toml: bad weights {table!r}")
    return Weights(labels, values / values.sum())


def ordered_weights(table: dict[str, Any], labels: tuple[str, ...]) -> Weights:
    """Weights over exactly `labels`, in that order (code indexes them); a label left out is 0."""
    unknown = set(table) - set(labels) - {"source", "verify"}
    if unknown:
        raise InvalidInputError(f"welfare_rates.toml: unknown labels {sorted(unknown)}")
    return weights({label: table.get(label, 0.0) for label in labels})


def band_rates(bands: list[list[float]], max_age: int) -> FloatArray:
    """[[lo, hi, rate], …] → rate per year of age 0..max_age (0 outside every band)."""
    rates = np.zeros(max_age + 1)
    for lo, hi, rate in bands:
        rates[int(lo) : int(hi) + 1] = rate
    return rates


def _per_year(starts: list[int], counts: list[float], max_age: int) -> FloatArray:
    """5-year groups spread evenly over their years; the last group runs to max_age."""
    out = np.zeros(max_age + 1)
    bounds = [*starts[1:], max_age + 1]
    for start, end, count in zip(starts, bounds, counts, strict=True):
        out[start:end] = count / (end - start)
    return out


def _normalised(values: list[float]) -> FloatArray:
    array: FloatArray = np.array(values, dtype=float)
    normalised: FloatArray = array / array.sum()
    return normalised


def _household(t: dict[str, Any], max_age: int) -> Household:
    types = {int(k.removeprefix("size")): weights(v) for k, v in t["types"].items()}
    bands = _single_bands(t["single_person"]["bands"])
    floats = {
        k: float(t[k])
        for k in (
            "facility_mean_threshold",
            "facility_care_share",
            "care_home_population_share",
            "care_home_size",
            "head_male_share_couple",
            "head_female_share_single_parent",
            "single_parent_adult_child_share",
            "child_head_share_single_parent_2",
            "spouse_parents_share",
            "second_parent_share",
            "grandchildren_share",
            "widowed_parent_mother_share",
            "elderly_couple_share",
            "former_surname_share",
        )
    }
    return Household(
        size_shares=_normalised(t["size_shares"]),
        facility_target_size=int(t["facility_target_size"]),
        types=types,
        single_bands=bands,
        child_at_home=band_rates(t["child_at_home"], max_age),
        **floats,
    )


def _single_bands(rows: list[list[float]]) -> tuple[SingleBand, ...]:
    return tuple(SingleBand(int(lo), int(hi), float(s), float(m)) for lo, hi, s, m in rows)


def _foreign(t: dict[str, Any], override: dict[str, Any]) -> Foreign:
    nationalities = tuple(
        Nationality(
            label=n["label"],
            surname_locale=n["surname_locale"],
            given_locale=n["given_locale"],
            language=n["language"],
            statuses=weights(n["statuses"]),
        )
        for n in t["nationalities"]
    )
    counts = {n["label"]: float(n["count"]) for n in t["nationalities"]}
    lo, hi = t["young_head_ages"]
    return Foreign(
        share=float(override.get("foreign_share", t["share"])),
        young_head_ages=(int(lo), int(hi)),
        young_head_weight=float(t["young_head_weight"]),
        no_family_statuses=frozenset(t["no_family_statuses"]),
        working_age_statuses=frozenset(t["working_age_statuses"]),
        inherited_statuses=frozenset(t["inherited_statuses"]),
        own_surname_nationalities=frozenset(t["own_surname_nationalities"]),
        nationalities=nationalities,
        nationality_weights=weights(counts),
    )


def _residence(t: dict[str, Any]) -> Residence:
    return Residence(
        years_at_address_mean=float(t["years_at_address_mean"]),
        moved_within_city_share=float(t["moved_within_city_share"]),
        years_in_city_before_mean=float(t["years_in_city_before_mean"]),
        foreign_years_at_address_mean=float(t["foreign_years_at_address_mean"]),
        foreign_registry_start=t["foreign_registry_start"],
        person_serial_start=int(t["person_serial_start"]),
        household_serial_start=int(t["household_serial_start"]),
        serial_gap_mean=float(t["serial_gap_mean"]),
    )


def _notation(t: dict[str, Any]) -> Notation:
    return Notation(
        chome=ordered_weights(t["chome"], CHOME_STYLES),
        block=ordered_weights(t["block"], BLOCK_STYLES),
        fullwidth_digits=float(t["fullwidth_digits"]),
        city_prefix=float(t["city_prefix"]),
        prefecture_prefix=float(t["prefecture_prefix"]),
        wareki=ordered_weights(t["wareki"], WAREKI_STYLES),
        seireki=ordered_weights(t["seireki"], SEIREKI_STYLES),
    )


def _addresses(t: dict[str, Any], override: dict[str, Any]) -> Addresses:
    return Addresses(
        apartment_share=float(override.get("apartment_share", t["apartment_share"])),
        apartment_mean_households=float(t["apartment_mean_households"]),
        room_suffix=weights(t["room_suffix"]),
        max_block=int(t["max_block"]),
        max_house=int(t["max_house"]),
        max_lot=int(t["max_lot"]),
        lot_number_markers=tuple(t["lot_number_markers"]),
    )


def _welfare(t: dict[str, Any], max_age: int) -> Welfare:
    care = t["care"]
    language = t["language"]
    return Welfare(
        care=band_rates(care["bands"], max_age),
        care_levels=weights(care["levels"]),
        care_community_factor=float(care["community_factor"]),
        care_facility_share=float(care["facility_share"]),
        care_facility_levels=weights(care["facility_levels"]),
        physical=band_rates(t["physical"]["bands"], max_age),
        physical_grades=weights(t["physical"]["grades"]),
        physical_types=weights(t["physical"]["types"]),
        intellectual=band_rates(t["intellectual"]["bands"], max_age),
        intellectual_grades=weights(t["intellectual"]["grades"]),
        mental=band_rates(t["mental"]["bands"], max_age),
        mental_grades=weights(t["mental"]["grades"]),
        intractable=band_rates(t["intractable"]["bands"], max_age),
        language_need_share=float(language["need_share"]),
        plain_japanese_share=float(language["plain_japanese_share"]),
        language_no_need_statuses=frozenset(language["no_need_statuses"]),
        language_min_age=int(language["min_age"]),
        self_request=band_rates(t["self_request"]["bands"], max_age),
        phone_share=float(t["phone"]["share"]),
        phone_prefixes=weights(t["phone"]["prefixes"]),
    )


def _changes(t: dict[str, Any], max_age: int) -> Changes:
    return Changes(
        move_in=float(t["move_in"]),
        move_out=float(t["move_out"]),
        births_per_year=float(t["births_per_year"]),
        deaths_per_year=float(t["deaths_per_year"]),
        address_change=float(t["address_change"]),
        household_split=float(t["household_split"]),
        move_out_whole_household_share=float(t["move_out_whole_household_share"]),
        mover_foreign_share=float(t["mover_foreign_share"]),
        mover_size_shares=_normalised(t["mover_size_shares"]),
        mover_single_bands=_single_bands(t["mover_single_bands"]),
        mortality_doubling_years=float(t["mortality_doubling_years"]),
        fertility=band_rates(t["fertility_ages"], max_age),
    )
