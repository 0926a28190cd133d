"""Reading a registry or welfare CSV: encoding, header, cells as trimmed text, line numbers.

The file is parsed by Arrow's CSV reader (C++, multi-threaded) into string columns; nothing is
typed here (validation does that, column by column). Every row keeps the 1-based number of the
line it came from in the file (the header is line 1), for the report.

Messages never quote the file: Arrow's own parse errors do (they print the offending row), so
they are replaced by "line N: expected X fields, found Y".
"""

from __future__ import annotations

import csv
import hashlib
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from sonae.errors import ImportRejectedError
from sonae.registry.columns import Column
from sonae.registry.problems import RowProblem

BOM = b"\xef\xbb\xbf"
FALLBACK_ENCODING = "cp932"
"""What municipal systems export when not UTF-8 (Shift_JIS with Microsoft's extensions)."""


@dataclass
class RawTable:
    """A file's rows as trimmed text (empty cell = null), columns named by field."""

    file: str
    encoding: str
    sha256: str
    table: Any
    """pyarrow.Table of string columns, one per known column present in the header."""
    lines: np.ndarray[Any, np.dtype[np.int64]]
    """The file line number of each row of `table`."""
    problems: list[RowProblem] = field(default_factory=list)
    """Rows that could not even be split into the header's fields."""
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Data rows in the file, including those that could not be split."""
        return int(self.table.num_rows) + len(self.problems)

    def has(self, name: str) -> bool:
        return name in self.table.column_names


def read_table(path: Path, *, known: Iterable[Column], encoding: str | None = None) -> RawTable:
    """Read FILE; refuse it whole if it cannot be decoded or has no usable header."""
    # Arrow's kernels and hashlib let go of the GIL: the digest and the per-column trimming
    # run on the second core while this thread decodes and parses.
    with ThreadPoolExecutor(max_workers=2) as pool:
        return _read(path, known, encoding, pool)


def _read(
    path: Path, known: Iterable[Column], encoding: str | None, pool: ThreadPoolExecutor
) -> RawTable:
    raw = path.read_bytes()
    digest = pool.submit(lambda: hashlib.sha256(raw).hexdigest())
    data, used = _to_utf8(path.name, raw, encoding)
    header = _header(path.name, data)
    by_name = {_canonical(c.header): c for c in known}
    names: list[str] = []
    ignored: list[str] = []
    for name in header:
        column = by_name.get(_canonical(name))
        names.append(column.field if column else f"_ignored_{len(names)}")
        if column is None:
            ignored.append(name)
    _refuse_duplicates(path.name, header, names)
    table, bad_rows = _parse(path.name, data, names)
    nonempty = _nonempty_lines(data)
    kept = np.ones(len(nonempty) - 1, dtype=bool)
    problems = []
    for number, expected, actual in bad_rows:
        kept[number - 2] = False
        line = int(nonempty[number - 1])
        problems.append(RowProblem(f"expected {expected} fields, found {actual}", feature=line))
    kept_names = [name for name in names if not name.startswith("_ignored_")]
    cells = pool.map(_cells, (table.column(name) for name in kept_names))
    columns = dict(zip(kept_names, cells, strict=True))
    return RawTable(
        file=path.name,
        encoding=used,
        sha256=digest.result(),
        table=pa.table(columns) if columns else pa.table({}),
        lines=nonempty[1:][kept],
        problems=problems,
        ignored_columns=ignored,
    )


def require_columns(raw: RawTable, columns: Iterable[Column]) -> None:
    """One error naming every required column missing from the header."""
    missing = [c.header for c in columns if c.required and not raw.has(c.field)]
    if missing:
        reason = f"missing required columns: {', '.join(missing)}"
        raise ImportRejectedError(raw.file, [RowProblem(reason, feature=1)])


def _to_utf8(file: str, raw: bytes, encoding: str | None) -> tuple[bytes, str]:
    wanted = (encoding or "").lower().replace("_", "-")
    utf8_failed_at = 0
    if wanted in ("", "utf-8", "utf8", "utf-8-sig"):
        try:
            raw.decode("utf-8")
            if raw.startswith(BOM):
                return raw[len(BOM) :], "utf-8-sig"
            return raw, "utf-8"
        except UnicodeDecodeError as exc:
            if wanted:
                raise _undecodable(file, raw, exc.start, "UTF-8") from None
            utf8_failed_at = exc.start
    name = encoding or FALLBACK_ENCODING
    try:
        return raw.decode(name).encode("utf-8"), name
    except UnicodeDecodeError as exc:
        if encoding:
            raise _undecodable(file, raw, exc.start, name) from None
        # Neither: the decoder that got further most likely is the file's encoding.
        where = max(exc.start, utf8_failed_at)
        raise _undecodable(
            file, raw, where, "UTF-8 or cp932 (Shift_JIS); give --encoding"
        ) from None
    except LookupError:
        raise ImportRejectedError(file, [RowProblem(f"unknown encoding {encoding!r}")]) from None


def _undecodable(file: str, raw: bytes, position: int, what: str) -> ImportRejectedError:
    line = raw.count(b"\n", 0, position) + 1
    return ImportRejectedError(file, [RowProblem(f"not {what}", feature=line)])


def _header(file: str, data: bytes) -> list[str]:
    end = data.find(b"\n")  # not split(): that copies the whole file
    first = (data if end < 0 else data[:end]).decode("utf-8").rstrip("\r")
    header = next(csv.reader([first]), [])
    if not any(name.strip() for name in header):
        raise ImportRejectedError(file, [RowProblem("no header row", feature=1)])
    return header


def _canonical(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().replace(" ", "")


def _refuse_duplicates(file: str, header: list[str], names: list[str]) -> None:
    seen: set[str] = set()
    for name, target in zip(header, names, strict=True):
        if target in seen:
            problem = RowProblem(f"column {name.strip()} appears twice in the header", feature=1)
            raise ImportRejectedError(file, [problem])
        seen.add(target)


def _parse(file: str, data: bytes, names: list[str]) -> tuple[Any, list[tuple[int, int, int]]]:
    convert = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    read = pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=8 << 20)
    try:
        return pacsv.read_csv(pa.py_buffer(data), read_options=read, convert_options=convert), []
    except pa.ArrowInvalid:
        pass  # some row has the wrong number of fields: find which, without threads
    bad: list[tuple[int, int, int]] = []

    def skip(row: Any) -> str:
        # Arrow counts non-empty lines, header included; row.text is never kept.
        bad.append((int(row.number), int(row.expected_columns), int(row.actual_columns)))
        return "skip"

    read = pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False)
    parse = pacsv.ParseOptions(invalid_row_handler=skip)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data), read_options=read, parse_options=parse, convert_options=convert
        )
    except pa.ArrowInvalid:
        # e.g. a quote never closed; Arrow's message would quote the row, so it is not shown.
        reason = "not a CSV file that can be read (a quotation mark never closed?)"
        raise ImportRejectedError(file, [RowProblem(reason)]) from None
    return table, bad


def _nonempty_lines(data: bytes) -> np.ndarray[Any, np.dtype[np.int64]]:
    """1-based file line numbers of the non-empty lines (Arrow skips empty ones)."""
    if b"\n\n" not in data and b"\n\r\n" not in data and not data.startswith((b"\n", b"\r\n")):
        count = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        return np.arange(1, count + 1, dtype=np.int64)
    buffer = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buffer == ord("\n"))
    starts = np.concatenate(([0], ends + 1))[: len(ends) + 1]
    stops = np.concatenate((ends, [len(buffer)]))
    lengths = stops - starts
    ends_with_cr = (lengths > 0) & (buffer[np.maximum(stops - 1, 0)] == ord("\r"))
    empty = (lengths - ends_with_cr) == 0
    numbers = np.arange(1, len(starts) + 1, dtype=np.int64)
    kept: np.ndarray[Any, np.dtype[np.int64]] = numbers[~empty]
    return kept


def _cells(column: Any) -> Any:
    """Trimmed text; an empty cell is null (unknown)."""
    trimmed = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
