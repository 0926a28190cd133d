"""What the registry and welfare import commands share: options, progress, the report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from sonae.cli.common import console
from sonae.errors import ImportRejectedError
from sonae.registry.problems import ReportLine, rejected_lines, write_report

SkipInvalid = Annotated[
    bool,
    typer.Option(
        "--skip-invalid", help="import the valid rows and report the others (default: refuse all)"
    ),
]
Report = Annotated[
    Path | None,
    typer.Option(help="write a CSV report: rejected rows, unmatched addresses, people gone"),
]
FileEncoding = Annotated[
    str | None, typer.Option(help="file encoding [UTF-8 with or without BOM, else cp932]")
]
SHOWN = 20
"""Report lines printed on the console; the --report file holds them all."""

Work = Callable[[Callable[[str], None]], tuple[list[str], list[ReportLine], str]]
"""An import: given a step callback, returns (summary lines, report lines, file name)."""


def show_report(lines: Sequence[ReportLine], report: Path | None, file: str) -> None:
    """Print the first report lines, and write them all if asked."""
    for item in lines[:SHOWN]:
        where = ", ".join(
            part
            for part in (
                f"line {item.line}" if item.line else "",
                f"宛名番号 {item.address_number}" if item.address_number else "",
                f"field {item.field}" if item.field else "",
            )
            if part
        )
        console.print(f"  {item.kind}: {where}: {item.reason}", highlight=False, markup=False)
    if len(lines) > SHOWN:
        console.print(f"  … and {len(lines) - SHOWN} more", highlight=False)
    if report is not None:
        count = write_report(report, file, lines)
        console.print(f"report: {count} lines written to {report}", highlight=False)


def run_import(work: Work, *, steps: int, report: Path | None) -> None:
    """Run an import (it opens its own transaction) under a progress bar. A refused file has
    its report printed and written, then the refusal goes on to friendly_errors (exit 2)."""
    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("starting", total=steps)

            def step(name: str) -> None:
                progress.update(task, advance=1, description=name)

            summary, lines, file = work(step)
    except ImportRejectedError as rejected:
        console.print(f"[red]{rejected.file}: refused, nothing imported[/red]", highlight=False)
        show_report(rejected_lines(rejected.problems), report, rejected.file)
        raise
    for line in summary:
        console.print(f"[green]imported[/green] {line}", highlight=False)
    show_report(lines, report, file)
