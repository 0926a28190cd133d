"""Column mapping: real files name their attributes in Japanese, and differently per source.

Each layer declares the fields it wants with the column names it knows by default; the user can
name other columns (`--column name=施設名`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from sonae.errors import ImportRejectedError, Problem


@dataclass(frozen=True)
class FieldSpec:
    name: str
    defaults: tuple[str, ...]
    required: bool = True


def parse_column_options(options: list[str] | None) -> dict[str, str]:
    """["name=施設名", …] → {"name": "施設名"}; raises ValueError on a malformed option."""
    mapping: dict[str, str] = {}
    for option in options or []:
        field, sep, column = option.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise ValueError(f"column mapping {option!r} is not of the form field=column")
        mapping[field.strip()] = column.strip()
    return mapping


def resolve_columns(
    file: str, frame: pd.DataFrame, specs: tuple[FieldSpec, ...], overrides: Mapping[str, str]
) -> dict[str, str | None]:
    """Which source column feeds each field; None for an optional field the file lacks."""
    known = {spec.name for spec in specs}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ImportRejectedError(
            file,
            [
                Problem(f"no such field to map (fields: {', '.join(sorted(known))})", field=f)
                for f in unknown
            ],
        )
    resolved: dict[str, str | None] = {}
    problems: list[Problem] = []
    columns = set(map(str, frame.columns))
    for spec in specs:
        candidates = (overrides[spec.name],) if spec.name in overrides else spec.defaults
        found = next((c for c in candidates if c in columns), None)
        if found is None and (spec.required or spec.name in overrides):
            problems.append(
                Problem(
                    f"missing column for {spec.name} (file has: {', '.join(sorted(columns))})",
                    field=candidates[0],
                )
            )
        resolved[spec.name] = found
    if problems:
        raise ImportRejectedError(file, problems)
    return resolved


def text_value(value: object) -> str | None:
    """A cell as stripped text; None for blanks and NaN."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None
