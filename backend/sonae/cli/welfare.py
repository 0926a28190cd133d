"""`sonae welfare …`: welfare department files (福祉情報), one transaction per command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from sonae.cli.common import friendly_errors, operator, unit_of_work
from sonae.cli.registry import Municipality
from sonae.cli.reports import FileEncoding, Report, SkipInvalid, run_import
from sonae.registry.problems import ReportLine

app = typer.Typer(no_args_is_help=True)


@app.command("import")
@friendly_errors
def import_file(
    file: Annotated[Path, typer.Argument(help="welfare CSV: the full current state")],
    municipality: Municipality,
    skip_invalid: SkipInvalid = False,
    report: Report = None,
    encoding: FileEncoding = None,
) -> None:
    """Replace the welfare records by the file's; people it no longer lists lose theirs."""
    # Imported when run: pyarrow and the services behind it are a second --help need not wait.
    from sonae.welfare.service import import_welfare

    def work(step: Callable[[str], None]) -> tuple[list[str], list[ReportLine], str]:
        step("importing")
        with unit_of_work() as session:
            result = import_welfare(
                session=session,
                municipality_code=municipality,
                path=file,
                skip_invalid=skip_invalid,
                encoding=encoding,
                operator=operator(),
            )
        return result.describe(), result.report, result.file

    run_import(work, steps=1, report=report)
