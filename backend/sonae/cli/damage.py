"""`sonae dwellings …` and `sonae damage …`: the dwelling layer, criteria versions, re-judging."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from sonae import japan_time
from sonae.audit import service as audit
from sonae.cli.common import console, friendly_errors, operator, unit_of_work
from sonae.damage.judging import DEFAULT_CRITERIA_FILE, load_criteria, switch_criteria
from sonae.damage.models import DamageCriteriaSet

dwellings = typer.Typer(no_args_is_help=True)
damage = typer.Typer(no_args_is_help=True)
criteria = typer.Typer(
    help="Damage criteria (被害認定基準) as versioned data.", no_args_is_help=True
)
damage.add_typer(criteria, name="criteria")

Municipality = Annotated[
    str, typer.Option("--municipality", "-m", help="6-digit municipality code")
]
By = Annotated[str | None, typer.Option("--by", help="who does it (default cli:<OS user>)")]


@dwellings.command("build")
@friendly_errors
def build(municipality: Municipality) -> None:
    """Link every resident household to a dwelling of its address (creating address dwellings
    where no footprint carries that address). Safe to re-run after a registry import."""
    # The dwelling service reads GIS files (geopandas, 0.3 s): imported by the two commands that
    # use it, so that the damage commands and --help do not wait for it.
    from sonae.dwelling.service import link_households

    with unit_of_work() as session:
        summary = link_households(session=session, municipality_code=municipality)
    console.print(summary.describe(), highlight=False)


@dwellings.command("import")
@friendly_errors
def import_(
    file: Annotated[Path, typer.Argument(help="building footprints: any GIS format GDAL reads")],
    municipality: Municipality,
    crs: Annotated[str | None, typer.Option(help="CRS if the file declares none")] = None,
    layer: Annotated[str | None, typer.Option(help="layer of a multi-layer file")] = None,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", "-c", help="field=column: id, address, structure, storeys"),
    ] = None,
) -> None:
    """Import building footprints (upsert by building id), then relink households."""
    from sonae.dwelling.service import import_footprints
    from sonae.gis.columns import parse_column_options
    from sonae.gis.reader import ReadOptions

    with unit_of_work() as session:
        summary, links = import_footprints(
            session=session,
            municipality_code=municipality,
            path=file,
            read=ReadOptions(layer=layer, crs=crs),
            columns=parse_column_options(column),
        )
    console.print(f"[green]imported[/green] {summary.describe()}", highlight=False)
    console.print(links.describe(), highlight=False)


@criteria.command("load")
@friendly_errors
def load(
    municipality: Municipality,
    file: Annotated[Path, typer.Argument(help="criteria TOML")] = DEFAULT_CRITERIA_FILE,
    by: By = None,
) -> None:
    """Store a criteria file as a version (the same file again: no change)."""
    with unit_of_work() as session:
        stored = load_criteria(
            session=session, municipality_code=municipality, path=file, loaded_by=operator(by)
        )
        console.print(f"criteria {stored.version}: {stored.name} (sha256 {stored.sha256[:12]})")


@criteria.command("list")
@friendly_errors
def list_(municipality: Municipality) -> None:
    """The loaded versions."""
    with unit_of_work() as session:
        for row in session.scalars(
            select(DamageCriteriaSet)
            .where(DamageCriteriaSet.municipality_code == municipality)
            .order_by(DamageCriteriaSet.id)
        ):
            console.print(f"{row.version}\t{japan_time.shown(row.loaded_at)} JST\t{row.name}")


@damage.command("rejudge")
@friendly_errors
def rejudge(
    municipality: Municipality,
    event: Annotated[int, typer.Option(help="disaster event id")],
    version: Annotated[str, typer.Option(help="criteria version to judge by from now on")],
    reason: Annotated[str, typer.Option(help="why the criteria change (kept on record)")],
    by: By = None,
) -> None:
    """Switch an event to a criteria version and re-judge every surveyed dwelling under it;
    earlier judgements are kept."""
    with unit_of_work() as session:
        switch = switch_criteria(
            session=session,
            municipality_code=municipality,
            event_id=event,
            version=version,
            reason=reason,
            switched_by=operator(by),
        )
        # As the API's criteria switch is: every judgement of the event changed, on record.
        audit.record(
            session=session,
            principal=None,
            username=operator(by),
            municipality_code=municipality,
            action="update",
            resource=f"event/{event}/criteria",
            purpose_code="damage_survey",
            detail={"version": version, "rejudged": switch.rejudged},
        )
    console.print(f"event {event} now judges by {version}: {switch.rejudged} dwellings re-judged")
