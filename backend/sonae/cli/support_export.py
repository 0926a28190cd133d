"""`sonae support export` and `sonae support disaster-mode`: what leaves the list, and when."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sonae import japan_time
from sonae.cli.common import console, friendly_errors, operator, unit_of_work
from sonae.cli.support_options import By, Municipality, municipality_code, resolve_build
from sonae.errors import InvalidInputError
from sonae.municipality import service as municipality_service
from sonae.support_extract.disaster_mode import current_switch, set_disaster_mode
from sonae.support_extract.export import ExportFormat, write_export
from sonae.support_extract.extract import ExtractMode, extract_districts

out = Console(highlight=False)
BuildArg = Annotated[str, typer.Argument(help="build id, or 'latest'")]


def register(app: typer.Typer) -> None:
    app.command()(export)
    app.command("disaster-mode")(disaster_mode)


@friendly_errors
def export(
    build_ref: BuildArg,
    out_file: Annotated[Path, typer.Option("--out", help="file to write")],
    fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.csv,
    district: Annotated[
        list[str] | None, typer.Option("--district", help="e.g. 当代島; repeatable; none: all")
    ] = None,
    mode: Annotated[ExtractMode, typer.Option("--mode")] = ExtractMode.normal,
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Write a district extract: normal mode gives only people who consented (49条の11)."""
    municipality = municipality_code(municipality)
    with unit_of_work() as session:
        build_id = resolve_build(session, municipality, build_ref)
        extract = extract_districts(
            session=session,
            municipality_code=municipality,
            build_id=build_id,
            districts=district,
            mode=mode,
            principal=None,
            username=operator(by),
        )
        name = municipality_service.get(session=session, code=municipality).name
        replaced = write_export(extract, fmt, out_file, municipality_name=name)
    console.print(
        f"[green]wrote[/green] {out_file}: {len(extract.rows)} people "
        f"({extract.left_out_without_consent} left out without consent, "
        f"{extract.left_out_not_resident} no longer residents)"
    )
    if replaced:
        console.print(
            f"[yellow]{replaced} characters cp932 cannot hold were written as 〓[/yellow]"
        )


@friendly_errors
def disaster_mode(
    state: Annotated[str, typer.Argument(help="on, off or status")],
    reason: Annotated[str, typer.Option(help="why (e.g. the event)")] = "",
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Switch disaster mode (full extracts without consent, 49条の11第3項) on or off."""
    municipality = municipality_code(municipality)
    if state not in ("on", "off", "status"):
        raise InvalidInputError("state must be on, off or status")
    with unit_of_work() as session:
        if state != "status":
            if not reason:
                raise InvalidInputError("--reason is required to switch disaster mode")
            set_disaster_mode(
                session=session,
                municipality_code=municipality,
                active=state == "on",
                switched_by=operator(by),
                reason=reason,
            )
        switch = current_switch(session=session, municipality_code=municipality)
    if switch is None:
        out.print("disaster mode: off (never switched)")
    else:
        out.print(
            f"disaster mode: {'ON' if switch.active else 'off'} since "
            f"{japan_time.shown(switch.switched_at)} JST by {switch.switched_by} ({switch.reason})"
        )
