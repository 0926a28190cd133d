"""`sonae support consent …`: record, import and show consent decisions (append-only)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sonae import japan_time
from sonae.audit import service as audit
from sonae.cli.common import console, friendly_errors, operator, unit_of_work
from sonae.cli.support_options import By, Municipality, municipality_code
from sonae.registry.dates import read_date
from sonae.support.models import ConsentScope, ConsentStatus
from sonae.support_extract import consent as consent_service

app = typer.Typer(help="Consent to share the list and to make plans.", no_args_is_help=True)
out = Console(highlight=False)

Scope = Annotated[ConsentScope, typer.Option("--scope", help="list_sharing or evacuation_plan")]


@app.command("set")
@friendly_errors
def set_consent(
    address_number: Annotated[str, typer.Argument(help="宛名番号")],
    scope: Scope,
    status: Annotated[ConsentStatus, typer.Option("--status")],
    decided_on: Annotated[
        str | None, typer.Option("--date", help="同意日: 2024-04-01 or 令和6年4月1日")
    ] = None,
    note: Annotated[str | None, typer.Option(help="free note")] = None,
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Record one decision; it replaces the one in force (the old one is kept)."""
    municipality = municipality_code(municipality)
    with unit_of_work() as session:
        person_id = consent_service.person_id_for(
            session=session, municipality_code=municipality, address_number=address_number
        )
        consent_service.record_consent(
            session=session,
            municipality_code=municipality,
            person_id=person_id,
            scope=scope,
            status=status,
            decided_on=read_date(decided_on) if decided_on else None,
            recorded_by=operator(by),
            principal=None,
            note=note,
        )
    console.print(f"[green]recorded[/green] {consent_service.SCOPE_LABELS[scope]}: {status}")


@app.command("import")
@friendly_errors
def import_consents(
    file: Annotated[Path, typer.Argument(help="CSV with 宛名番号, 同意, 同意日")],
    scope: Scope,
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Import decisions from a CSV (UTF-8 or cp932): every row, or none if one is wrong."""
    municipality = municipality_code(municipality)
    with unit_of_work() as session:
        summary = consent_service.import_consent_csv(
            session=session,
            municipality_code=municipality,
            name=file.name,
            content=file.read_bytes(),
            scope=scope,
            recorded_by=operator(by),
            principal=None,
        )
    console.print(f"[green]imported[/green] {summary.rows} decisions: {summary.by_status}")


@app.command("show")
@friendly_errors
def show(
    address_number: Annotated[str, typer.Argument(help="宛名番号")],
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Every decision recorded for one person, oldest first."""
    municipality = municipality_code(municipality)
    with unit_of_work() as session:
        person_id = consent_service.person_id_for(
            session=session, municipality_code=municipality, address_number=address_number
        )
        history = consent_service.consent_history(
            session=session, municipality_code=municipality, person_id=person_id
        )
        audit.record(
            session=session,
            principal=None,
            username=operator(by),
            municipality_code=municipality,
            action="read",
            resource=f"person/{person_id}/consent",
            person_ids=[person_id],
            fields=["consent"],
            purpose_code="support_list_maintenance",
        )
        table = Table("範囲", "同意", "同意日", "記録（日本時間）", "記録者", "備考")
        for c in history:
            table.add_row(
                consent_service.SCOPE_LABELS[c.scope],
                consent_service.STATUS_LABELS[c.status],
                str(c.decided_on or ""),
                japan_time.shown(c.recorded_at),
                c.recorded_by,
                c.note or "",
            )
    out.print(table)
