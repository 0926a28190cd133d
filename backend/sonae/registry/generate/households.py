"""Who lives in each household: family type, then each member's age, sex and 続柄.

Households of one family type and size are built together as (households × members) arrays.
Where there are children they are drawn first (the pyramid weighted by the share of each age still
living with a parent), and parents and grandparents follow with realistic gaps (a mother is 20–44
at a birth); households without children take the head's age from the pyramid within the range
their type allows. So relations agree with ages: a 子 is at least 20 years younger than their
mother, and at least 15 younger than the head.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sonae.registry.generate.ages import AgeSampler
from sonae.registry.generate.rates import BoolArray, IntArray, Rates, Rng

RELATIONS = (
    "世帯主",
    "妻",
    "夫",
    "子",
    "父",
    "母",
    "孫",
    "兄",
    "姉",
    "弟",
    "妹",
    "子の妻",
    "同居人",
    "妻の父",
    "妻の母",
    "夫の父",
    "夫の母",
    "縁故者",
)
REL = {name: code for code, name in enumerate(RELATIONS)}
KINDS = (
    "single",
    "couple",
    "couple_kids",
    "single_parent",
    "extended",
    "siblings",
    "unrelated",
    "facility_care",
    "facility_dorm",
)
KIND = {name: code for code, name in enumerate(KINDS)}
# Mother's age at a birth, 20–44, peaking at 30 (人口動態統計: mean age at birth ≈ 32)
_GAP_WEIGHTS = np.exp(-(((np.arange(20, 45) - 30.0) / 5.0) ** 2) / 2)
_GAP_CDF = np.concatenate([[0.0], np.cumsum(_GAP_WEIGHTS)])
_YOUNG = 20  # three-generation households: the youngest generation is at most this old
BOY_SHARE = 0.512  # sex ratio at birth, about 105 boys to 100 girls (人口動態統計)


_Group = tuple[IntArray, BoolArray, IntArray | int]
"""Columns of some members: ages, sexes (male), 続柄 codes (one for all or one each)."""


@dataclass
class Members:
    """One row per person, grouped by household, head first."""

    household: IntArray
    age: IntArray
    male: BoolArray
    relation: IntArray


@dataclass
class _Block:
    age: IntArray  # (households, members)
    male: BoolArray
    relation: IntArray


class _Builder:
    def __init__(self, rates: Rates, rng: Rng) -> None:
        self.rng, self.h, self.max_age = rng, rates.household, rates.max_age
        self.sampler = AgeSampler(rates)

    def coin(self, p: float, n: int) -> BoolArray:
        result: BoolArray = self.rng.random(n) < p
        return result

    def spouse(self, head_age: IntArray, head_male: BoolArray) -> IntArray:
        """Husbands are on average two years older than their wives (at most 5 years younger)."""
        gap = np.clip(np.round(self.rng.normal(2.0, 3.0, head_age.size)), -5, 12).astype(np.int64)
        return np.clip(np.where(head_male, head_age - gap, head_age + gap), 20, self.max_age)

    def kids(
        self, n: int, count: int, oldest: int | None = None, youngest: int = 0
    ) -> tuple[IntArray, BoolArray]:
        """Ages (oldest first) of `count` children living with their parents.

        The eldest is drawn from the pyramid weighted by the share of each age still living with
        a parent; younger siblings follow 1–3 years apart.
        """
        eldest = self.sampler.child_ages(self.rng, n, oldest, youngest)
        spacing = np.cumsum(self.rng.geometric(0.5, (n, count)), axis=1)
        spacing -= spacing[:, :1]
        boys = self.rng.random((n, count)) < BOY_SHARE
        return np.clip(eldest[:, None] - spacing, 0, None), boys

    def mother_of(self, child_age: IntArray) -> IntArray:
        """The mother's age: the child's plus her age at the birth (20–44, peak 30)."""
        u = self.rng.random(child_age.size) * _GAP_CDF[-1]
        gap = 20 + np.searchsorted(_GAP_CDF, u, side="right") - 1
        mother: IntArray = np.clip(child_age + gap, 0, self.max_age)
        return mother

    def older(self, ages: IntArray, years: IntArray) -> IntArray:
        """Ages plus some years (a father two years older than the mother), up to the oldest age."""
        result: IntArray = np.minimum(ages + years, self.max_age)
        return result

    def parents_of(self, child_age: IntArray, head_male: BoolArray) -> tuple[IntArray, IntArray]:
        """(head, spouse) ages of a couple whose wife is the child's mother."""
        mother = self.mother_of(child_age)
        other = self.spouse(mother, np.zeros(mother.size, bool))
        return np.where(head_male, other, mother), np.where(head_male, mother, other)

    def single(self, n: int) -> _Block:
        bands = self.h.single_bands
        shares = np.array([b.share for b in bands])
        which = self.rng.choice(len(bands), size=n, p=shares / shares.sum())
        lo, hi = np.array([b.lo for b in bands])[which], np.array([b.hi for b in bands])[which]
        male = self.rng.random(n) < np.array([b.male_share for b in bands])[which]
        age = self.sampler.ages(self.rng, n, lo, hi, male)
        return _Block(age[:, None], male[:, None], np.full((n, 1), REL["世帯主"]))

    def couple(self, n: int) -> _Block:
        head_male = self.coin(self.h.head_male_share_couple, n)
        elderly = self.coin(self.h.elderly_couple_share, n)
        head = self.sampler.ages(
            self.rng, n, np.where(elderly, 65, 22), np.where(elderly, 100, 64), head_male
        )
        return self._with_spouse(head, head_male, [])

    def couple_kids(self, n: int, size: int) -> _Block:
        head_male = self.coin(self.h.head_male_share_couple, n)
        kids = self.kids(n, size - 2)
        head, spouse = self.parents_of(kids[0][:, 0], head_male)
        return self._with_spouse(head, head_male, [(*kids, REL["子"])], spouse)

    def single_parent(self, n: int, size: int) -> _Block:
        if size == 2:
            child_head = self.coin(self.h.child_head_share_single_parent_2, n)
            return _merge(child_head, self._child_head(n), self._parent_head(n, size))
        return self._parent_head(n, size)

    def extended(self, n: int, size: int) -> _Block:
        parents = self._with_parents(n, size, 1)
        if size >= 5:
            two = self.coin(self.h.second_parent_share, n)
            parents = _merge(two, self._with_parents(n, size, 2), parents)
        if size < 4:
            return parents
        grandchildren = self.coin(self.h.grandchildren_share, n)
        return _merge(grandchildren, self._with_grandchildren(n, size), parents)

    def siblings(self, n: int, size: int) -> _Block:
        head = self.sampler.ages(self.rng, n, 20, 90)
        head_male = self.sampler.sexes(self.rng, head)
        offset = self.rng.integers(1, 11, (n, size - 1)) * self.rng.choice([-1, 1], (n, size - 1))
        ages = np.clip(head[:, None] + offset, 15, self.max_age)
        male = self.rng.random((n, size - 1)) < 0.5
        older = ages > head[:, None]
        rel = np.where(
            older, np.where(male, REL["兄"], REL["姉"]), np.where(male, REL["弟"], REL["妹"])
        )
        return _stack((head, head_male, REL["世帯主"]), [(ages, male, rel)])

    def unrelated(self, n: int, size: int) -> _Block:
        head = self.sampler.ages(self.rng, n, 20, 45)
        others = np.clip(head[:, None] + self.rng.integers(-5, 6, (n, size - 1)), 18, 60)
        return _stack(
            (head, self.sampler.sexes(self.rng, head), REL["世帯主"]),
            [(others, self.rng.random((n, size - 1)) < 0.5, REL["同居人"])],
        )

    def facility(self, size: int, care: bool) -> _Block:
        """A care home (residents 75+) or a dormitory (18–29): a head and 同居人."""
        age = self.sampler.ages(self.rng, size, 75 if care else 18, 100 if care else 29)
        rel = np.full(size, REL["同居人"])
        rel[0] = REL["世帯主"]
        return _Block(age[None, :], self.sampler.sexes(self.rng, age)[None, :], rel[None, :])

    def _with_spouse(
        self,
        head: IntArray,
        head_male: BoolArray,
        others: list[_Group],
        spouse: IntArray | None = None,
    ) -> _Block:
        spouse_age = self.spouse(head, head_male) if spouse is None else spouse
        spouse_rel = np.where(head_male, REL["妻"], REL["夫"])
        return _stack(
            (head, head_male, REL["世帯主"]), [(spouse_age, ~head_male, spouse_rel), *others]
        )

    def _parent_head(self, n: int, size: int) -> _Block:
        head_male = ~self.coin(self.h.head_female_share_single_parent, n)
        adult = self.coin(self.h.single_parent_adult_child_share, n)
        kids = _merge_kids(adult, self.kids(n, size - 1, youngest=20), self.kids(n, size - 1))
        head = self.older(self.mother_of(kids[0][:, 0]), 2 * head_male)
        return _stack((head, head_male, REL["世帯主"]), [(*kids, REL["子"])])

    def _child_head(self, n: int) -> _Block:
        head = self.sampler.child_ages(self.rng, n, youngest=25)
        mother = self.coin(self.h.widowed_parent_mother_share, n)
        parent = self.older(self.mother_of(head), 2 * ~mother)
        return _stack(
            (head, self.sampler.sexes(self.rng, head), REL["世帯主"]),
            [(parent, ~mother, np.where(mother, REL["母"], REL["父"]))],
        )

    def _with_parents(self, n: int, size: int, count: int) -> _Block:
        """A couple, one or two elderly parents (the head's or the spouse's), young children."""
        head_male = self.coin(self.h.head_male_share_couple, n)
        kids = self.kids(n, size - 2 - count, oldest=_YOUNG)
        if size - 2 - count > 0:
            head, spouse = self.parents_of(kids[0][:, 0], head_male)
        else:
            head = self.sampler.ages(self.rng, n, 35, 64, head_male)
            spouse = self.spouse(head, head_male)
        parents = np.stack([self.mother_of(head) for _ in range(count)], axis=1)
        mother = np.ones((n, count), bool)
        # one parent left is usually the mother (women live longer); two are 父 and 母
        mother[:, 0] = self.coin(self.h.widowed_parent_mother_share, n) if count == 1 else False
        in_law = self.coin(self.h.spouse_parents_share, n)[:, None]
        rel = _parent_relation(mother, in_law, head_male[:, None])
        parents = self.older(parents, 2 * ~mother)
        return self._with_spouse(
            head, head_male, [(parents, ~mother, rel), (*kids, REL["子"])], spouse
        )

    def _with_grandchildren(self, n: int, size: int) -> _Block:
        """Elderly head (and spouse from 5 members), 子 with 子の妻, and 孫."""
        head_male = self.coin(self.h.head_male_share_couple, n)
        has_spouse = size >= 5
        grandkids = self.kids(n, size - 3 - int(has_spouse), oldest=_YOUNG)
        wife = self.mother_of(grandkids[0][:, 0])
        son = self.spouse(wife, np.zeros(n, bool))
        head = self.older(self.mother_of(son), 2 * head_male)
        younger: list[_Group] = [
            (son, np.ones(n, bool), REL["子"]),
            (wife, np.zeros(n, bool), REL["子の妻"]),
            (*grandkids, REL["孫"]),
        ]
        if has_spouse:
            return self._with_spouse(head, head_male, younger)
        return _stack((head, head_male, REL["世帯主"]), younger)


def _parent_relation(mother: BoolArray, in_law: BoolArray, head_male: BoolArray) -> IntArray:
    own = np.where(mother, REL["母"], REL["父"])
    wifes = np.where(mother, REL["妻の母"], REL["妻の父"])
    husbands = np.where(mother, REL["夫の母"], REL["夫の父"])
    result: IntArray = np.where(in_law, np.where(head_male, wifes, husbands), own)
    return result


def _stack(
    head: tuple[IntArray, BoolArray, int],
    others: list[_Group],
) -> _Block:
    """Head columns, then each group of members as one or more columns."""
    n = head[0].size
    ages, males, rels = [head[0][:, None]], [head[1][:, None]], [np.full((n, 1), head[2])]
    for age, male, rel in others:
        age2 = age.reshape(n, -1)
        ages.append(age2)
        males.append(male.reshape(n, -1))
        rels.append(
            np.broadcast_to(np.asarray(rel).reshape(n, -1) if np.ndim(rel) else rel, age2.shape)
        )
    return _Block(np.hstack(ages), np.hstack(males), np.hstack(rels).astype(np.int64))


def _merge_kids(
    pick_first: BoolArray, first: tuple[IntArray, BoolArray], second: tuple[IntArray, BoolArray]
) -> tuple[IntArray, BoolArray]:
    mask = pick_first[:, None]
    return np.where(mask, first[0], second[0]), np.where(mask, first[1], second[1])


def _merge(pick_first: BoolArray, first: _Block, second: _Block) -> _Block:
    mask = pick_first[:, None]
    return _Block(
        np.where(mask, first.age, second.age),
        np.where(mask, first.male, second.male),
        np.where(mask, first.relation, second.relation),
    )
