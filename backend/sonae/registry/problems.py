"""What went wrong where, said without the values: "line 12, field 個人番号: check digit is wrong".

The report (CSV, UTF-8 with BOM so spreadsheet software opens it) lists rejected rows, addresses
that could not be placed on the map and people no longer in the registry. It names lines and
宛名番号 (the city's internal id, which staff need to find the record) and never a name, an
address, a birth date or a personal number. Logs carry counts only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sonae.errors import Problem
from sonae.private_files import private_opener

REPORT_HEADER = ("file", "line", "宛名番号", "field", "kind", "reason")


@dataclass(frozen=True)
class RowProblem(Problem):
    """A Problem whose feature is a line of a CSV file (the header is line 1)."""

    def __str__(self) -> str:
        where = []
        if self.feature is not None:
            where.append(f"line {self.feature}")
        if self.field is not None:
            where.append(f"field {self.field}")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


@dataclass(frozen=True)
class ReportLine:
    """One line of the import report."""

    kind: str
    """rejected | unmatched | no_longer_in_registry | not_in_file"""
    reason: str
    line: int | None = None
    address_number: str | None = None
    field: str | None = None


def rejected_lines(problems: Iterable[Problem]) -> list[ReportLine]:
    return [
        ReportLine("rejected", p.reason, line=p.feature, field=p.field)
        for p in sorted(problems, key=lambda p: (p.feature or 0, p.field or ""))
    ]


def write_report(path: Path, file: str, lines: Iterable[ReportLine]) -> int:
    """Write the report; returns how many lines it holds."""
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="", opener=private_opener) as handle:
        out = csv.writer(handle)
        out.writerow(REPORT_HEADER)
        for item in lines:
            out.writerow(
                (
                    file,
                    item.line or "",
                    item.address_number or "",
                    item.field or "",
                    item.kind,
                    item.reason,
                )
            )
            count += 1
    return count
