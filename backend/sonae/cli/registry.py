"""`sonae registry …`: resident registry files (synthetic ones for development and tests)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from sonae.cli.common import console, friendly_errors, operator, unit_of_work
from sonae.cli.reports import FileEncoding, Report, SkipInvalid, run_import
from sonae.registry.generate import DEFAULT_AS_OF
from sonae.registry.problems import ReportLine

# Each command imports its own machinery: the import's (pyarrow, the audit trail, GIS) and the
# generator's (numpy, faker) cost about a second, which neither the other nor --help needs.

app = typer.Typer(no_args_is_help=True)

Municipality = Annotated[
    str, typer.Option("--municipality", "-m", help="6-digit municipality code")
]

City = Annotated[str, typer.Option(help="urayasu or nishinomiya (a bundle under data/cities)")]
Seed = Annotated[int, typer.Option(help="same seed, byte-identical files")]
Encoding = Annotated[str, typer.Option(help="cp932 (what municipal systems export) or utf-8")]


class _Bar:
    """A rich progress bar: one task for the build steps, one per file written."""

    def __init__(self, progress: Progress, steps: int) -> None:
        self.progress = progress
        self.build = progress.add_task("building", total=steps)
        self.file: TaskID | None = None

    def step(self, label: str) -> None:
        self.progress.update(self.build, description=label, advance=1)

    def start_file(self, label: str, rows: int) -> None:
        self.progress.update(
            self.build, description="built", completed=self.progress.tasks[0].total
        )
        self.file = self.progress.add_task(f"writing {label}", total=max(rows, 1))

    def rows(self, count: int) -> None:
        if self.file is not None:
            self.progress.update(self.file, advance=count)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.total:,.0f}"),
        TimeElapsedColumn(),
        console=console,
    )


@app.command("import")
@friendly_errors
def import_command(
    file: Annotated[
        Path, typer.Argument(help="registry CSV, full or changes (told by its header)")
    ],
    municipality: Municipality,
    skip_invalid: SkipInvalid = False,
    as_of: Annotated[str | None, typer.Option(help="date of the file [today]")] = None,
    encoding: FileEncoding = None,
    report: Report = None,
    allow_erase: Annotated[
        bool,
        typer.Option(
            "--allow-erase",
            help="accept a full file that drops more than 5 % of the residents held",
        ),
    ] = False,
) -> None:
    """Import a registry file in one transaction; a file with an invalid row is refused whole."""
    from sonae.registry.service import IMPORT_STEPS, import_registry

    def work(step: Callable[[str], None]) -> tuple[list[str], list[ReportLine], str]:
        with unit_of_work() as session:
            result = import_registry(
                session=session,
                municipality_code=municipality,
                path=file,
                skip_invalid=skip_invalid,
                as_of=date.fromisoformat(as_of) if as_of else None,
                encoding=encoding,
                allow_erase=allow_erase,
                on_step=step,
                operator=operator(),
            )
        return result.describe(), result.report, result.file

    run_import(work, steps=len(IMPORT_STEPS), report=report)


@app.command("generate")
@friendly_errors
def generate_command(
    city: City,
    seed: Seed,
    out: Annotated[Path | None, typer.Option(help="registry CSV [var/registry/…]")] = None,
    welfare_out: Annotated[Path | None, typer.Option(help="welfare CSV [var/registry/…]")] = None,
    encoding: Encoding = "cp932",
    as_of: Annotated[str, typer.Option(help="date the registry describes")] = str(DEFAULT_AS_OF),
    limit_chome: Annotated[
        int | None, typer.Option(help="only the first N chome of the census (small trial files)")
    ] = None,
) -> None:
    """Write a synthetic registry reproducing the census per chome, and a welfare file."""
    from sonae.registry.generate.run import STEPS, GenerateRequest, generate

    request = GenerateRequest(
        city, seed, date.fromisoformat(as_of), encoding, out, welfare_out, limit_chome
    )
    started = time.perf_counter()
    with _progress() as progress:
        result = generate(request, _Bar(progress, len(STEPS)))
    console.print(
        f"{result.people:,} people in {result.households:,} households → {result.registry}\n"
        f"{result.welfare_rows:,} welfare rows → {result.welfare}\n"
        f"{time.perf_counter() - started:.1f} s",
        highlight=False,
    )


@app.command("generate-changes")
@friendly_errors
def generate_changes_command(
    base: Annotated[Path, typer.Option(help="the full registry CSV the month starts from")],
    seed: Seed,
    month: Annotated[str, typer.Option(help="YYYY-MM")],
    out: Annotated[Path | None, typer.Option(help="change CSV [next to the base]")] = None,
    include_return: Annotated[
        bool, typer.Option(help="add a person who moves out and back (same 宛名番号)")
    ] = False,
    encoding: Annotated[str | None, typer.Option(help="cp932 or utf-8 [the base's]")] = None,
    city: Annotated[str | None, typer.Option(help="[inferred from the addresses]")] = None,
) -> None:
    """Write a month of 異動 (moves in and out, births, deaths, 転居, 世帯変更) for a registry."""
    from sonae.registry.generate.changes import ChangeRequest, generate_changes

    request = ChangeRequest(base, seed, month, out, include_return, encoding, city)
    with _progress() as progress:
        result = generate_changes(request, _Bar(progress, 3))
    counts = ", ".join(f"{kind} {count}" for kind, count in result.counts.items())
    console.print(f"{result.rows:,} changes ({counts}) → {result.path}", highlight=False)
