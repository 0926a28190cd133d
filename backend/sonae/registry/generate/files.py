"""The CSV layouts of docs/registry_format.md: registry, change and welfare files.

Files are written with CRLF line ends, as the Windows systems of municipalities export them, in
cp932 by default; a character cp932 cannot hold stops the write with a plain error.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sonae.errors import InvalidInputError
from sonae.registry import columns
from sonae.registry.generate.households import RELATIONS
from sonae.registry.generate.notation import format_date
from sonae.registry.generate.population import Population
from sonae.welfare import validation as welfare_validation

# The layout is the importer's (docs/registry_format.md): one definition, read by both sides.
REGISTRY_COLUMNS = tuple(c.header for c in columns.REGISTRY_COLUMNS)
CHANGE_COLUMNS = (*REGISTRY_COLUMNS, *(c.header for c in columns.CHANGE_COLUMNS))
WELFARE_COLUMNS = tuple(c.header for c in welfare_validation.WELFARE_COLUMNS)
ENCODINGS = ("cp932", "utf-8")
JAPANESE, FOREIGN = "日本人住民", "外国人住民"
RESIDENT = "住民"
ROWS_PER_REPORT = 20_000


def registry_rows(population: Population) -> Iterator[list[str]]:
    """One row per person, grouped by household (head first), in census chome order."""
    p, m = population, population.members
    household = m.household.tolist()
    foreign = (p.group[m.household] > 0).tolist()
    male, relation = m.male.tolist(), m.relation.tolist()
    birth, became, since = p.birth.tolist(), p.dates.became.tolist(), p.dates.address_since.tolist()
    styles = p.date_styles.tolist()
    names = p.names
    for i, h in enumerate(household):
        f, style = foreign[i], styles[i]
        yield [
            p.address_number[i],
            p.household_number[h],
            FOREIGN if f else JAPANESE,
            RESIDENT,
            names.name[i],
            names.kana[i],
            names.roman[i],
            names.former_surname[i],
            format_date(birth[i], f, style[0]),
            "男" if male[i] else "女",
            RELATIONS[relation[i]],
            p.address.text[h],
            p.address.annex[h],
            p.my_number[i],
            p.resident_code[i],
            format_date(became[i], f, style[1]),
            format_date(since[i], f, style[2]),
            p.nationality[i],
            p.residence_status[i],
        ]


def welfare_rows(population: Population) -> Iterator[list[str]]:
    """One row per person with any welfare entry, in registry order."""
    w = population.welfare
    columns = (
        w.care_level,
        w.physical_grade,
        w.physical_type,
        w.intellectual_grade,
        w.mental_grade,
        w.intractable,
        w.language,
        w.phone,
        w.self_request,
    )
    for i in w.listed.nonzero()[0].tolist():
        yield [population.address_number[i], *(column[i] for column in columns)]


def write_csv(
    path: Path,
    header: Iterable[str],
    rows: Iterable[list[str]],
    encoding: str,
    on_rows: Callable[[int], None] | None = None,
) -> int:
    """Write header and rows; returns the number of rows. Refuses what the encoding cannot hold."""
    if encoding not in ENCODINGS:
        raise InvalidInputError(f"encoding must be one of {', '.join(ENCODINGS)}, not {encoding!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    try:
        with path.open("w", encoding=encoding, errors="strict", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                count += 1
                if on_rows and count % ROWS_PER_REPORT == 0:
                    on_rows(ROWS_PER_REPORT)
    except UnicodeEncodeError as exc:
        path.unlink(missing_ok=True)
        character = exc.object[exc.start : exc.end]
        raise InvalidInputError(
            f"{path.name}: row {count + 1} holds {character!r} (U+{ord(character[0]):04X}), "
            f"which {encoding} cannot encode; nothing was written"
        ) from exc
    if on_rows:
        on_rows(count % ROWS_PER_REPORT)
    return count


def read_csv(path: Path) -> tuple[list[str], list[list[str]], str]:
    """(header, rows, encoding): UTF-8 (with or without BOM) first, else cp932."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        return header, list(reader), "utf-8" if encoding == "utf-8-sig" else encoding
    raise InvalidInputError(f"{path.name}: neither UTF-8 nor cp932")
