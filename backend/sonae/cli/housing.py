"""`sonae housing allocate`: run the temporary-housing allocation and print its decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sonae import japan_time
from sonae.audit import service as audit
from sonae.cli.common import console, friendly_errors, iso_day, operator, unit_of_work
from sonae.cli.support_options import By, Municipality, municipality_code
from sonae.dwelling.service import household_person_ids
from sonae.housing.allocation import Decision
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
        date | None,
        typer.Option(
            "--as-of", parser=iso_day, metavar="YYYY-MM-DD", help="the day ages are computed at"
        ),
    ] = None,
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Allocate every received or waiting household; the run, seed and reasons are recorded.

    The printout names households by number only, with welfare-derived reasons: the run and
    the read are audited as the API's run is.
    """
    code = municipality_code(municipality)
    day = as_of or japan_time.today()
    with unit_of_work() as session:
        run, result = run_allocation(
            session=session,
            municipality_code=code,
            event_id=event_id,
            as_of=day,
            run_by=operator(by),
            seed=seed,
        )
        numbers = sorted({d.household_number for d in result.decisions})
        audit.record(
            session=session,
            principal=None,
            username=operator(by),
            municipality_code=code,
            action="read",
            resource=f"allocation-run/{run.id}",
            person_ids=household_person_ids(
                session=session,
                municipality_code=code,
                household_numbers=numbers,
                residents_only=True,
            ),
            fields=["temporary_housing", "care_reasons"],
            purpose_code="temporary_housing",
        )
        out.print(decision_table(result.decisions))
    console.print(
        f"[green]run {run.id}[/green] seed {run.seed}: "
        f"{run.allocated} of {run.applicants} allocated"
    )


def decision_table(decisions: Sequence[Decision]) -> Table:
    """Every reason in full, one sentence per line: the reasons are what the household is told
    and what an appeal reads, so nothing is cut. Japanese has no spaces to wrap at: fold."""
    table = Table()
    for header in ("application", "household", "site", "reason"):
        table.add_column(header, overflow="fold")
    for decision in decisions:
        table.add_row(
            str(decision.application_id),
            decision.household_number,
            str(decision.site_id or "待機"),
            "\n".join(f"{reason}。" for reason in decision.reasons),
        )
    return table
