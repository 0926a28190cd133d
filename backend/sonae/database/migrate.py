"""Run the Alembic migrations from code (CLI, tests, demo)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from sonae.config import PROJECT_ROOT


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", "sonae:migrations")
    # A literal '%' in a URL (encoded passwords) must be escaped for configparser.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
