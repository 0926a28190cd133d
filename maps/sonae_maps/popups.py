"""HTML of the shelter popups.

Every value is escaped: names and addresses come from open data, and the popup is inserted
into the page as HTML by Leaflet.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import pandas as pd

from sonae_maps.layers import HAZARD_FLAG_COLUMNS, HAZARD_FLAG_LABELS
from sonae_maps.styles import (
    ESTIMATE_SUFFIX,
    FLAG_SUITABLE,
    FLAG_UNKNOWN,
    FLAG_UNSUITABLE,
    SHELTER_KIND_LABELS,
    WELFARE_LABEL,
)


def shelter_popup_html(shelter: Mapping[str, Any]) -> str:
    """Popup of one shelter row: name, address, kind, capacity and the 8 hazard flags."""
    rows = [
        ("住所", display_text(shelter.get("address"))),
        ("種別", kind_label(shelter)),
        ("収容人数", capacity_label(shelter)),
    ]
    details = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    flags = "".join(
        f"<tr><th>{escape(HAZARD_FLAG_LABELS[column])}</th>"
        f"<td>{escape(flag_label(shelter.get(column)))}</td></tr>"
        for column in HAZARD_FLAG_COLUMNS
    )
    welfare = f'<div class="sonae-welfare">{WELFARE_LABEL}</div>' if is_welfare(shelter) else ""
    return (
        f'<div class="sonae-popup"><h4>{escape(display_text(shelter.get("name")))}</h4>{welfare}'
        f'<table class="sonae-popup-details">{details}</table>'
        f'<div class="sonae-popup-subhead">災害種別ごとの適否</div>'
        f'<table class="sonae-popup-flags">{flags}</table></div>'
    )


def kind_label(shelter: Mapping[str, Any]) -> str:
    kind = display_text(shelter.get("kind"))
    return SHELTER_KIND_LABELS.get(kind, kind)


def capacity_label(shelter: Mapping[str, Any]) -> str:
    capacity: Any = shelter.get("capacity")
    if _is_missing(capacity):
        return FLAG_UNKNOWN
    label = f"{int(capacity):,}人"
    return f"{label}{ESTIMATE_SUFFIX}" if _is_true(shelter.get("capacity_is_estimate")) else label


def flag_label(value: Any) -> str:
    """○ suitable, ― not suitable, 不明 when the source says nothing (None/NaN)."""
    if _is_missing(value):
        return FLAG_UNKNOWN
    return FLAG_SUITABLE if bool(value) else FLAG_UNSUITABLE


def is_welfare(shelter: Mapping[str, Any]) -> bool:
    return _is_true(shelter.get("is_welfare"))


def _is_missing(value: Any) -> bool:
    # pandas turns None into NaN or pd.NA in numeric and nullable columns.
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _is_true(value: Any) -> bool:
    # numpy.bool_ is not `True`, so compare by value, with missing meaning "no".
    return not _is_missing(value) and bool(value)


def display_text(value: Any) -> str:
    """The value as text, empty when missing (never "nan" or "None")."""
    return "" if _is_missing(value) else str(value)
