"""Writing an import: people, their history, the erased, the import record. Bulk only.

New people go straight into `person` by COPY (their ids were drawn from the identity sequence
beforehand, so history and personal numbers can refer to them): no staging table on a first
import. People already held go through a temporary staging table and one UPDATE, which touches
only the rows that differ.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import text
from sqlalchemy.orm import Session

from sonae.registry.bulk import (
    BULK_CHANGE,
    analyze_after_bulk_change,
    copy_in,
    driver_connection,
    drop_temp,
    replan_after_bulk_change,
    reserve_ids,
    temp_table_like,
)
from sonae.registry.geocode import GeocodedColumns
from sonae.registry.models import RegistryImport, ResidentStatus
from sonae.registry.partitions import Targets

PERSON_FIELDS = (
    "address_number",
    "household_number",
    "resident_kind",
    "status",
    "name",
    "name_kana",
    "name_roman",
    "former_surname",
    "birth_date",
    "sex",
    "relation_to_head",
    "address_text",
    "address_annex",
    "nationality",
    "residence_status",
    "resident_code",
    "became_resident_on",
    "address_since",
    "status_since",
)
GEOCODE_FIELDS = ("chome_key_code", "location", "geocode_status", "geocode_note")
WRITTEN = ("municipality_code", "id", *PERSON_FIELDS, *GEOCODE_FIELDS)
HISTORY_COLUMNS = (
    "municipality_code",
    "person_id",
    "change",
    "effective_on",
    "status",
    "household_number",
    "relation_to_head",
    "address_text",
    "import_id",
)
STAGE = "registry_person_stage"


def assign_ids(*, session: Session, people: Any) -> Any:
    """Fill the null ids (new people) with a block reserved from person's identity sequence.

    The block is taken under a SHARE ROW EXCLUSIVE lock on person, held to the end of the
    import's transaction: nobody else inserts a person (so draws from the sequence) meanwhile;
    readers are not blocked. The import writes person anyway, so it already excludes writers
    of the same rows.
    """
    missing = people.column("id").is_null()
    count = int(pc.sum(missing).as_py() or 0)
    fresh = reserve_ids(session, "person", count)
    new = missing.to_numpy(zero_copy_only=False)
    filled = pc.fill_null(people.column("id"), 0).to_numpy().astype(np.int64)
    filled[new] = fresh
    index = people.column_names.index("id")
    people = people.set_column(index, "id", pa.array(filled))
    return people.append_column("is_new", pa.array(new))


def person_rows(municipality_code: str, people: Any, geocoded: GeocodedColumns) -> Any:
    """The Arrow table COPY writes, columns in WRITTEN order."""
    count = people.num_rows
    columns = {
        "municipality_code": pa.repeat(pa.scalar(municipality_code), count),
        "id": people.column("id"),
        **{name: people.column(name) for name in PERSON_FIELDS},
        "chome_key_code": geocoded.chome_key_code,
        "location": geocoded.location,
        "geocode_status": geocoded.status,
        "geocode_note": geocoded.note,
    }
    return pa.table(columns)


def stage_people(*, session: Session, rows: Any, is_new: Any) -> Any:
    """COPY the people already held into a temporary table (no WAL, no index), for one UPDATE;
    returns the new people, who go straight into person (apply_people)."""
    held = rows.filter(pc.invert(is_new))
    if held.num_rows:
        temp_table_like(session, STAGE, "person", WRITTEN)
        copy_in(session, STAGE, held, binary=True)
    else:
        drop_temp(session, STAGE)  # none left over from an earlier import in this transaction
    return rows.filter(is_new)


def apply_people(*, session: Session, new: Any, targets: Targets) -> tuple[int, int]:
    """(inserted, updated): one COPY of the new people into person (or the city's first
    partition), one UPDATE of the staged held ones that differ. Both run in the server while
    the client waits (and seals)."""
    inserted = copy_in(session, targets.person, new, binary=True, freeze=targets.first_load)
    updated = 0
    if _staged(session):
        changing = [c for c in WRITTEN if c not in ("municipality_code", "id")]
        assignments = ", ".join(f"{c} = s.{c}" for c in changing)
        ours = ", ".join(f"p.{c}" for c in changing)
        theirs = ", ".join(f"s.{c}" for c in changing)
        updated = (
            driver_connection(session)
            .execute(
                f"UPDATE person p SET {assignments}, updated_at = now() FROM {STAGE} s "
                "WHERE p.municipality_code = s.municipality_code AND p.id = s.id "
                f"AND ({ours}) IS DISTINCT FROM ({theirs})"
            )
            .rowcount
        )
        drop_temp(session, STAGE)
    if inserted + updated >= BULK_CHANGE and not targets.first_load:
        # History and numbers are checked against person next, one foreign-key probe per row.
        # Statistics taken while person was empty (autovacuum after a rolled-back import, or
        # a fresh install) promise 0 rows, the probe becomes a sequential scan, and 164k
        # history rows took hours. ANALYZE samples this transaction's own new rows too.
        analyze_after_bulk_change(session, ("person",))
    replan_after_bulk_change(session)
    return inserted, updated


def _staged(session: Session) -> bool:
    row = driver_connection(session).execute(f"SELECT to_regclass('pg_temp.{STAGE}')").fetchone()
    return row is not None and row[0] is not None


def history_rows(*, municipality_code: str, history: Any, ids: Any, import_id: int) -> Any:
    """The Arrow table of history rows COPY writes; person ids are found by 宛名番号 in `ids`
    (address_number, id). CPU only: safe in a worker thread."""
    position = pc.index_in(history.column("address_number"), value_set=ids["address_number"])
    count = history.num_rows
    return pa.table(
        {
            "municipality_code": pa.repeat(pa.scalar(municipality_code), count),
            "person_id": ids["id"].take(position),
            **{c: history.column(c) for c in HISTORY_COLUMNS[2:-1]},
            "import_id": pa.repeat(pa.scalar(import_id, pa.int64()), count),
        }
    )


def write_history(*, session: Session, rows: Any, targets: Targets) -> int:
    """COPY history_rows() into person_history (or the city's first partition)."""
    return copy_in(session, targets.history, rows, binary=True, freeze=targets.first_load)


def erase(*, session: Session, municipality_code: str, ids: list[int], as_of: date) -> int:
    """Held residents a full file no longer lists: status erased (消除), never deleted."""
    if not ids:
        return 0
    result = session.execute(
        text(
            "UPDATE person SET status = :status, status_since = :since, updated_at = now() "
            "WHERE municipality_code = :code AND id = ANY(:ids)"
        ),
        {
            "status": ResidentStatus.erased.value,
            "since": as_of,
            "code": municipality_code,
            "ids": ids,
        },
    )
    return int(getattr(result, "rowcount", 0))


def record_registry_import(
    *,
    session: Session,
    municipality_code: str,
    file_name: str,
    sha256: str,
    kind: str,
    encoding: str,
    rows: int,
    accepted: int,
    geocoded: int,
) -> int:
    record = RegistryImport(
        municipality_code=municipality_code,
        file_name=file_name[:255],
        sha256=sha256,
        kind=kind,
        encoding=encoding[:20],
        rows=rows,
        accepted=accepted,
        rejected=rows - accepted,
        geocoded=geocoded,
    )
    session.add(record)
    session.flush()
    return int(record.id)
