"""`sonae welfare import`: the welfare file into WelfareRecord, one per person.

The file is the full current state of the welfare systems (one row per person with any entry):
a person's record is replaced by their row, and the records of people the file no longer lists
are removed (counted as `removed`). A refused row under --skip-invalid keeps the person's
previous record, since the file's intent for them is unknown. Rows are linked to people by
宛名番号 only; one that the registry does not hold is refused ("not in the registry").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from sonae.audit import service as audit
from sonae.errors import ImportRejectedError
from sonae.logging import get_logger
from sonae.municipality import service as municipality_service
from sonae.registry.bulk import (
    BULK_CHANGE,
    analyze_after_bulk_change,
    copy_in,
    driver_connection,
    drop_temp,
    replan_after_bulk_change,
    temp_table_like,
)
from sonae.registry.existing import load_person_ids
from sonae.registry.parsing import read_table, require_columns
from sonae.registry.persistence import record_registry_import
from sonae.registry.problems import ReportLine, RowProblem, rejected_lines
from sonae.welfare.validation import HEADERS, WELFARE_COLUMNS, validate_welfare

log = get_logger(__name__)

FIELDS = (
    "care_level",
    "physical_disability_grade",
    "physical_disability_type",
    "intellectual_disability_grade",
    "mental_disability_grade",
    "intractable_disease",
    "language_need",
    "phone",
    "self_request",
)
STAGE = "welfare_record_stage"
LISTED = "welfare_listed_stage"


@dataclass(frozen=True)
class WelfareImportResult:
    file: str
    encoding: str
    rows: int
    accepted: int
    written: int
    """records inserted or changed"""
    unchanged: int
    removed: int
    """records of people the file no longer lists"""
    import_id: int
    report: list[ReportLine] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return self.rows - self.accepted

    def describe(self) -> list[str]:
        return [
            f"{self.file}: welfare file ({self.encoding}), {self.rows} rows, "
            f"{self.accepted} imported, {self.rejected} rejected",
            f"welfare records: {self.written} written, {self.unchanged} unchanged, "
            f"{self.removed} removed (no longer in the file)",
        ]


def import_welfare(
    *,
    session: Session,
    municipality_code: str,
    path: Path,
    skip_invalid: bool = False,
    encoding: str | None = None,
    operator: str = "cli",
) -> WelfareImportResult:
    municipality_service.get(session=session, code=municipality_code)
    raw = read_table(path, known=WELFARE_COLUMNS, encoding=encoding)
    require_columns(raw, WELFARE_COLUMNS)
    validated = validate_welfare(raw)
    people = load_person_ids(session=session, municipality_code=municipality_code)
    table = validated.table
    held = pc.index_in(table.column("address_number"), value_set=people["address_number"])
    unknown = pc.and_(pa.array(validated.valid), pc.is_null(held))
    problems = validated.problems + [
        RowProblem("not in the registry", feature=line, field=HEADERS["address_number"])
        for line in table.column("line").filter(unknown).to_pylist()
    ]
    if problems and not skip_invalid:
        raise ImportRejectedError(raw.file, sorted(problems, key=lambda p: p.feature or 0))
    keep = pc.and_(pa.array(validated.valid), pc.is_valid(held))
    rows = table.filter(keep)
    records = _records(municipality_code, rows, people["id"].take(held.filter(keep)))
    written = _upsert(session, records)
    listed = people["id"].take(
        pc.drop_null(pc.index_in(validated.listed, value_set=people["address_number"]))
    )
    removed = _remove_unlisted(session, municipality_code, listed)
    import_id = record_registry_import(
        session=session,
        municipality_code=municipality_code,
        file_name=raw.file,
        sha256=raw.sha256,
        kind="welfare",
        encoding=raw.encoding,
        rows=raw.rows,
        accepted=int(rows.num_rows),
        geocoded=0,
    )
    result = WelfareImportResult(
        file=raw.file,
        encoding=raw.encoding,
        rows=raw.rows,
        accepted=int(rows.num_rows),
        written=written,
        unchanged=int(rows.num_rows) - written,
        removed=removed,
        import_id=import_id,
        report=rejected_lines(problems),
    )
    audit.record(
        session=session,
        principal=None,
        action="update",
        resource="welfare.import",
        username=operator,
        municipality_code=municipality_code,
        detail={"import_id": import_id, "file": raw.file, "written": written, "removed": removed},
    )
    log.info(
        "welfare imported",
        municipality=municipality_code,
        rows=result.rows,
        accepted=result.accepted,
        written=written,
        removed=removed,
    )
    return result


def _records(municipality_code: str, rows: Any, person_ids: Any) -> Any:
    count = rows.num_rows
    columns = {
        "municipality_code": pa.repeat(pa.scalar(municipality_code), count),
        "person_id": person_ids,
        **{name: rows.column(name) for name in FIELDS},
    }
    for flag in ("intractable_disease", "self_request"):
        columns[flag] = pc.fill_null(columns[flag], False)
    return pa.table(columns)


def _upsert(session: Session, records: Any) -> int:
    if records.num_rows == 0:
        return 0
    names = ["municipality_code", "person_id", *FIELDS]
    replan_after_bulk_change(session)  # person may have grown since this connection's plans
    temp_table_like(session, STAGE, "welfare_record", names)
    copy_in(session, STAGE, records)
    listed = ", ".join(names)
    assignments = ", ".join(f"{f} = EXCLUDED.{f}" for f in FIELDS)
    ours = ", ".join(f"welfare_record.{f}" for f in FIELDS)
    theirs = ", ".join(f"EXCLUDED.{f}" for f in FIELDS)
    cursor = driver_connection(session).execute(
        f"INSERT INTO welfare_record ({listed}) SELECT {listed} FROM {STAGE} "
        f"ON CONFLICT (municipality_code, person_id) DO UPDATE SET {assignments}, "
        f"updated_at = now() WHERE ({ours}) IS DISTINCT FROM ({theirs})"
    )
    drop_temp(session, STAGE)
    if records.num_rows >= BULK_CHANGE:
        analyze_after_bulk_change(session, ("welfare_record",))
    return int(cursor.rowcount)


def _remove_unlisted(session: Session, municipality_code: str, listed: Any) -> int:
    """Delete the records of people the file does not list (through a temporary table of the
    listed ids: a large `NOT IN (…)` list would be scanned once per record)."""
    connection = driver_connection(session)
    connection.execute(f"DROP TABLE IF EXISTS pg_temp.{LISTED}")
    connection.execute(f"CREATE TEMP TABLE {LISTED} (person_id bigint PRIMARY KEY) ON COMMIT DROP")
    copy_in(session, LISTED, pa.table({"person_id": pc.unique(listed)}))
    cursor = connection.execute(
        f"DELETE FROM welfare_record w WHERE w.municipality_code = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {LISTED} l WHERE l.person_id = w.person_id)",
        (municipality_code,),
    )
    drop_temp(session, LISTED)
    return int(cursor.rowcount)
