"""The `sonae` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sonae.cli import (
    assign,
    damage,
    dashboard,
    db,
    events,
    housing,
    imports,
    livelihood,
    plans,
    registry,
    support,
    users,
    welfare,
)
from sonae.cli.common import console, friendly_errors, unit_of_work
from sonae.config import get_settings
from sonae.hazard.scenario import build_district_scenario, read_district_scenario
from sonae.shelter.service import read_capacity_rules, replace_capacity_rules

app = typer.Typer(help="Sonae (備え): disaster response for municipalities.", no_args_is_help=True)
app.add_typer(db.app, name="db")
app.add_typer(imports.app, name="import")
app.add_typer(registry.app, name="registry")
app.add_typer(welfare.app, name="welfare")
app.add_typer(support.app, name="support")
app.add_typer(plans.app, name="plans")
app.add_typer(users.app, name="users")
app.add_typer(events.app, name="events")
app.add_typer(livelihood.app, name="livelihood")
app.add_typer(housing.app, name="housing")
app.add_typer(damage.dwellings, name="dwellings")
app.add_typer(damage.damage, name="damage")
app.add_typer(assign.app, name="assign")
app.add_typer(dashboard.app, name="dashboard")

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
