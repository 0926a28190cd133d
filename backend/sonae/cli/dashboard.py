"""`sonae dashboard export`: the dashboard map for briefings, as HTML or PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sonae.cli.common import console, friendly_errors, unit_of_work
from sonae.config import get_settings

app = typer.Typer(no_args_is_help=True)


@app.command()
@friendly_errors
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="file to write (.html or .png)")],
    format: Annotated[str, typer.Option("--format", help="html or png")] = "html",
    municipality: Annotated[
        str | None, typer.Option("--municipality", "-m", help="municipality code")
    ] = None,
    event: Annotated[
        int | None,
        typer.Option(
            "--event",
            min=1,
            max=2**63 - 1,
            help="event id (default: the open event with the most affected chome)",
        ),
    ] = None,
) -> None:
    """Write the dashboard map (counts only, small counts suppressed) as a standalone file."""
    # Imported when run: folium and geopandas are a second --help need not wait for.
    from sonae.dashboard.export import export_html, html_to_png

    if format not in ("html", "png"):
        raise ValueError("--format must be html or png")
    code = municipality or get_settings().default_municipality
    with unit_of_work() as session:
        html = export_html(session=session, municipality_code=code, event_id=event)
    if format == "html":
        out.write_text(html, encoding="utf-8")
    else:
        html_to_png(html, out)
    console.print(f"dashboard of {code} → {out} ({out.stat().st_size:,} bytes)")
