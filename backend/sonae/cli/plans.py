"""`sonae plans …`: individual evacuation plans (個別避難計画), only with the person's consent."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from sonae.audit import service as audit
from sonae.cli.common import console, friendly_errors, operator, unit_of_work
from sonae.cli.support_options import By, Municipality, municipality_code
from sonae.errors import InvalidInputError
from sonae.evacuation_plan import service as plan_service
from sonae.evacuation_plan.printing import plan_html
from sonae.evacuation_plan.schemas import PlanIn
from sonae.private_files import write_private
from sonae.support_extract.consent import person_id_for

app = typer.Typer(no_args_is_help=True)
out = Console(highlight=False)

AddressNumber = Annotated[str, typer.Argument(help="宛名番号 of the person")]


def _read_plan(file: Path) -> PlanIn:
    try:
        return PlanIn.model_validate_json(file.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise InvalidInputError(f"{file.name}: not a plan ({exc})") from exc


@app.command("set")
@friendly_errors
def set_plan(
    address_number: AddressNumber,
    file: Annotated[Path, typer.Argument(help="plan as JSON (supporters, destination, route…)")],
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Create or replace a person's plan (needs their evacuation_plan consent)."""
    municipality = municipality_code(municipality)
    plan = _read_plan(file)
    with unit_of_work() as session:
        person_id = person_id_for(
            session=session, municipality_code=municipality, address_number=address_number
        )
        stored = plan_service.save_plan(
            session=session,
            municipality_code=municipality,
            person_id=person_id,
            plan=plan,
            by=operator(by),
            subject=f"宛名番号 {address_number}",
        )
        audit.record(
            session=session,
            principal=None,
            username=operator(by),
            municipality_code=municipality,
            action="update" if stored.updated_by else "create",
            resource=f"evacuation_plan/{person_id}",
            person_ids=[person_id],
            fields=["evacuation_plan"],
            purpose_code="evacuation_plan",
        )
    console.print(f"[green]saved[/green] evacuation plan of 宛名番号 {address_number}")


@app.command("show")
@friendly_errors
def show(address_number: AddressNumber, municipality: Municipality = None, by: By = None) -> None:
    """Print a person's plan as JSON."""
    municipality = municipality_code(municipality)
    with unit_of_work() as session:
        person_id = person_id_for(
            session=session, municipality_code=municipality, address_number=address_number
        )
        context = plan_service.get_plan(
            session=session,
            municipality_code=municipality,
            person_id=person_id,
            subject=f"宛名番号 {address_number}",
        )
        shown = plan_service.plan_out(session=session, context=context)
        audit.record(
            session=session,
            principal=None,
            username=operator(by),
            municipality_code=municipality,
            action="read",
            resource=f"evacuation_plan/{person_id}",
            person_ids=[person_id],
            fields=["evacuation_plan"],
            purpose_code="evacuation_plan",
        )
    out.print_json(shown.model_dump_json())


@app.command("print")
@friendly_errors
def print_plan(
    address_number: AddressNumber,
    out_file: Annotated[Path, typer.Option("--out", help="HTML file to write")],
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Write the printable plan (HTML, A4)."""
    municipality = municipality_code(municipality)
    with unit_of_work() as session:
        person_id = person_id_for(
            session=session, municipality_code=municipality, address_number=address_number
        )
        context = plan_service.get_plan(
            session=session,
            municipality_code=municipality,
            person_id=person_id,
            subject=f"宛名番号 {address_number}",
        )
        html = plan_html(session=session, context=context)
        audit.record(
            session=session,
            principal=None,
            username=operator(by),
            municipality_code=municipality,
            action="export",
            resource=f"evacuation_plan/{person_id}/print",
            person_ids=[person_id],
            fields=["evacuation_plan", "name", "birth_date", "address", "phone"],
            purpose_code="evacuation_plan",
        )
    write_private(out_file, html.encode("utf-8"))
    console.print(f"[green]wrote[/green] {out_file}")


@app.command()
@friendly_errors
def coverage(
    build: Annotated[int | None, typer.Option(help="build id (default: the latest)")] = None,
    municipality: Municipality = None,
) -> None:
    """Per district: people listed, consenting to a plan, and with a plan."""
    municipality = municipality_code(municipality)
    with unit_of_work() as session:
        result = plan_service.coverage(
            session=session, municipality_code=municipality, build_id=build
        )
    table = Table(
        "地区",
        "掲載",
        "計画に同意",
        "計画あり",
        "作成率",
        title=f"個別避難計画 名簿第{result.build_id}版",
    )
    for row in [*result.districts, result.total]:
        rate = f"{row.with_plan / row.listed:.0%}" if row.listed else "-"
        table.add_row(row.district, str(row.listed), str(row.consenting), str(row.with_plan), rate)
    out.print(table)
