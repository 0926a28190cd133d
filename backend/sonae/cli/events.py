"""`sonae events`: declare an event, move its phases, and follow safety confirmation."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from sonae import japan_time
from sonae.audit import service as audit
from sonae.cli.common import console, friendly_errors, operator, unit_of_work
from sonae.cli.support_options import By, Municipality, municipality_code
from sonae.errors import InvalidInputError
from sonae.event import service
from sonae.event.models import EVENT_HAZARD_LABELS, PHASE_LABELS, EventHazard, EventPhase
from sonae.safety.models import SAFETY_STATUS_LABELS, WHEREABOUTS_LABELS, SafetyStatus
from sonae.safety.progress import district_progress, event_figures

app = typer.Typer()
out = Console(highlight=False)
"""Times are shown in Japan time, whatever the server's zone."""


@app.command()
@friendly_errors
def declare(
    name: Annotated[str, typer.Option(help="e.g. 令和8年11月 千葉県北西部地震")],
    hazard: Annotated[EventHazard, typer.Option()],
    started_at: Annotated[
        datetime, typer.Option(help="ISO time with offset, e.g. 2026-11-23T14:46+09:00")
    ],
    chome: Annotated[
        list[str] | None, typer.Option("--chome", help="affected chome KEY_CODE; repeatable")
    ] = None,
    area: Annotated[
        Path | None, typer.Option(help="GeoJSON file whose polygon is the affected area")
    ] = None,
    all_chome: Annotated[bool, typer.Option("--all", help="the whole municipality")] = False,
    scenario: Annotated[str | None, typer.Option(help="hazard scenario to read it against")] = None,
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Declare an event: disaster mode goes on for its area and safety tasks are made."""
    code = municipality_code(municipality)
    if started_at.tzinfo is None:
        raise InvalidInputError("--started-at needs a UTC offset, e.g. +09:00")
    with unit_of_work() as session:
        keys = tuple(chome or ())
        if all_chome:
            keys = tuple(service.all_chome_keys(session=session, municipality_code=code))
        event = service.declare_event(
            session=session,
            municipality_code=code,
            declaration=service.Declaration(
                name=name,
                hazard=hazard,
                started_at=started_at,
                area=None if area is None else _read_area(area),
                chome_keys=keys,
                scenario=scenario,
            ),
            declared_by=operator(by),
        )
        # As the API's declaration is: who switched disaster mode on, in the audit trail.
        audit.record(
            session=session,
            principal=None,
            username=operator(by),
            municipality_code=code,
            action="create",
            resource=f"event/{event.id}",
        )
        summary = (event.id, len(event.affected_chome))
    console.print(
        f"[green]event {summary[0]}[/green] declared ({EVENT_HAZARD_LABELS[hazard]}): "
        f"{summary[1]} chome affected, disaster mode on for them"
    )


@app.command()
@friendly_errors
def phase(
    event_id: Annotated[int, typer.Argument()],
    to_phase: Annotated[EventPhase, typer.Argument()],
    reason: Annotated[str, typer.Option(help="why (kept in the history)")],
    by: By = None,
) -> None:
    """Move the event to its next phase, or close it."""
    with unit_of_work() as session:
        moved = service.move_phase(
            session=session,
            event_id=event_id,
            to_phase=to_phase,
            reason=reason,
            moved_by=operator(by),
        )
        audit.record(
            session=session,
            principal=None,
            username=operator(by),
            municipality_code=moved.municipality_code,
            action="update",
            resource=f"event/{event_id}/phase",
            detail={"to_phase": to_phase.value},
        )
        text = f"{PHASE_LABELS[moved.from_phase]} → {PHASE_LABELS[moved.to_phase]}"
    console.print(f"event {event_id}: {text}")


@app.command("list")
@friendly_errors
def list_events(municipality: Municipality = None) -> None:
    """Events of the municipality, newest first."""
    code = municipality_code(municipality)
    table = Table("id", "名称", "種別", "発生（日本時間）", "フェーズ")
    with unit_of_work() as session:
        for e in service.list_events(session=session, municipality_code=code):
            table.add_row(
                str(e.id),
                e.name,
                EVENT_HAZARD_LABELS[e.hazard],
                japan_time.shown(e.started_at),
                PHASE_LABELS[e.phase],
            )
    out.print(table)


@app.command()
@friendly_errors
def progress(
    event_id: Annotated[int, typer.Argument()],
    district: Annotated[str | None, typer.Option(help="one district only")] = None,
) -> None:
    """Safety-confirmation progress per district (counts and %), and where people are."""
    shown = (SafetyStatus.safe, SafetyStatus.evacuated, SafetyStatus.injured, SafetyStatus.missing)
    table = Table("地区", "対象", "確認済", "%", "要支援者", "確認済", "%")
    for status in shown:
        table.add_column(SAFETY_STATUS_LABELS[status], justify="right")
    with unit_of_work() as session:
        event = service.get_event(session=session, event_id=event_id)
        rows = district_progress(session=session, event=event, district=district)
        figures = event_figures(session=session, event=event)
    for r in rows:
        table.add_row(
            r.district,
            str(r.tasks),
            str(r.confirmed),
            f"{r.percent:.1f}",
            str(r.listed),
            str(r.listed_confirmed),
            f"{r.listed_percent:.1f}",
            *(str(r.by_status[s]) for s in shown),
        )
    out.print(table)
    places = ", ".join(
        f"{WHEREABOUTS_LABELS[w]} {n}" for w, n in sorted(figures.by_whereabouts.items())
    )
    out.print(f"所在: {places or '報告なし'}; 住民登録外 {figures.unregistered}")


def _read_area(path: Path) -> BaseGeometry:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInputError(f"{path.name}: not a readable GeoJSON file ({exc})") from exc
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise InvalidInputError(f"{path.name}: give exactly one polygon feature")
        data = features[0]
    if data.get("type") == "Feature":
        data = data.get("geometry") or {}
    try:
        return shape(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInputError(f"{path.name}: not a GeoJSON geometry") from exc
