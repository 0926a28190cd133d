"""Names: pools drawn once from a seeded Faker, then sampled per person with numpy.

Japanese names come from Faker's paired providers (kanji with its katakana reading), so the kana
always matches the kanji. Foreign names come from the locale of each nationality, written as on a
residence card (upper-case ASCII): cp932 can hold them, which it cannot for Hangul or diacritics.
A household shares one surname; 同居人 and the wife's parents have their own, and so does a
foreign spouse from a country where marriage does not change the surname.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from faker import Faker

from sonae.registry.generate.households import REL
from sonae.registry.generate.rates import BoolArray, IntArray, Nationality, Rates, Rng
from sonae.registry.generate.romanize import card_name

JAPANESE_POOL = 4000
FOREIGN_POOL = 600
FULL_WIDTH_SPACE = "\u3000"
_OWN_SURNAME = np.array([REL["同居人"], REL["妻の父"], REL["妻の母"]])


@dataclass
class _Table:
    """Name parts of every group (0 = Japanese, then one per nationality), concatenated."""

    display: list[str] = field(default_factory=list)
    kana: list[str] = field(default_factory=list)
    bounds: list[tuple[int, int]] = field(default_factory=list)

    def add(self, display: list[str], kana: list[str]) -> None:
        start = len(self.display)
        self.display += display
        self.kana += kana
        self.bounds.append((start, len(self.display)))

    def draw(self, rng: Rng, groups: IntArray) -> IntArray:
        lo = np.array([b[0] for b in self.bounds])[groups]
        hi = np.array([b[1] for b in self.bounds])[groups]
        drawn: IntArray = (lo + np.floor(rng.random(groups.size) * (hi - lo))).astype(np.int64)
        return drawn


@dataclass
class NamePools:
    surnames: _Table
    male: _Table
    female: _Table


@dataclass
class NameColumns:
    name: list[str]
    kana: list[str]
    roman: list[str]
    former_surname: list[str]


def name_pools(rates: Rates, seed: int) -> NamePools:
    """Pools for the Japanese (group 0) and each nationality (group 1…), from seeded Fakers."""
    pools = NamePools(_Table(), _Table(), _Table())
    fake = _faker("ja_JP", seed)
    for table, pair in (
        (pools.surnames, fake.last_name_pair),
        (pools.male, fake.first_name_male_pair),
        (pools.female, fake.first_name_female_pair),
    ):
        pairs = [pair() for _ in range(JAPANESE_POOL)]
        table.add([p[0] for p in pairs], [p[1] for p in pairs])
    for nationality in rates.foreign.nationalities:
        for table, draw in zip(
            (pools.surnames, pools.male, pools.female),
            _foreign_parts(nationality, seed),
            strict=True,
        ):
            names = [n for n in (card_name(draw()) for _ in range(FOREIGN_POOL)) if n]
            table.add(names, [""] * len(names))
    return pools


def person_names(
    pools: NamePools,
    rng: Rng,
    *,
    household: IntArray,
    group: IntArray,
    relation: IntArray,
    male: BoolArray,
    own_surname_groups: IntArray,
    former_surname_share: float,
) -> NameColumns:
    """Names of every person; `group` is per household (0 Japanese, k = nationality k − 1)."""
    person_group = group[household]
    surname = pools.surnames.draw(rng, group)[household]
    spouse = (relation == REL["妻"]) | (relation == REL["夫"])
    own = np.isin(relation, _OWN_SURNAME) | (spouse & np.isin(person_group, own_surname_groups))
    surname[own] = pools.surnames.draw(rng, person_group[own])
    # female given names follow the male ones in the joined list _columns reads
    female = pools.female.draw(rng, person_group) + len(pools.male.display)
    given = np.where(male, pools.male.draw(rng, person_group), female)
    married_in = (relation == REL["妻"]) | (relation == REL["子の妻"])
    former = married_in & (person_group == 0) & (rng.random(household.size) < former_surname_share)
    former_index = pools.surnames.draw(rng, np.zeros(household.size, np.int64))
    return _columns(pools, surname, given, person_group > 0, former, former_index)


def _columns(
    pools: NamePools,
    surname: IntArray,
    given: IntArray,
    foreign: BoolArray,
    former: BoolArray,
    former_index: IntArray,
) -> NameColumns:
    s_display, s_kana = pools.surnames.display, pools.surnames.kana
    g_display = pools.male.display + pools.female.display
    g_kana = pools.male.kana + pools.female.kana
    given_flat = given.tolist()
    names, kanas, romans, formers = [], [], [], []
    for s, g, is_foreign, has_former, f in zip(
        surname.tolist(),
        given_flat,
        foreign.tolist(),
        former.tolist(),
        former_index.tolist(),
        strict=True,
    ):
        names.append(f"{s_display[s]}{FULL_WIDTH_SPACE}{g_display[g]}")
        kanas.append("" if is_foreign else f"{s_kana[s]}{FULL_WIDTH_SPACE}{g_kana[g]}")
        romans.append(f"{s_display[s]} {g_display[g]}" if is_foreign else "")
        formers.append(s_display[f] if has_former and f != s else "")
    return NameColumns(names, kanas, romans, formers)


def _faker(locale: str, seed: int) -> Faker:
    fake = Faker(locale)
    # one stream per locale, stable across runs and Python versions (crc32, not hash())
    fake.seed_instance(seed * 1_000_003 + zlib.crc32(locale.encode()))
    return fake


def _foreign_parts(
    nationality: Nationality, seed: int
) -> tuple[Callable[[], str], Callable[[], str], Callable[[], str]]:
    """(surname, male given name, female given name) generators for a nationality."""
    surnames, given = (
        _faker(nationality.surname_locale, seed),
        _faker(nationality.given_locale, seed),
    )
    if nationality.surname_locale in ("zh_CN", "zh_TW"):
        last: Callable[[], str] = surnames.last_romanized_name
    else:
        last = surnames.last_name
    locale = nationality.given_locale
    if locale == "zh_CN":
        return last, given.first_romanized_name, given.first_romanized_name
    if locale == "zh_TW":
        return last, given.first_romanized_name_male, given.first_romanized_name_female
    if locale == "vi_VN":
        return (
            last,
            lambda: f"{given.middle_name()} {given.first_name_male()}",
            lambda: f"{given.middle_name()} {given.first_name_female()}",
        )
    return last, given.first_name_male, given.first_name_female
