"""Turn household sizes into members: a family type per household, then the members' rows."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sonae.registry.generate.households import KIND, Members, _Block, _Builder
from sonae.registry.generate.rates import IntArray, Rates, Rng
from sonae.registry.generate.sizes import CARE_HOME, ORDINARY


def compose(
    sizes: IntArray, facility: IntArray, rates: Rates, rng: Rng
) -> tuple[Members, IntArray]:
    """Members of every household (grouped, head first) and each household's family type."""
    builder = _Builder(rates, rng)
    kinds = np.zeros(sizes.size, np.int64)
    blocks: list[tuple[IntArray, _Block]] = []
    ordinary = facility == ORDINARY
    singles = np.flatnonzero((sizes == 1) & ordinary)
    kinds[singles] = KIND["single"]
    blocks.append((singles, builder.single(singles.size)))
    builders = _type_builders(builder)
    for size in range(2, int(sizes.max(initial=1)) + 1):
        chosen = np.flatnonzero((sizes == size) & ordinary)
        if chosen.size == 0:
            continue
        types = rates.household.types[min(size, max(rates.household.types))]
        drawn = types.draw(rng, chosen.size)
        for code, label in enumerate(types.labels):
            subset = chosen[drawn == code]
            if subset.size:
                kinds[subset] = KIND[label]
                blocks.append((subset, builders[label](subset.size, size)))
    for index in np.flatnonzero(~ordinary):
        care = facility[index] == CARE_HOME or rng.random() < rates.household.facility_care_share
        kinds[index] = KIND["facility_care" if care else "facility_dorm"]
        blocks.append((np.array([index]), builder.facility(int(sizes[index]), care)))
    return _flatten(blocks), kinds


def _type_builders(builder: _Builder) -> dict[str, Callable[[int, int], _Block]]:
    return {
        "couple": lambda n, _size: builder.couple(n),
        "couple_kids": builder.couple_kids,
        "single_parent": builder.single_parent,
        "extended": builder.extended,
        "siblings": builder.siblings,
        "unrelated": builder.unrelated,
    }


def _flatten(blocks: list[tuple[IntArray, _Block]]) -> Members:
    """Rows of every block, ordered by household and then by position (head first)."""
    households, slots, ages, males, relations = [], [], [], [], []
    for index, block in blocks:
        n, width = block.age.shape
        if n == 0:
            continue
        households.append(np.repeat(index, width))
        slots.append(np.tile(np.arange(width), n))
        ages.append(block.age.ravel())
        males.append(block.male.ravel())
        relations.append(block.relation.ravel())
    household = np.concatenate(households)
    order = np.lexsort((np.concatenate(slots), household))
    return Members(
        household=household[order].astype(np.int64),
        age=np.concatenate(ages)[order].astype(np.int64),
        male=np.concatenate(males)[order].astype(bool),
        relation=np.concatenate(relations)[order].astype(np.int64),
    )
