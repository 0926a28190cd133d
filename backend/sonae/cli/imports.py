"""`sonae import …`: reference layers from real files, one transaction per command.

Each command imports its service when it runs: they load geopandas and GeoAlchemy2, which
`sonae import --help` does not need (sonae.cli.lazy)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from sonae.cli.common import console, friendly_errors, unit_of_work
from sonae.config import get_settings
from sonae.hazard.models import HazardType
from sonae.shelter.models import ShelterKind

app = typer.Typer(no_args_is_help=True)

Municipality = Annotated[
    str, typer.Option("--municipality", "-m", help="6-digit municipality code")
]
Crs = Annotated[
    str | None, typer.Option(help="CRS of the file if it declares none, e.g. EPSG:6668")
]
Layer = Annotated[str | None, typer.Option(help="layer name in a multi-layer file (GeoPackage)")]
Columns = Annotated[
    list[str] | None, typer.Option("--column", "-c", help="field=column mapping, repeatable")
]
XColumn = Annotated[str | None, typer.Option(help="CSV: column of lon/easting")]
YColumn = Annotated[str | None, typer.Option(help="CSV: column of lat/northing")]
FileArg = Annotated[Path, typer.Argument(help="the file to import")]


def _done(text: str) -> None:
    console.print(f"[green]imported[/green] {text}", highlight=False)


@app.command()
@friendly_errors
def city(
    name: Annotated[
        str,
        typer.Argument(
            help="a bundle under data/cities (urayasu, nishinomiya, numazu) or a directory"
        ),
    ],
) -> None:
    """Load a whole city bundle (city.toml) in one transaction."""
    from sonae.importing.bundle import load_city, read_manifest, steps

    settings = get_settings()
    city_dir = Path(name) if Path(name).is_dir() else settings.data_dir / "cities" / name
    planned = steps(read_manifest(city_dir))
    with Progress(console=console, transient=True) as progress, unit_of_work() as session:
        task = progress.add_task(f"loading {city_dir.name}", total=len(planned))
        lines = load_city(
            session=session,
            city_dir=city_dir,
            capacity_rules=settings.data_dir / "reference" / "shelter_capacity_rules.csv",
            on_step=lambda step: progress.update(
                task, advance=1, description=f"{city_dir.name}: {step['kind']}"
            ),
        )
    for line in lines:
        _done(line)


@app.command()
@friendly_errors
def outline(
    file: FileArg,
    municipality: Municipality,
    name: Annotated[str, typer.Option(help="municipality name, e.g. 浦安市")],
    plane_srid: Annotated[int, typer.Option(help="JGD2011 plane rectangular zone, EPSG:6669–6687")],
    crs: Crs = None,
    layer: Layer = None,
) -> None:
    """Register a municipality with its outline (the union of the file's polygons)."""
    from sonae.gis.reader import ReadOptions
    from sonae.municipality import service as municipality_service

    with unit_of_work() as session:
        municipality_service.import_outline(
            session=session,
            code=municipality,
            name=name,
            plane_rectangular_srid=plane_srid,
            path=file,
            read=ReadOptions(layer=layer, crs=crs),
        )
    _done(f"outline of {name} ({municipality})")


@app.command()
@friendly_errors
def chome(
    file: FileArg,
    municipality: Municipality,
    crs: Crs = None,
    layer: Layer = None,
    column: Columns = None,
    x_column: XColumn = None,
    y_column: YColumn = None,
    census_table: Annotated[
        Path | None, typer.Option(help="CSV joined on KEY_CODE (population, households)")
    ] = None,
    census_year: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Chome (町丁目) polygons, or census points where no polygons exist."""
    from sonae.chome.service import import_chome
    from sonae.gis.columns import parse_column_options
    from sonae.gis.reader import ReadOptions

    with unit_of_work() as session:
        summary = import_chome(
            session=session,
            municipality_code=municipality,
            path=file,
            read=ReadOptions(layer=layer, crs=crs, x_column=x_column, y_column=y_column),
            columns=parse_column_options(column),
            census_table=census_table,
            census_year=census_year,
        )
    _done(summary.describe())


@app.command("address-points")
@friendly_errors
def address_points(
    file: FileArg,
    municipality: Municipality,
    crs: Crs = None,
    layer: Layer = None,
    column: Columns = None,
    x_column: XColumn = None,
    y_column: YColumn = None,
) -> None:
    """Town representative points (targets of address matching)."""
    from sonae.address.service import import_address_points
    from sonae.gis.columns import parse_column_options
    from sonae.gis.reader import ReadOptions

    with unit_of_work() as session:
        summary = import_address_points(
            session=session,
            municipality_code=municipality,
            path=file,
            read=ReadOptions(layer=layer, crs=crs, x_column=x_column, y_column=y_column),
            columns=parse_column_options(column),
        )
    _done(summary.describe())


@app.command()
@friendly_errors
def shelters(
    file: FileArg,
    municipality: Municipality,
    kind: Annotated[
        ShelterKind,
        typer.Option(help="designated_shelter (指定避難所) or emergency_site (指定緊急避難場所)"),
    ],
    crs: Crs = None,
    layer: Layer = None,
    column: Columns = None,
    x_column: XColumn = None,
    y_column: YColumn = None,
) -> None:
    """Shelters or emergency evacuation sites in the GSI format (8 hazard flags, 受入対象者)."""
    from sonae.gis.columns import parse_column_options
    from sonae.gis.reader import ReadOptions
    from sonae.shelter.service import import_shelters

    with unit_of_work() as session:
        summary = import_shelters(
            session=session,
            municipality_code=municipality,
            path=file,
            kind=kind,
            read=ReadOptions(layer=layer, crs=crs, x_column=x_column, y_column=y_column),
            columns=parse_column_options(column),
        )
    _done(summary.describe())


@app.command()
@friendly_errors
def hazard(
    file: FileArg,
    municipality: Municipality,
    hazard_type: Annotated[HazardType, typer.Option("--type", help="hazard type")],
    scenario: Annotated[str, typer.Option(help="scenario name; re-importing it replaces it")],
    rank_labels: Annotated[str | None, typer.Option(help='e.g. "1=0.5m未満,2=0.5〜3m"')] = None,
    source: Annotated[str | None, typer.Option(help="source credit")] = None,
    crs: Crs = None,
    layer: Layer = None,
    column: Columns = None,
) -> None:
    """Hazard zones with an ordinal rank (map the rank column with -c rank=浸水ランク)."""
    from sonae.gis.columns import parse_column_options
    from sonae.gis.reader import ReadOptions
    from sonae.hazard.service import import_hazard_zones, parse_rank_labels

    with unit_of_work() as session:
        summary = import_hazard_zones(
            session=session,
            municipality_code=municipality,
            path=file,
            hazard_type=hazard_type,
            scenario=scenario,
            rank_labels=parse_rank_labels(rank_labels),
            read=ReadOptions(layer=layer, crs=crs),
            columns=parse_column_options(column),
            source=source,
        )
    _done(summary.describe())


@app.command()
@friendly_errors
def roads(
    file: FileArg,
    municipality: Municipality,
    crs: Crs = None,
    column: Columns = None,
    nodes_layer: Annotated[str, typer.Option()] = "nodes",
    edges_layer: Annotated[str, typer.Option()] = "edges",
) -> None:
    """Road network (nodes and edges layers) for pgRouting; replaces the previous one."""
    from sonae.gis.columns import parse_column_options
    from sonae.road.service import import_road_network

    with unit_of_work() as session:
        summary = import_road_network(
            session=session,
            municipality_code=municipality,
            path=file,
            nodes_layer=nodes_layer,
            edges_layer=edges_layer,
            crs=crs,
            columns=parse_column_options(column),
        )
    _done(summary.describe())
