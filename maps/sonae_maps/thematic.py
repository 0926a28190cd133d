"""How the dashboard's thematic layers look: colours, labels and legend sections, without folium.

One place for both renderings: the standalone export (folium, dashboard_map.py) and the live
page, whose script draws the same rows fetched as JSON (backend/sonae/dashboard/live.py).
Inputs are plain values; None means a count suppressed below 3 (shown as 3未満).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np

from sonae_maps import styles
from sonae_maps.legend import LegendItem, LegendSection
from sonae_maps.popups import display_text

SUPPRESSED = "3未満"
NOT_AVAILABLE = "未集計"
SAFETY_LABELS = ("0〜20%", "20〜40%", "40〜60%", "60〜80%", "80〜100%")


def missing(value: Any) -> bool:
    """None or NaN (pandas turns a None among numbers into NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: Any) -> float | None:
    return None if missing(value) else float(value)


def _classes(values: list[float], ramp: tuple[str, ...]) -> list[tuple[float, float, str]]:
    """Up to len(ramp) quantile classes (low, high, colour) of the positive values."""
    known = np.array([v for v in values if v > 0], dtype=float)
    if known.size == 0:
        return []
    count = min(len(ramp), len(np.unique(known)))
    edges = sorted({round(float(q)) for q in np.quantile(known, np.linspace(0, 1, count + 1))})
    if len(edges) == 1:
        edges = edges * 2
    step = (len(ramp) - 1) / max(len(edges) - 2, 1)
    return [
        (edges[i] if i == 0 else edges[i] + 1, edges[i + 1], ramp[round(i * step)])
        for i in range(len(edges) - 1)
    ]


def _colour(value: float | None, classes: list[tuple[float, float, str]]) -> str:
    if value is None:
        return styles.SUPPRESSED_COLOUR
    if value <= 0 or not classes:
        return "#ffffff"
    return next((c for _, high, c in classes if value <= high), classes[-1][2])


@dataclass(frozen=True)
class Styled:
    """Per feature: the label shown in its tooltip and its fill colour; and the legend."""

    shown: list[str]
    colours: list[str]
    legend: LegendSection


def counts(values: Sequence[Any], name: str) -> Styled:
    """Support-list counts (per chome or mesh) in quantile classes of the purple ramp."""
    numbers = [None if missing(v) else float(v) for v in values]
    classes = _classes([v for v in numbers if v is not None], styles.COUNT_RAMP)
    items = [LegendItem(f"{int(lo):,}〜{int(hi):,}人", c) for lo, hi, c in classes]
    if any(v is None for v in numbers):
        items.append(LegendItem(f"{SUPPRESSED}（秘匿）", styles.SUPPRESSED_COLOUR))
    return Styled(
        shown=[SUPPRESSED if v is None else f"{int(v):,}人" for v in numbers],
        colours=[_colour(v, classes) for v in numbers],
        legend=LegendSection(name, tuple(items)),
    )


def safety_legend(available: bool) -> LegendSection:
    if not available:
        return LegendSection(
            f"{styles.LAYER_SAFETY}：{NOT_AVAILABLE}", (LegendItem("―", "#ffffff"),)
        )
    items = zip(SAFETY_LABELS, styles.SAFETY_RAMP, strict=True)
    return LegendSection(styles.LAYER_SAFETY, tuple(LegendItem(t, c) for t, c in items))


def safety(confirmed: Sequence[Any], total: Sequence[Any]) -> Styled:
    """Share of people whose safety is confirmed, in 20 % steps."""
    shown, colours = [], []
    for done, of in zip(confirmed, total, strict=True):
        if missing(of) or of == 0:
            shown.append(SUPPRESSED if missing(of) else "対象なし")
            colours.append(styles.SUPPRESSED_COLOUR)
            continue
        share = float(done) / float(of)
        shown.append(f"{int(done):,} / {int(of):,}人")
        colours.append(styles.SAFETY_RAMP[min(int(share * 5), 4)])
    return Styled(shown, colours, safety_legend(True))


def damage_legend(available: bool) -> LegendSection:
    items = tuple(
        LegendItem(styles.DAMAGE_LEVEL_LABELS[level], styles.DAMAGE_LEVEL_COLOURS[level])
        for level in styles.DAMAGE_LEVELS
    )
    if not available:
        return LegendSection(f"{styles.LAYER_DAMAGE_CHOME}：{NOT_AVAILABLE}", items)
    return LegendSection(f"{styles.LAYER_DAMAGE_CHOME}（最も重い被害）", items)


def damage_labels(levels: Mapping[str, Any]) -> dict[str, str]:
    """Dwellings per damage level as shown in the tooltip (3未満 when suppressed)."""
    return {
        level: SUPPRESSED if missing(levels.get(level)) else f"{int(levels[level]):,}"
        for level in styles.DAMAGE_LEVELS
    }


def worst_colour(levels: Mapping[str, Any]) -> str:
    """Colour of the worst damage level present in a chome."""
    for level in styles.DAMAGE_LEVELS:
        value = number(levels.get(level))
        if value is None:
            return styles.SUPPRESSED_COLOUR  # a suppressed worse level may hide behind it
        if value > 0:
            return styles.DAMAGE_LEVEL_COLOURS[level]
    return "#ffffff"


def shelter_legend() -> LegendSection:
    items = [
        LegendItem(label, colour, shape="circle") for _, colour, label in styles.OCCUPANCY_RAMP
    ]
    items.append(
        LegendItem("収容人数のみ（運営情報なし）", styles.CAPACITY_ONLY_COLOUR, shape="circle")
    )
    items.append(
        LegendItem(styles.WELFARE_LABEL, "#ffffff", styles.WELFARE_STYLE["color"], "circle", 3)
    )
    return LegendSection(f"{styles.LAYER_SHELTER_STATUS}（円の大きさ＝収容人数）", tuple(items))


def int_or_none(value: Any) -> int | None:
    return None if missing(value) else int(value)


def shelter_marker(shelter: Mapping[str, Any], lat: float, lon: float) -> dict[str, Any]:
    """A shelter's circle: area ∝ capacity, colour = occupancy ÷ capacity; popup rows."""
    capacity, occupancy = (
        int_or_none(shelter.get("capacity")),
        int_or_none(shelter.get("occupancy")),
    )
    ratio = occupancy / capacity if occupancy is not None and capacity else None
    welfare = bool(shelter.get("is_welfare"))
    return {
        "lat": lat,
        "lon": lon,
        "radius": 4 + min(14.0, (capacity or 0) ** 0.5 / 3),
        "color": styles.WELFARE_STYLE["color"] if welfare else "#ffffff",
        "weight": 3 if welfare else 1.5,
        "fill_color": styles.occupancy_colour(ratio),
        "class_name": "sonae-shelter-status" + (" sonae-shelter-welfare" if welfare else ""),
        "name": display_text(shelter.get("name")),
        "rows": shelter_rows(shelter, capacity, occupancy),
    }


def shelter_rows(
    shelter: Mapping[str, Any], capacity: int | None, occupancy: int | None
) -> list[tuple[str, str]]:
    """The popup's (heading, value) rows, as plain text."""
    kind = styles.SHELTER_KIND_LABELS.get(str(shelter.get("kind")), "")
    is_open = shelter.get("is_open")
    status = "―" if missing(is_open) else ("開設" if is_open else "未開設")
    return [
        ("種別", styles.WELFARE_LABEL if shelter.get("is_welfare") else kind),
        ("収容人数", "不明" if capacity is None else f"{capacity:,}人"),
        ("開設状況", status),
        ("避難者数", NOT_AVAILABLE if occupancy is None else f"{occupancy:,}人"),
        ("計画上の避難先", plans_label(shelter.get("plans"))),
    ]


def shelter_html(name: str, rows: list[tuple[str, str]]) -> str:
    """The popup as escaped HTML (the folium export; the live page builds it as DOM)."""
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f'<div class="sonae-popup"><h4>{escape(name)}</h4><table>{body}</table></div>'


def plans_label(plans: Any) -> str:
    return SUPPRESSED if missing(plans) else f"{int(plans):,}人"


def plan_marker(shelter: Mapping[str, Any], lat: float, lon: float) -> dict[str, Any] | None:
    """A square sized by the plans naming the shelter as destination; None for no plan."""
    plans = number(shelter.get("plans"))
    if plans == 0:
        return None
    return {
        "lat": lat,
        "lon": lon,
        "radius": 6 + min(12.0, (plans or 0) ** 0.5),
        "tooltip": f"{display_text(shelter.get('name'))}：計画 {plans_label(plans)}",
    }
