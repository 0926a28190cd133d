from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection

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
            context = MigrationContext.configure(
                connection, opts={"include_object": migrate.include_object}
            )
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


HELD_ROWS = (
    "INSERT INTO municipality (code, name, plane_rectangular_srid) "
    "VALUES ('999991', '試験市', 6677)",
    "INSERT INTO person (municipality_code, address_number, household_number, resident_kind, "
    "status, name, birth_date, sex, relation_to_head, address_text, geocode_status) VALUES "
    "('999991', '1', '1', 'japanese', 'resident', '試験', '1970-01-01', 'male', '世帯主', "
    "'試験市1', 'unmatched')",
    "INSERT INTO person_history (municipality_code, person_id, change, effective_on, status, "
    "household_number, relation_to_head, address_text) SELECT municipality_code, id, 'initial', "
    "'2026-11-01', status, household_number, relation_to_head, address_text FROM person",
    "INSERT INTO my_number (municipality_code, person_id, nonce, ciphertext, lookup_hash, "
    "key_version) SELECT municipality_code, id, '\\x00', '\\x00', '\\x00', 1 FROM person",
)
NEW_PERSON = (
    "INSERT INTO person (municipality_code, address_number, household_number, resident_kind, "
    "status, name, birth_date, sex, relation_to_head, address_text, geocode_status) VALUES "
    "('999991', '2', '2', 'japanese', 'resident', '試験', '1970-01-01', 'male', '世帯主', "
    "'試験市2', 'unmatched') RETURNING id"
)
REGISTRY_TABLES = ("person", "person_history", "my_number")


def test_partitioning_the_registry_keeps_the_rows_held_and_their_ids() -> None:
    url = create_temporary_database("sonae_migrate_rows")
    engine = create_engine(url)
    try:
        migrate.upgrade(url, "0013")
        with engine.begin() as connection:
            for statement in HELD_ROWS:
                connection.execute(text(statement))
        migrate.upgrade(url)
        with engine.begin() as connection:
            assert kinds(connection) == {"p"}
            for table in REGISTRY_TABLES:
                held = connection.execute(text(f"SELECT count(*) FROM {table}_default"))
                assert held.scalar_one() == 1, table
            # The identity goes on from the rows held, and the new row lands in the default.
            assert connection.execute(text(NEW_PERSON)).scalar_one() == 2
        migrate.downgrade(url, "0013")
        with engine.begin() as connection:
            assert kinds(connection) == {"r"}
            assert connection.execute(text("SELECT count(*) FROM person")).scalar_one() == 2
            assert connection.execute(text(NEW_PERSON.replace("'2'", "'3'"))).scalar_one() == 3
            cascade = "DELETE FROM municipality WHERE code = '999991'"
            connection.execute(text(cascade))  # the foreign keys are back, cascading
            for table in REGISTRY_TABLES:
                left = connection.execute(text(f"SELECT count(*) FROM {table}"))
                assert left.scalar_one() == 0, table
    finally:
        engine.dispose()
        drop_database(url)


def kinds(connection: Connection) -> set[str]:
    query = "SELECT DISTINCT relkind::text FROM pg_class WHERE relname = ANY(:names)"
    return set(connection.execute(text(query), {"names": list(REGISTRY_TABLES)}).scalars())
