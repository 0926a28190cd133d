"""Shelters and emergency evacuation sites from GSI files, and capacity estimates."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from geoalchemy2.shape import from_shape
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sonae.database.core import STORAGE_SRID
from sonae.errors import ImportRejectedError, Problem
from sonae.gis.columns import FieldSpec, resolve_columns, text_value
from sonae.gis.reader import ReadOptions
from sonae.gis.validate import PUNCTUAL
from sonae.importing.common import ImportSummary, load_layer, record_import
from sonae.municipality import service as municipality_service
from sonae.shelter.models import HAZARD_FLAGS, Shelter, ShelterCapacityRule, ShelterKind

GSI_FLAG_COLUMNS = {
    "flood": "洪水",
    "landslide": "崖崩れ、土石流及び地滑り",
    "storm_surge": "高潮",
    "earthquake": "地震",
    "tsunami": "津波",
    "large_fire": "大規模な火事",
    "inland_flooding": "内水氾濫",
    "volcano": "火山現象",
}
WELFARE_MARKER = "要配慮者"
"""GSI 受入対象者 says 要配慮者 for welfare shelters (福祉避難所)."""

SHELTER_FIELDS = (
    FieldSpec("source_id", ("共通ID", "ID", "id")),
    FieldSpec("name", ("施設・場所名", "名称", "name")),
    FieldSpec("address", ("住所", "所在地", "address"), required=False),
    FieldSpec("welfare", ("受入対象者",), required=False),
    FieldSpec("capacity", ("収容人数", "想定収容人数", "capacity"), required=False),
    FieldSpec("note", ("備考",), required=False),
    *(FieldSpec(flag, (column,), required=False) for flag, column in GSI_FLAG_COLUMNS.items()),
)


def import_shelters(
    *,
    session: Session,
    municipality_code: str,
    path: Path,
    kind: ShelterKind,
    read: ReadOptions | None = None,
    columns: dict[str, str] | None = None,
    declared_suitable: Sequence[str] = (),
) -> ImportSummary:
    """`declared_suitable`: hazards the city declares these shelters suitable for where the file
    has no column for the hazard (GSI's 指定避難所 files have none): a city decision written in
    its city.toml, never a guess of ours. Without it such a flag stays NULL, "not said", which
    no hazard-aware choice treats as suitable."""
    municipality = municipality_service.get(session=session, code=municipality_code)
    _refuse_unknown_flags(path.name, declared_suitable)
    loaded = load_layer(
        session=session,
        municipality=municipality,
        path=path,
        read=read or ReadOptions(),
        allowed=PUNCTUAL,
    )
    fields = resolve_columns(path.name, loaded.frame, SHELTER_FIELDS, columns or {})
    rows = [
        _row(path.name, loaded.frame, fields, i, municipality_code, kind, set(declared_suitable))
        for i in range(len(loaded.frame))
    ]
    _refuse_duplicate_ids(path.name, rows)
    for row in rows:
        statement = insert(Shelter).values(**row)
        keys = ("municipality_code", "kind", "source_id")
        session.execute(
            statement.on_conflict_do_update(
                index_elements=list(keys),
                set_={k: statement.excluded[k] for k in row if k not in keys},
            )
        )
    estimate_capacities(session=session, municipality_code=municipality_code)
    return record_import(
        session=session,
        municipality_code=municipality_code,
        layer=kind.value,
        path=path,
        loaded=loaded,
    )


def _row(
    file: str,
    frame: gpd.GeoDataFrame,
    fields: dict[str, str | None],
    i: int,
    code: str,
    kind: ShelterKind,
    declared_suitable: set[str],
) -> dict[str, object]:
    record = frame.iloc[i]

    def value(field: str) -> str | None:
        column = fields[field]
        return None if column is None else text_value(record[column])

    row: dict[str, object] = {
        "municipality_code": code,
        "kind": kind,
        "source_id": value("source_id"),
        "name": value("name"),
        "address": value("address"),
        "is_welfare": WELFARE_MARKER in (value("welfare") or ""),
        "capacity": _capacity(file, value("capacity"), i, fields["capacity"]),
        "note": value("note"),
        "point": from_shape(record.geometry, srid=STORAGE_SRID),
    }
    for flag in HAZARD_FLAGS:
        # A flag column that exists means the source decided: "1" yes, blank no.
        if (column := fields[flag]) is not None:
            row[flag] = _flag(file, value(flag), i, column)
        else:
            row[flag] = True if flag in declared_suitable else None
    if not row["source_id"] or not row["name"]:
        missing = "source_id" if not row["source_id"] else "name"
        raise ImportRejectedError(
            file, [Problem("empty value", feature=i + 1, field=fields[missing])]
        )
    return row


def _refuse_unknown_flags(file: str, declared: Sequence[str]) -> None:
    unknown = sorted(set(declared) - set(HAZARD_FLAGS))
    if unknown:
        raise ImportRejectedError(
            file,
            [
                Problem(f"unknown hazard {name!r} in declared_suitable", field="declared_suitable")
                for name in unknown
            ],
        )


FLAG_YES = frozenset({"1", "○", "◯", "true", "yes", "はい", "可"})
FLAG_NO = frozenset({"0", "×", "✕", "false", "no", "いいえ", "不可", "-"})
"""How sources mark a hazard a site is (not) for; GSI's own data: "1" or blank. Anything else is
refused rather than read as "no": a site wrongly unsuitable is left out of every route."""


def _flag(file: str, text: str | None, i: int, column: str) -> bool:
    if text is None:
        return False
    plain = unicodedata.normalize("NFKC", text).strip().lower()
    if plain in FLAG_YES or plain in FLAG_NO:
        return plain in FLAG_YES
    reason = "not a hazard flag: 1 (or ○, はい) for yes, blank (or 0, ×, いいえ) for no"
    raise ImportRejectedError(file, [Problem(reason, feature=i + 1, field=column)])


def _capacity(file: str, text: str | None, i: int, column: str | None) -> int | None:
    if text is None:
        return None
    try:
        capacity = int(float(text.replace(",", "")))
    except ValueError:
        capacity = -1
    if capacity < 0:
        raise ImportRejectedError(
            file, [Problem("capacity is not a whole number ≥ 0", feature=i + 1, field=column)]
        )
    return capacity


def _refuse_duplicate_ids(file: str, rows: list[dict[str, object]]) -> None:
    first: dict[object, int] = {}
    problems = []
    for position, row in enumerate(rows, start=1):
        if row["source_id"] in first:
            problems.append(
                Problem(f"duplicate id (also feature {first[row['source_id']]})", feature=position)
            )
        first.setdefault(row["source_id"], position)
    if problems:
        raise ImportRejectedError(file, problems)


@dataclass(frozen=True)
class CapacityRule:
    name: str
    priority: int
    name_pattern: str
    capacity: int
    basis: str


def read_capacity_rules(path: Path) -> list[CapacityRule]:
    """Rules from a CSV with columns name, priority, name_pattern, capacity, basis."""
    rules = []
    with path.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                re.compile(row["name_pattern"])
                rules.append(
                    CapacityRule(
                        row["name"],
                        int(row["priority"]),
                        row["name_pattern"],
                        int(row["capacity"]),
                        row["basis"],
                    )
                )
            except (KeyError, ValueError, re.error) as exc:
                raise ImportRejectedError(
                    path.name, [Problem(f"bad rule ({exc})", feature=line)]
                ) from exc
    return rules


def replace_capacity_rules(
    *, session: Session, municipality_code: str, rules: list[CapacityRule]
) -> None:
    session.execute(
        delete(ShelterCapacityRule).where(
            ShelterCapacityRule.municipality_code == municipality_code
        )
    )
    session.add_all(
        ShelterCapacityRule(municipality_code=municipality_code, **rule.__dict__) for rule in rules
    )
    session.flush()
    estimate_capacities(session=session, municipality_code=municipality_code)


def estimate_capacities(*, session: Session, municipality_code: str) -> int:
    """Fill estimated_capacity where the official capacity is missing; returns how many."""
    rules = session.scalars(
        select(ShelterCapacityRule)
        .where(ShelterCapacityRule.municipality_code == municipality_code)
        .order_by(ShelterCapacityRule.priority)
    ).all()
    shelters = session.scalars(
        select(Shelter).where(Shelter.municipality_code == municipality_code)
    ).all()
    estimated = 0
    for shelter in shelters:
        rule = None if shelter.capacity is not None else _first_match(rules, shelter.name)
        shelter.estimated_capacity = None if rule is None else rule.capacity
        shelter.capacity_rule = None if rule is None else rule.name
        estimated += rule is not None
    session.flush()
    return estimated


def _first_match(rules: Sequence[ShelterCapacityRule], name: str) -> ShelterCapacityRule | None:
    return next((r for r in rules if re.search(r.name_pattern, name)), None)
