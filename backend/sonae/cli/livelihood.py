"""`sonae livelihood …`: the estimate at a terminal, and the push-notice letters."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sonae import japan_time
from sonae.audit import service as audit
from sonae.cli.common import console, friendly_errors, operator, unit_of_work
from sonae.cli.support_options import By, Municipality, municipality_code
from sonae.livelihood import notices
from sonae.livelihood.table import LARGEST_HOUSEHOLD, Plan, SupportLevel, estimate
from sonae.municipality import service as municipality_service
from sonae.private_files import write_private

app = typer.Typer(no_args_is_help=True)
out = Console(highlight=False)


@app.command("estimate")
@friendly_errors
def estimate_command(
    damage_level: Annotated[SupportLevel, typer.Option("--level")],
    household_size: Annotated[int, typer.Option("--size", min=1, max=LARGEST_HOUSEHOLD)],
    plan: Annotated[Plan, typer.Option("--plan")] = Plan.none,
) -> None:
    """Basic, additional and total support in yen."""
    result = estimate(level=damage_level, household_size=household_size, plan=plan)
    out.print(f"basic {result.basic:,} additional {result.additional:,} total {result.total:,}")


@app.command("notices")
@friendly_errors
def notices_command(
    event_id: Annotated[int, typer.Option("--event", min=1)],
    out_file: Annotated[Path, typer.Option("--out", help="file to write (.html or .csv)")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (default today)")] = None,
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Write the notice letters (printable HTML, or CSV by the file's suffix); audited."""
    code = municipality_code(municipality)
    day = date.fromisoformat(as_of) if as_of else japan_time.today()
    with unit_of_work() as session:
        found = notices.push_notices(
            session=session, municipality_code=code, event_id=event_id, as_of=day
        )
        items = notices.letters(session=session, municipality_code=code, notices=found)
        if out_file.suffix.lower() == ".csv":
            content = notices.to_csv(items)
        else:
            name = municipality_service.get(session=session, code=code).name
            content = notices.to_html(items, municipality_name=name)
        audit.record(
            session=session,
            principal=None,
            username=operator(by),
            municipality_code=code,
            action="export",
            resource=f"event/{event_id}/livelihood-notices",
            person_ids=[letter.person_id for letter in items],
            fields=["name", "address"],
            purpose_code="livelihood_support",
            detail={"letters": len(items), "file": out_file.name},
        )
        write_private(out_file, content)
    console.print(f"[green]wrote[/green] {out_file}: {len(items)} letters")
