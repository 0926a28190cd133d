"""Quantile classes for the population choropleth.

Quantiles rather than equal intervals: chome populations are skewed (a few large housing
estates), and equal intervals would paint almost every chome in the lightest colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sonae_maps.styles import POPULATION_CLASS_COUNT, population_colours


@dataclass(frozen=True)
class PopulationClass:
    """One class of the choropleth: values in [low, high] (whole persons)."""

    low: int
    high: int
    colour: str

    @property
    def label(self) -> str:
        return f"{self.low:,}〜{self.high:,}人"


def population_classes(
    values: Sequence[float | None], max_classes: int = POPULATION_CLASS_COUNT
) -> list[PopulationClass]:
    """Quantile classes of the known values; never more classes than distinct values."""
    known = np.array([v for v in values if _is_known(v)], dtype=float)
    if known.size == 0:
        return []
    class_count = min(max_classes, len(np.unique(known)))
    quantiles = np.quantile(known, np.linspace(0.0, 1.0, class_count + 1))
    # Rounded so the legend shows whole persons; rounding can merge close edges.
    edges = sorted({round(float(q)) for q in quantiles})
    if len(edges) == 1:
        edges = edges * 2
    colours = population_colours(len(edges) - 1)
    return [
        # Classes after the first start one above the previous upper edge: no overlap.
        PopulationClass(low=edges[i] if i == 0 else edges[i] + 1, high=edges[i + 1], colour=c)
        for i, c in enumerate(colours)
    ]


def class_index(value: float | None, classes: Sequence[PopulationClass]) -> int | None:
    """Index of the class holding `value`, or None for unknown values."""
    if not _is_known(value) or not classes:
        return None
    assert value is not None  # narrowed by _is_known, for mypy
    for index, population_class in enumerate(classes):
        if value <= population_class.high:
            return index
    return len(classes) - 1


def _is_known(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))
