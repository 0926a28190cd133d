"""The registry's three bulk tables, LIST-partitioned by municipality: a city's first import
loads its own partition without indexes and attaches it.

A first import of Nishinomiya wrote 488k rows into each of person, person_history and
my_number through their indexes and one foreign-key probe per row: 17 s of database CPU, where
COPY into bare tables and building the same indexes afterwards takes about 7 s (measured on the
real file, docs/registry_format.md). An index can be left out of a load only if the table is the
load's own, so each table becomes partitioned by municipality_code:

- the rows held before this migration stay where they are, as the DEFAULT partition (no copy);
- `sonae_registry_load_begin(code)` gives a municipality with no people yet its own empty,
  unindexed tables (person_m<code>, …); the import COPYs into them;
- `sonae_registry_load_finish(code)` analyzes them and attaches them as partitions, which builds
  their indexes in bulk and checks their foreign keys with one join each, not one probe per row.

Both run with the owner's rights (the application role may not create tables) inside the
import's transaction: an import that fails leaves no table behind. Every later import of that
city, and every other write, goes through the partitioned tables as before.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence
from typing import Any

from alembic import op
from sqlalchemy import text

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = "sonae_app"
TABLES = ("person", "person_history", "my_number")
FUNCTIONS = ("sonae_registry_load_begin(text)", "sonae_registry_load_finish(text)")

FOREIGN_KEYS = """
SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid)
FROM pg_constraint k
WHERE k.contype = 'f'
  AND (k.conrelid = ANY(CAST(:tables AS regclass[]))
       OR k.confrelid = ANY(CAST(:tables AS regclass[])))
  AND k.conparentid = 0
ORDER BY k.conrelid::regclass::text, k.conname
"""
KEYS = """
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = CAST(:table AS regclass) AND contype IN ('p', 'u') ORDER BY contype, conname
"""
INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
WHERE i.indrelid = CAST(:table AS regclass)
  AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid)
ORDER BY 1
"""

BEGIN = """
CREATE FUNCTION sonae_registry_load_begin(code text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    name text;
BEGIN
    IF code !~ '^[0-9]{6}$' THEN
        RAISE EXCEPTION 'not a municipality code' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_regclass('person_m' || code) IS NOT NULL
       OR EXISTS (SELECT FROM person WHERE municipality_code = code) THEN
        RETURN false;  -- the city has rows (or its partition): they are written in place
    END IF;
    FOREACH name IN ARRAY ARRAY['person', 'person_history', 'my_number'] LOOP
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', name || '_m' || code, name);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN id SET DEFAULT nextval(%L)',
                       name || '_m' || code, pg_get_serial_sequence(name, 'id'));
    END LOOP;
    RETURN true;
END
$$
"""

FINISH = """
CREATE FUNCTION sonae_registry_load_finish(code text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- Attaching builds the indexes: a city's sorts fit in memory (the default 64MB spills them).
SET maintenance_work_mem = '256MB' AS $$
DECLARE
    name text;
    part text;
BEGIN
    IF code !~ '^[0-9]{6}$' THEN
        RAISE EXCEPTION 'not a municipality code' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH name IN ARRAY ARRAY['person', 'person_history', 'my_number'] LOOP
        part := name || '_m' || code;
        IF to_regclass(part) IS NULL OR EXISTS (
            SELECT FROM pg_inherits WHERE inhrelid = to_regclass(part)) THEN
            RAISE EXCEPTION 'no registry load of % in progress', code
                USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        EXECUTE format('ALTER TABLE %I ALTER COLUMN id DROP DEFAULT', part);
        -- Attaching checks the foreign keys to person with a join: planned on statistics, else
        -- my_number's took 1.3 s instead of 0.8. person's own key (to municipality) is cheap.
        IF name <> 'person' THEN
            EXECUTE format('ANALYZE %I', part);
        END IF;
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES IN (%L)', name, part, code);
    END LOOP;
    -- person as a whole (join estimates use the parent's statistics, which autovacuum never
    -- refreshes for a partitioned table) and, on the way, its new partition.
    ANALYZE person;
END
$$
"""


def upgrade() -> None:
    connection = op.get_bind()
    foreign_keys = _drop_foreign_keys()
    for table in TABLES:
        keys = connection.execute(text(KEYS), {"table": table}).all()
        indexes = connection.execute(text(INDEXES), {"table": table}).all()
        last = connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
        for name, _ in keys:
            op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {name} TO {name}_default")
        for name, _ in indexes:
            op.execute(f"ALTER INDEX {name} RENAME TO {name}_default")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN id DROP IDENTITY")
        op.execute(f"ALTER TABLE {table} RENAME TO {table}_default")
        op.execute(
            f"CREATE TABLE {table} (LIKE {table}_default INCLUDING DEFAULTS) "
            "PARTITION BY LIST (municipality_code)"
        )
        _rebuild_keys(table, last, keys, indexes)
        op.execute(f"ALTER TABLE {table} ATTACH PARTITION {table}_default DEFAULT")
    _restore_foreign_keys(foreign_keys)
    for function in (BEGIN, FINISH):
        op.execute(function)
    for function in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {ROLE}")


def downgrade() -> None:
    connection = op.get_bind()
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}")
    foreign_keys = _drop_foreign_keys()
    for table in TABLES:
        keys = connection.execute(text(KEYS), {"table": table}).all()
        indexes = connection.execute(text(INDEXES), {"table": table}).all()
        op.execute(f"CREATE TABLE {table}_flat (LIKE {table} INCLUDING DEFAULTS)")
        op.execute(f"ALTER TABLE {table}_flat ALTER COLUMN id DROP DEFAULT")
        op.execute(f"INSERT INTO {table}_flat SELECT * FROM {table}")
        last = connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
        op.execute(f"DROP TABLE {table} CASCADE")  # and its partitions
        op.execute(f"ALTER TABLE {table}_flat RENAME TO {table}")
        _rebuild_keys(table, last, keys, indexes)
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {ROLE}")
    _restore_foreign_keys(foreign_keys)


def _rebuild_keys(table: str, last: int, keys: Sequence[Any], indexes: Sequence[Any]) -> None:
    """The identity (going on after `last`), keys and indexes a table had, on its new self."""
    op.execute(f"ALTER TABLE {table} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
    if last:
        op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {int(last)})")
    for name, definition in keys:
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for _, definition in indexes:
        # A partitioned table's index is defined ON ONLY it; a plain table's is not.
        op.execute(definition.replace(" ON ONLY ", " ON "))


def _drop_foreign_keys() -> list[tuple[str, str, str]]:
    """Every foreign key from or to the three tables (they are recreated as tables change)."""
    rows = op.get_bind().execute(text(FOREIGN_KEYS), {"tables": list(TABLES)}).all()
    for table, name, _ in rows:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    return [(str(t), str(n), str(d)) for t, n, d in rows]


def _restore_foreign_keys(foreign_keys: list[tuple[str, str, str]]) -> None:
    for table, name, definition in foreign_keys:
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")

