"""Sub-command groups whose modules are imported only when one of their commands runs.

Importing every command module up front made each `sonae …` pay for all of them (scipy for
`assign`, folium and geopandas for `dashboard`, …): 2.5 to 3.5 s before any command ran. Here a
stand-in carries just the group's name and help line, enough for `sonae --help` and shell
completion, and hands over to the real group when click makes a context for it, which is how a
group runs, shows the help of, or completes a sub-command.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

import typer
from typer.core import TyperGroup
from typer.main import get_group


@dataclass(frozen=True)
class Lazy:
    """A sub-command group: its name, where its Typer app is ("module:attribute"), its help."""

    name: str
    target: str
    help: str


class LazyCommand(TyperGroup):
    """Stands in for a sub-command group until that group is used."""

    def __init__(self, lazy: Lazy) -> None:
        super().__init__(name=lazy.name, help=lazy.help)
        self.target = lazy.target

    @cached_property
    def real(self) -> TyperGroup:
        module, attribute = self.target.split(":")
        sub_app = getattr(importlib.import_module(module), attribute)
        if not isinstance(sub_app, typer.Typer):
            raise TypeError(f"{self.target} is not a typer.Typer")
        group = get_group(sub_app)
        # What add_typer(name=…, help=…) would give it; the help lives in one place, the table.
        group.name = self.name
        group.help = self.help
        return group

    # Whatever the click version behind typer takes and gives: this only forwards it.
    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        return self.real.make_context(*args, **kwargs)


class LazyGroup(TyperGroup):
    """A group whose `subcommands` (set by a subclass) follow its own commands, lazily."""

    subcommands: ClassVar[tuple[Lazy, ...]] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for lazy in self.subcommands:
            self.add_command(LazyCommand(lazy))
