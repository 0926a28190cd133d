"""`sonae` starts without importing what the command does not use (sonae.cli.lazy says why)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from sonae.cli.lazy import LazyCommand
from sonae.cli.main import Sonae, app

HEAVY = ("scipy", "folium", "geopandas", "pandas", "faker", "fastapi")
"""Each costs a noticeable part of a second to import."""

GROUP_MODULES = {lazy.target.split(":")[0] for lazy in Sonae.subcommands}

RUN = """
import json, sys
from sonae.cli.main import app
try:
    app(sys.argv[2:], prog_name="sonae")
except SystemExit:
    pass
with open(sys.argv[1], "w") as out:
    json.dump(sorted(sys.modules), out)
"""


def modules_after(tmp_path: Path, *args: str) -> set[str]:
    """The modules a fresh interpreter holds after `sonae ARGS` (this one has them all)."""
    listing = tmp_path / "modules.json"
    env = {**os.environ, "COLUMNS": "120"}
    subprocess.run(
        [sys.executable, "-c", RUN, str(listing), *args],
        check=True,
        capture_output=True,
        env=env,
        timeout=60,
    )
    return set(json.loads(listing.read_text()))


def test_help_lists_every_group_without_importing_one(tmp_path: Path) -> None:
    modules = modules_after(tmp_path, "--help")
    assert not modules & GROUP_MODULES
    assert not {m for m in modules if m.split(".")[0] in HEAVY}


@pytest.mark.parametrize(
    ("args", "groups"),
    [
        (["registry", "import", "--help"], {"sonae.cli.registry"}),
        # welfare takes its --municipality option from the registry commands
        (["welfare", "import", "--help"], {"sonae.cli.welfare", "sonae.cli.registry"}),
        (["assign", "--help"], {"sonae.cli.assign"}),
        (["dashboard", "export", "--help"], {"sonae.cli.dashboard"}),
        (["support", "--help"], {"sonae.cli.support"}),
        (["plans", "--help"], {"sonae.cli.plans"}),
        (["users", "--help"], {"sonae.cli.users"}),
        (["events", "--help"], {"sonae.cli.events"}),
        (["damage", "--help"], {"sonae.cli.damage"}),
        (["import", "hazard", "--help"], {"sonae.cli.imports"}),
    ],
)
def test_a_group_imports_its_own_module_only(
    tmp_path: Path, args: list[str], groups: set[str]
) -> None:
    modules = modules_after(tmp_path, *args)
    assert modules & GROUP_MODULES == groups
    assert not {m for m in modules if m.split(".")[0] in HEAVY}


def test_every_group_loads_under_its_name_and_help() -> None:
    """A module renamed or moved shows here, not the first time someone runs its command."""
    root = typer.main.get_group(app)
    stand_ins = [c for c in root.commands.values() if isinstance(c, LazyCommand)]
    assert [c.name for c in stand_ins] == [lazy.name for lazy in Sonae.subcommands]
    for stand_in in stand_ins:
        real = stand_in.real
        assert real.name == stand_in.name
        assert real.help == stand_in.help
        assert real.commands
