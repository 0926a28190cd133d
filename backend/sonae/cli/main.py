"""The `sonae` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sonae.cli.common import console, friendly_errors, unit_of_work
from sonae.cli.lazy import Lazy, LazyGroup
from sonae.config import get_settings


class Sonae(LazyGroup):
    """Each group's module is imported only when it is used (sonae.cli.lazy says why); so its
    help line is here, where `sonae --help` finds it without importing the module."""

    subcommands = (
        Lazy("db", "sonae.cli.db:app", "Database schema (Alembic migrations)."),
        Lazy(
            "import",
            "sonae.cli.imports:app",
            "Import reference data (any GIS format GDAL reads, any CRS).",
        ),
        Lazy("registry", "sonae.cli.registry:app", "Resident registry (住民記録) files."),
        Lazy("welfare", "sonae.cli.welfare:app", "Welfare records (福祉情報), linked by 宛名番号."),
        Lazy("support", "sonae.cli.support:app", "The support list (避難行動要支援者名簿)."),
        Lazy("plans", "sonae.cli.plans:app", "Individual evacuation plans (個別避難計画)."),
        Lazy(
            "users",
            "sonae.cli.users:app",
            "Staff accounts: roles, district, shelters, permissions.",
        ),
        Lazy(
            "events",
            "sonae.cli.events:app",
            "Disaster events: declare, move phases, safety-confirmation progress.",
        ),
        Lazy(
            "livelihood",
            "sonae.cli.livelihood:app",
            "被災者生活再建支援金: estimates and push notices.",
        ),
        Lazy("housing", "sonae.cli.housing:app", "応急仮設住宅: allocation runs."),
        Lazy(
            "dwellings",
            "sonae.cli.damage:dwellings",
            "The dwelling layer (住家) and household links.",
        ),
        Lazy("damage", "sonae.cli.damage:damage", "Damage criteria versions and re-judging."),
        Lazy("assign", "sonae.cli.assign:app", "Evacuation assignment (避難先の割当)."),
        Lazy("dashboard", "sonae.cli.dashboard:app", "The headquarters dashboard."),
    )


app = typer.Typer(
    cls=Sonae, help="Sonae (備え): disaster response for municipalities.", no_args_is_help=True
)

Municipality = Annotated[
    str, typer.Option("--municipality", "-m", help="6-digit municipality code")
]


@app.command()
@friendly_errors
def scenario(
    file: Annotated[
        Path,
        typer.Argument(
            help="district scenario (TOML), e.g. data/cities/urayasu/liquefaction_scenario.toml"
        ),
    ],
    municipality: Municipality,
) -> None:
    """Build a derived hazard scenario from the chome polygons, labelled as a scenario."""
    # Imported here, not at the top: every other command would pay for them (about 0.7 s).
    from sonae.hazard.scenario import build_district_scenario, read_district_scenario

    definition = read_district_scenario(file)
    with unit_of_work() as session:
        zones = build_district_scenario(
            session=session, municipality_code=municipality, definition=definition
        )
    console.print(f"scenario {definition.scenario}: {zones} zones")


@app.command("capacity-rules")
@friendly_errors
def capacity_rules(
    file: Annotated[
        Path, typer.Argument(help="CSV: name, priority, name_pattern, capacity, basis")
    ],
    municipality: Municipality,
) -> None:
    """Replace the shelter capacity estimate rules and re-estimate shelters lacking a capacity."""
    from sonae.shelter.service import read_capacity_rules, replace_capacity_rules

    rules = read_capacity_rules(file)
    with unit_of_work() as session:
        replace_capacity_rules(session=session, municipality_code=municipality, rules=rules)
    console.print(f"{len(rules)} rules; capacities re-estimated")


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """Run the API and the map on HOST:PORT."""
    import uvicorn

    settings = get_settings()
    console.print(
        f"Sonae: map at http://{host}:{port}/map/{settings.default_municipality} (log in first)"
        f"  OpenAPI at http://{host}:{port}/openapi.json"
    )
    uvicorn.run("sonae.main:served_app", factory=True, host=host, port=port, log_level="warning")
