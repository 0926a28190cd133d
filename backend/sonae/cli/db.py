from __future__ import annotations

import typer

from sonae.cli.common import console, friendly_errors
from sonae.config import get_settings
from sonae.database import migrate

app = typer.Typer(no_args_is_help=True)


@app.command()
@friendly_errors
def upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    migrate.upgrade(get_settings().resolved_database_url(), revision)
    console.print(f"schema at {revision}")


@app.command()
@friendly_errors
def downgrade(revision: str = typer.Argument(..., help="target revision, e.g. base")) -> None:
    """Revert migrations down to REVISION."""
    migrate.downgrade(get_settings().resolved_database_url(), revision)
    console.print(f"schema at {revision}")
