"""Run the Alembic migrations from code (CLI, tests, demo)."""

from __future__ import annotations

import re

from alembic import command
from alembic.config import Config

from sonae.config import PROJECT_ROOT

PARTITION_NAME = re.compile(r"(person|person_history|my_number)_(default|m[0-9]{6})")
"""The registry's partitions (migration 0014, registry.partitions)."""


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", "sonae:migrations")
    # A literal '%' in a URL (encoded passwords) must be escaped for configparser.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """What autogenerate compares with the models: not PostGIS's own tables (spatial_ref_sys…),
    nor the partitions of the registry tables (person_default, person_m282049…: migration
    0014), whose indexes are copies of their parent's."""
    if type_ == "table":
        return not (reflected and compare_to is None)
    if not reflected or compare_to is not None:
        return True
    # A key to a partitioned table is stored once more per partition it refers to.
    tables = (getattr(obj, "table", None), getattr(obj, "referred_table", None))
    return not any(t is not None and _is_partition(t) for t in tables)


def _is_partition(table: object) -> bool:
    return PARTITION_NAME.fullmatch(str(getattr(table, "name", ""))) is not None


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
