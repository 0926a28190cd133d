"""`sonae support export` and `sonae support disaster-mode`: what leaves the list, and when."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.cli.common import console, friendly_errors, operator, unit_of_work
from sonae.cli.support_options import By, Municipality, municipality_code, resolve_build
from sonae.errors import InvalidInputError
from sonae.municipality import service as municipality_service
from sonae.support_extract.disaster_mode import (
    DisasterModeState,
    disaster_mode_state,
    set_disaster_mode,
    switch_for_event,
)
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
    event: Annotated[
        int | None,
        typer.Option("--event", help="switch this event's disaster mode (its area) only"),
    ] = None,
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Switch disaster mode (full extracts without consent, 49条の11第3項) on or off.

    Without --event: the switch by hand, for the whole municipality. Disaster mode stays on
    while any open event still holds it; `status` lists them.
    """
    municipality = municipality_code(municipality)
    if state not in ("on", "off", "status"):
        raise InvalidInputError("state must be on, off or status")
    with unit_of_work() as session:
        if state != "status":
            if not reason:
                raise InvalidInputError("--reason is required to switch disaster mode")
            _switch(session, municipality, state == "on", operator(by), reason, event)
        current = disaster_mode_state(session=session, municipality_code=municipality)
    _print_state(current)


def _switch(
    session: Session,
    municipality: str,
    active: bool,
    switched_by: str,
    reason: str,
    event: int | None,
) -> None:
    if event is None:
        set_disaster_mode(
            session=session,
            municipality_code=municipality,
            active=active,
            switched_by=switched_by,
            reason=reason,
        )
    else:
        switch_for_event(
            session=session,
            municipality_code=municipality,
            event_id=event,
            active=active,
            switched_by=switched_by,
            reason=reason,
        )


def _print_state(state: DisasterModeState) -> None:
    last = state.last_switch
    if last is None:
        out.print("disaster mode: off (never switched)")
        return
    if not state.active:
        out.print(
            f"disaster mode: off since {japan_time.shown(last.switched_at)} JST "
            f"by {last.switched_by} ({last.reason})"
        )
        return
    out.print("disaster mode: ON, held by:")
    for holder in state.holders:
        who = "by hand" if holder.event_id is None else f"event {holder.event_id}"
        area = (
            "whole municipality"
            if holder.affected_chome is None
            else f"{len(holder.affected_chome)} chome"
        )
        out.print(
            f"  {who}: since {japan_time.shown(holder.since)} JST by {holder.switched_by} "
            f"({holder.reason}); {area}"
        )
