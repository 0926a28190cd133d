"""Welfare records at published national rates by age (sources in welfare_rates.toml).

Each record is drawn independently per person from the rate of their age: care certification
and its level, physical disability handbook (grade, type), 療育手帳, mental health handbook,
intractable disease, language support for foreign residents, 手上げ. Care-home residents are
certified at the rate and levels of care homes, everyone else at the age rate scaled down by the
community factor (the national rates include care-home residents). A person with any record gets
a welfare row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sonae.registry.generate.rates import BoolArray, FloatArray, IntArray, Rng, Weights
from sonae.registry.generate.rates import Welfare as WelfareRates

PLAIN_JAPANESE = "やさしい日本語"
FIELDS = (
    "care_level",
    "physical_grade",
    "physical_type",
    "intellectual_grade",
    "mental_grade",
    "intractable",
    "language",
    "phone",
    "self_request",
)


@dataclass
class WelfareColumns:
    """One string per person per field ('' = no entry); `listed` marks who gets a row."""

    care_level: list[str]
    physical_grade: list[str]
    physical_type: list[str]
    intellectual_grade: list[str]
    mental_grade: list[str]
    intractable: list[str]
    language: list[str]
    phone: list[str]
    self_request: list[str]
    listed: BoolArray


def welfare_columns(
    rng: Rng,
    *,
    ages: IntArray,
    care_home: BoolArray,
    foreign_language: list[str],
    language_exempt: BoolArray,
    rates: WelfareRates,
) -> WelfareColumns:
    """`foreign_language` is '' for Japanese residents, else the nationality's language."""
    n = ages.size
    community = rates.care[ages] * rates.care_community_factor
    care_p = np.where(care_home, rates.care_facility_share, community)
    care = _labelled(rng, care_p, rates.care_levels)
    in_home = _labelled(rng, care_p, rates.care_facility_levels)
    care = np.where(care_home, in_home, care)
    physical = _labelled(rng, rates.physical[ages], rates.physical_grades)
    physical_type = np.where(physical != "", _labelled(rng, np.ones(n), rates.physical_types), "")
    language = _languages(rng, ages, foreign_language, language_exempt, rates)
    columns = {
        "care_level": care,
        "physical_grade": physical,
        "physical_type": physical_type,
        "intellectual_grade": _labelled(rng, rates.intellectual[ages], rates.intellectual_grades),
        "mental_grade": _labelled(rng, rates.mental[ages], rates.mental_grades),
        "intractable": _flag(rng, rates.intractable[ages]),
        "language": language,
        "self_request": _flag(rng, rates.self_request[ages]),
    }
    listed = np.zeros(n, bool)
    for values in columns.values():
        listed |= values != ""
    phones = _phones(rng, listed & (rng.random(n) < rates.phone_share), rates.phone_prefixes)
    return WelfareColumns(
        **{name: values.tolist() for name, values in columns.items()},
        phone=phones,
        listed=listed,
    )


def _labelled(rng: Rng, p: FloatArray, levels: Weights) -> np.ndarray:
    """A label drawn from `levels` with probability p per person, else ''."""
    has = rng.random(p.size) < p
    labels = np.array(levels.labels, dtype=object)
    drawn = levels.draw(rng, p.size)
    return np.where(has, labels[drawn], "")


def _flag(rng: Rng, p: FloatArray) -> np.ndarray:
    return np.where(rng.random(p.size) < p, "1", "")


def _languages(
    rng: Rng,
    ages: IntArray,
    foreign_language: list[str],
    exempt: BoolArray,
    rates: WelfareRates,
) -> np.ndarray:
    own = np.array(foreign_language, dtype=object)
    needs = (own != "") & ~exempt & (ages >= rates.language_min_age)
    needs &= rng.random(ages.size) < rates.language_need_share
    plain = rng.random(ages.size) < rates.plain_japanese_share
    return np.where(needs, np.where(plain, PLAIN_JAPANESE, own), "")


def _phones(rng: Rng, has: BoolArray, prefixes: Weights) -> list[str]:
    """0X0-0NNN-NNNN: mobile-style numbers in a block never allocated (see the rates file)."""
    prefix = np.array(prefixes.labels)[prefixes.draw(rng, has.size)]
    middle = rng.integers(0, 1000, has.size)
    last = rng.integers(0, 10000, has.size)
    return [
        f"{p}-0{m:03d}-{x:04d}" if h else ""
        for h, p, m, x in zip(
            has.tolist(), prefix.tolist(), middle.tolist(), last.tolist(), strict=True
        )
    ]
