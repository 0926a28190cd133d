"""Real PostGIS for every test: a temporary database built by the migrations.

The database is created once per run on the server SONAE_DATABASE_URL points at (make test
points it at the private cluster under var/), and dropped at the end. Urayasu's real files are
loaded into it once and committed, as the shared baseline; each test then runs inside a
transaction that is rolled back, so tests never see each other's writes.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from sonae.config import PROJECT_ROOT, Settings
from sonae.database import migrate
from sonae.database.core import transaction
from sonae.importing.bundle import load_city

DATA = PROJECT_ROOT / "data"
CITIES = DATA / "cities"
CAPACITY_RULES = DATA / "reference" / "shelter_capacity_rules.csv"


def server_url() -> str:
    return os.environ.get("SONAE_DATABASE_URL") or Settings().resolved_database_url()


def create_temporary_database(prefix: str) -> str:
    """A new empty database on the same server; returns its URL."""
    base = make_url(server_url())
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url = create_temporary_database("sonae_test")
    try:
        migrate.upgrade(url)
        yield url
    finally:
        drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    with transaction(engine) as session:
        load_city(session=session, city_dir=CITIES / "urayasu", capacity_rules=CAPACITY_RULES)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose commits are savepoints inside a transaction rolled back after the test."""
    with engine.connect() as connection:
        outer = connection.begin()
        db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield db
        finally:
            db.close()
            outer.rollback()


@pytest.fixture
def city_file() -> Path:
    return CITIES
