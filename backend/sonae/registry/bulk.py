"""Moving whole columns between PostgreSQL and Arrow: COPY in both directions, no ORM per row.

Services hand the session in; these helpers borrow its psycopg connection, so everything stays
in the caller's transaction. COPY is fed by Arrow's CSV writer (C++) or, where the Arrow types
match the columns, by pgpq's binary encoder (Rust); a failed COPY is reported without
PostgreSQL's context line, which would quote the row.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pgpq
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import text
from sqlalchemy.orm import Session

from sonae.errors import SonaeError

BULK_CHANGE = 1_000
"""Rows an import must write before it refreshes statistics: a first load or a yearly
re-import does; a day's change file (tens of moves) leaves it to autovacuum."""


COPY_SLICE = 50_000
"""Rows per slice of a COPY (a few MB of CSV)."""


class BulkWriteError(SonaeError):
    """A bulk write failed in the database (the reason, never the row)."""


def driver_connection(session: Session) -> psycopg.Connection[Any]:
    session.flush()
    connection = session.connection().connection.driver_connection
    assert isinstance(connection, psycopg.Connection)
    return connection


def copy_in(
    session: Session,
    table: str,
    data: Any,
    columns: Sequence[str] | None = None,
    *,
    binary: bool = False,
    freeze: bool = False,
) -> int:
    """COPY an Arrow table into `table` (its column names, or `columns`); returns rows.

    Sent in slices: the server parses one while the client encodes the next (the two cores
    overlap). `binary` sends PostgreSQL's binary format (pgpq), which the server reads without
    parsing text, about a third less of its time on person; the Arrow types must then be the
    columns' own: int64 for bigint, int16 for smallint, date32 for date, binary for bytea and
    for a geometry (EWKB). `freeze` writes the rows frozen: only for a table created in this
    transaction, which nobody else can see before it commits.
    """
    if data.num_rows == 0:
        return 0
    names = list(columns or data.column_names)
    options = ["FORMAT binary" if binary else "FORMAT csv", *(["FREEZE"] if freeze else [])]
    statement = f"COPY {table} ({', '.join(names)}) FROM STDIN ({', '.join(options)})"
    try:
        with driver_connection(session).cursor() as cursor, cursor.copy(statement) as copy:
            for chunk in (_binary_chunks if binary else _csv_chunks)(data):
                copy.write(chunk)
    except psycopg.Error as exc:
        raise BulkWriteError(f"writing {table} failed: {_reason(exc)}") from None
    return int(data.num_rows)


def _csv_chunks(data: Any) -> Iterator[Any]:
    options = pacsv.WriteOptions(include_header=False)
    for part in data.to_batches(max_chunksize=COPY_SLICE):
        sink = io.BytesIO()
        pacsv.write_csv(part, sink, write_options=options)
        yield sink.getbuffer()


def _binary_chunks(data: Any) -> Iterator[Any]:
    encoder = pgpq.ArrowToPostgresBinaryEncoder(data.schema)
    yield encoder.write_header()
    for part in data.to_batches(max_chunksize=COPY_SLICE):
        yield encoder.write_batch(part)
    yield encoder.finish()


def copy_out(session: Session, query: str, schema: Any) -> Any:
    """Run `query` (a SELECT with no parameters) through COPY TO and read it into Arrow."""
    sink = io.BytesIO()
    statement = f"COPY ({query}) TO STDOUT (FORMAT csv)"
    with driver_connection(session).cursor() as cursor, cursor.copy(statement) as copy:
        for chunk in copy:
            sink.write(chunk)
    if sink.tell() == 0:
        return schema.empty_table()
    convert = pacsv.ConvertOptions(
        column_types=schema, strings_can_be_null=True, quoted_strings_can_be_null=False
    )
    read = pacsv.ReadOptions(column_names=schema.names)
    return pacsv.read_csv(pa.py_buffer(sink.getvalue()), read_options=read, convert_options=convert)


def reserve_ids(session: Session, table: str, count: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    """`count` consecutive fresh values of the table's identity column, in one round trip.

    Locks the table against other writers (SHARE ROW EXCLUSIVE, until the transaction ends)
    so that nobody draws from the sequence between the two calls below.
    """
    if count == 0:
        return np.empty(0, dtype=np.int64)
    connection = driver_connection(session)
    connection.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    row = connection.execute(
        "SELECT setval(s, nextval(s) + %s - 1) FROM pg_get_serial_sequence(%s, 'id') AS s",
        (count, table),
    ).fetchone()
    assert row is not None
    last = int(row[0])
    return np.arange(last - count + 1, last + 1, dtype=np.int64)


def replan_after_bulk_change(session: Session) -> None:
    """Forget this connection's cached plans before rows are checked against a grown table.

    Foreign-key checks run through plans cached per connection. A pooled connection that first
    checked keys while `person` was nearly empty keeps a sequential-scan plan, and each of the
    next import's rows then scans the whole table (an import of 164k people ran for minutes).
    """
    driver_connection(session).execute("DISCARD PLANS")


def analyze_after_bulk_change(session: Session, tables: Sequence[str]) -> None:
    """Refresh the planner's statistics of tables a bulk import has just grown.

    Autovacuum analyzes only a minute or so later. Until then a city's new rows look, to the
    planner, like the handful its statistics promise for a municipality code it has not seen,
    and the support-list build that usually follows the import chose nested loops over them
    (over 11 minutes for Urayasu instead of seconds). ANALYZE samples ~30k rows per table, well
    under a second, in this transaction; the application role may run it on these tables only
    through the owner's function (migration 0013).
    """
    session.execute(text("SELECT sonae_refresh_statistics(:tables)"), {"tables": list(tables)})


def temp_table_like(session: Session, name: str, like: str, columns: Sequence[str]) -> None:
    """An empty temporary table with some of `like`'s columns, dropped at commit."""
    connection = driver_connection(session)
    connection.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
    connection.execute(
        f"CREATE TEMP TABLE {name} ON COMMIT DROP AS "
        f"SELECT {', '.join(columns)} FROM {like} WITH NO DATA"
    )


def drop_temp(session: Session, name: str) -> None:
    driver_connection(session).execute(f"DROP TABLE IF EXISTS pg_temp.{name}")


def _reason(error: psycopg.Error) -> str:
    """The error class and the constraint or column: PostgreSQL's message may quote a value."""
    diagnostic = error.diag
    where = diagnostic.constraint_name or diagnostic.column_name
    return type(error).__name__ + (f" ({where})" if where else "")
