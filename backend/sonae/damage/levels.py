"""The six damage levels of a dwelling (内閣府 災害に係る住家の被害認定基準運用指針, 2020 revision).

Ordered from the worst to the least; the livelihood-support, housing and victim-registry features
read a household's level through certificate.service.latest_certificate.
"""

from __future__ import annotations

import enum


class DamageLevel(enum.StrEnum):
    total_collapse = "total_collapse"
    """全壊: damage ratio ≥ 50 %"""
    large_scale_half = "large_scale_half"
    """大規模半壊: 40 % ≤ r < 50 %"""
    medium_scale_half = "medium_scale_half"
    """中規模半壊: 30 % ≤ r < 40 %"""
    half = "half"
    """半壊: 20 % ≤ r < 30 %"""
    quasi_half = "quasi_half"
    """準半壊: 10 % ≤ r < 20 %"""
    partial = "partial"
    """準半壊に至らない（一部損壊）: r < 10 %"""


DAMAGE_LEVEL_LABELS: dict[DamageLevel, str] = {
    DamageLevel.total_collapse: "全壊",
    DamageLevel.large_scale_half: "大規模半壊",
    DamageLevel.medium_scale_half: "中規模半壊",
    DamageLevel.half: "半壊",
    DamageLevel.quasi_half: "準半壊",
    DamageLevel.partial: "準半壊に至らない（一部損壊）",
}

LEVEL_ORDER: tuple[DamageLevel, ...] = tuple(DamageLevel)
"""Worst first: a lower index is more severe."""


def more_severe(a: DamageLevel, b: DamageLevel) -> DamageLevel:
    return a if LEVEL_ORDER.index(a) <= LEVEL_ORDER.index(b) else b
