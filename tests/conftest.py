"""Real PostGIS for every test: a temporary database built by the migrations.

The database is created once per run on the server SONAE_DATABASE_URL points at (make test
points it at the private cluster under var/), and dropped at the end. Urayasu's real files are
loaded into it once and committed, as the shared baseline; each test then runs inside a
transaction that is rolled back, so tests never see each other's writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from dbtools import create_temporary_database, drop_database
from sonae.config import PROJECT_ROOT
from sonae.database import migrate
from sonae.database.core import transaction
from sonae.importing.bundle import load_city

DATA = PROJECT_ROOT / "data"
CITIES = DATA / "cities"
CAPACITY_RULES = DATA / "reference" / "shelter_capacity_rules.csv"


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
        db = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield db
        finally:
            db.close()
            outer.rollback()


@pytest.fixture
def city_file() -> Path:
    return CITIES
