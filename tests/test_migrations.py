from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from dbtools import create_temporary_database, drop_database
from sonae.database import migrate
from sonae.database.models import Base


def test_upgrade_downgrade_upgrade_leaves_the_schema_the_models_describe() -> None:
    url = create_temporary_database("sonae_migrate")
    engine = create_engine(url)
    try:
        migrate.upgrade(url)
        first = set(inspect(engine).get_table_names())
        migrate.downgrade(url, "base")
        with engine.connect() as connection:
            left = set(inspect(connection).get_table_names()) & set(Base.metadata.tables)
            enums = (
                connection.execute(text("SELECT typname FROM pg_type WHERE typtype = 'e'"))
                .scalars()
                .all()
            )
        assert left == set()
        assert enums == []
        migrate.upgrade(url)
        assert set(inspect(engine).get_table_names()) == first
        assert set(Base.metadata.tables) <= first
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            differences = [
                d
                for d in compare_metadata(context, Base.metadata)
                if d[0] != "remove_table"  # PostGIS's own tables
            ]
        assert differences == []
    finally:
        engine.dispose()
        drop_database(url)


def test_every_municipal_table_leads_its_primary_key_with_the_municipality_code() -> None:
    for table in Base.metadata.sorted_tables:
        if table.name == "municipality":
            continue
        assert "municipality_code" in table.columns, table.name
        assert table.primary_key.columns.values()[0].name == "municipality_code", table.name
