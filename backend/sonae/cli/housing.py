"""`sonae housing allocate`: run the temporary-housing allocation and print its decisions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sonae import japan_time
from sonae.cli.common import console, friendly_errors, operator, unit_of_work
from sonae.cli.support_options import By, Municipality, municipality_code
from sonae.housing.runs import run_allocation

app = typer.Typer(no_args_is_help=True)
out = Console(highlight=False)


@app.command()
@friendly_errors
def allocate(
    event_id: Annotated[int, typer.Option("--event", min=1)],
    seed: Annotated[
        int | None, typer.Option("--seed", help="reproduce a run (default: random)")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="YYYY-MM-DD ages are computed at")
    ] = None,
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Allocate every received or waiting household; the run, seed and reasons are recorded.

    The printout names households by number only (no personal data).
    """
    code = municipality_code(municipality)
    day = date.fromisoformat(as_of) if as_of else japan_time.today()
    with unit_of_work() as session:
        run, result = run_allocation(
            session=session,
            municipality_code=code,
            event_id=event_id,
            as_of=day,
            run_by=operator(by),
            seed=seed,
        )
        table = Table("application", "household", "site", "reason")
        for decision in result.decisions:
            table.add_row(
                str(decision.application_id),
                decision.household_number,
                str(decision.site_id or "待機"),
                decision.reason,
            )
        out.print(table)
    console.print(
        f"[green]run {run.id}[/green] seed {run.seed}: "
        f"{run.allocated} of {run.applicants} allocated"
    )
