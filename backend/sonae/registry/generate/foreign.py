"""Foreign residents (外国人住民): which households, which nationality, which status.

Whole households are foreign (mixed Japanese–foreign households are not modelled). They are picked
at random until the city's foreign share of people is reached, households with a young head being
likelier, as foreign residents are younger than the Japanese population.
"""

from __future__ import annotations

import numpy as np

from sonae.registry.generate.households import REL, Members
from sonae.registry.generate.rates import Foreign, IntArray, Rng
from sonae.registry.generate.sizes import ORDINARY

FAMILY_STATUS = "家族滞在"
PARENT_STATUS = "特定活動"  # parents of a worker come, if at all, under a designated activity
FALLBACK_STATUS = "永住者"


def foreign_households(
    rng: Rng, sizes: IntArray, facility: IntArray, head_age: IntArray, rates: Foreign
) -> IntArray:
    """Per household: 0 for Japanese, k + 1 for the k-th nationality of the rates."""
    target = round(rates.share * int(sizes.sum()))
    lo, hi = rates.young_head_ages
    weight = np.where((head_age >= lo) & (head_age <= hi), rates.young_head_weight, 1.0)
    # Efraimidis–Spirakis: sorting log(u)/w gives a weighted random order without replacement
    keys = np.log(rng.random(sizes.size)) / weight
    keys[facility != ORDINARY] = -np.inf
    order = np.argsort(-keys, kind="stable")
    count = int(np.searchsorted(np.cumsum(sizes[order]), target)) + 1 if target else 0
    taken = order[:count]
    group = np.zeros(sizes.size, np.int64)
    group[taken] = 1 + rates.nationality_weights.draw(rng, taken.size)
    return group


def residence_statuses(
    rng: Rng, members: Members, group: IntArray, sizes: IntArray, rates: Foreign
) -> list[str]:
    """在留資格 per person ('' for Japanese residents)."""
    person_group = group[members.household]
    head = members.relation == REL["世帯主"]
    lodger = members.relation == REL["同居人"]
    alone = (sizes[members.household] == 1) | lodger
    drawn = np.full(members.age.size, "", dtype=object)
    for k, nationality in enumerate(rates.nationalities, start=1):
        chosen = np.flatnonzero((person_group == k) & (head | lodger))
        labels = np.array(nationality.statuses.labels, dtype=object)
        allowed = np.ones((chosen.size, labels.size), bool)
        working = np.isin(labels, list(rates.working_age_statuses))
        ages = members.age[chosen][:, None]
        allowed &= ~working | ((ages >= 18) & (ages <= 45))
        no_family = np.isin(labels, list(rates.no_family_statuses))
        allowed &= ~no_family | alone[chosen][:, None]
        drawn[chosen] = _draw_rows(rng, nationality.statuses.p * allowed, labels)
    statuses: list[str] = _family_statuses(members, drawn, rates).tolist()
    return statuses


def _draw_rows(rng: Rng, weights: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """One label per row of weights; rows with no allowed label get the fallback status."""
    totals = weights.sum(axis=1)
    cumulative = np.cumsum(weights, axis=1)
    u = rng.random(weights.shape[0]) * totals
    index = np.minimum((cumulative <= u[:, None]).sum(axis=1), labels.size - 1)
    return np.where(totals > 0, labels[index], FALLBACK_STATUS)


def _family_statuses(members: Members, drawn: np.ndarray, rates: Foreign) -> np.ndarray:
    """Relatives share an inherited status of the head (永住者…), else 家族滞在 or 特定活動."""
    first = np.r_[True, members.household[1:] != members.household[:-1]]
    head_index = np.maximum.accumulate(np.where(first, np.arange(first.size), 0))
    head_status = drawn[head_index]
    relative = (drawn == "") & (head_status != "")
    inherited = np.isin(head_status, list(rates.inherited_statuses))
    parent = np.isin(
        members.relation, [REL[r] for r in ("父", "母", "妻の父", "妻の母", "夫の父", "夫の母")]
    )
    family = np.where(parent, PARENT_STATUS, FAMILY_STATUS)
    return np.where(relative, np.where(inherited, head_status, family), drawn)
