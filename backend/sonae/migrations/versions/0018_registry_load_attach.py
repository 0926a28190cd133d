"""A city's first registry load, cheaper to attach: indexes without a constant leading column,
a partition constraint proven beforehand, and one table attached at a time.

Measured on the first import of Nishinomiya (488k people, docs/registry_format.md):
- A partition holds one municipality, so an index leading with municipality_code compares equal
  codes before every comparison that matters. The indexes that are not keys now leave it out
  (household, birth date, history by person); the keys that must hold it (unique per city) put
  it last. Building person's address-number key took 0.90 s, now 0.44; birth dates 0.82 → 0.18.
  Primary keys keep the code first (every municipal table does): ids arrive in order.
- `sonae_registry_load_begin` gives each new table a CHECK on its municipality code. Attaching
  then skips its scan of the whole table to prove the partition constraint; the CHECK is
  dropped once the table is attached.
- `sonae_registry_load_attach(code, table)` attaches one table: person is attached (indexed,
  analyzed) while the import still seals the personal numbers, then history and numbers. A
  larger work_mem keeps the foreign-key check's hash join in memory.

Revision ID: 0018
Revises: 0017
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = "sonae_app"
NOT_KEYS = (
    ("ix_person_household", "person", ("household_number",), ("municipality_code",)),
    ("ix_person_birth_date", "person", ("birth_date",), ("municipality_code",)),
    ("ix_person_history_person", "person_history", ("person_id", "effective_on"),
     ("municipality_code",)),
)
"""(index, table, columns now, columns that led them before)"""
KEYS = (
    ("person", "address_number"),
    ("my_number", "lookup_hash"),
)
"""Unique per municipality: (table, column), the code now last."""

BEGIN = """
CREATE OR REPLACE FUNCTION sonae_registry_load_begin(code text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    name text;
    part text;
BEGIN
    IF code !~ '^[0-9]{6}$' THEN
        RAISE EXCEPTION 'not a municipality code' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_regclass('person_m' || code) IS NOT NULL
       OR EXISTS (SELECT FROM person WHERE municipality_code = code) THEN
        RETURN false;  -- the city has rows (or its partition): they are written in place
    END IF;
    FOREACH name IN ARRAY ARRAY['person', 'person_history', 'my_number'] LOOP
        part := name || '_m' || code;
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', part, name);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN id SET DEFAULT nextval(%L)',
                       part, pg_get_serial_sequence(name, 'id'));
        -- Checked per row as it is written; it spares attaching a scan of the whole table.
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (municipality_code = %L)',
                       part, part || '_city', code);
    END LOOP;
    RETURN true;
END
$$
"""

ATTACH = """
CREATE FUNCTION sonae_registry_load_attach(code text, name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- Index sorts and the foreign-key check's hash join of a whole city fit in memory.
SET maintenance_work_mem = '256MB' SET work_mem = '256MB' AS $$
DECLARE
    part text := name || '_m' || code;
BEGIN
    IF code !~ '^[0-9]{6}$' THEN
        RAISE EXCEPTION 'not a municipality code' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF name NOT IN ('person', 'person_history', 'my_number') THEN
        RAISE EXCEPTION 'not a registry table' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_regclass(part) IS NULL
       OR EXISTS (SELECT FROM pg_inherits WHERE inhrelid = to_regclass(part)) THEN
        RAISE EXCEPTION 'no registry load of % in progress', code
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    EXECUTE format('ALTER TABLE %I ALTER COLUMN id DROP DEFAULT', part);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES IN (%L)', name, part, code);
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', part, part || '_city');
    IF name = 'person' THEN
        -- person as a whole (join estimates use the parent's statistics, which autovacuum
        -- never refreshes for a partitioned table) and, on the way, its new partition.
        ANALYZE person;
    ELSE
        EXECUTE format('ANALYZE %I', part);
    END IF;
END
$$
"""
ATTACH_SIGNATURE = "sonae_registry_load_attach(text, text)"


def upgrade() -> None:
    for index, table, columns, _ in NOT_KEYS:
        op.drop_index(index, table_name=table)
        op.create_index(index, table, list(columns))
    for table, column in KEYS:
        op.drop_constraint(f"uq_{table}_municipality_code_{column}", table, type_="unique")
        op.create_unique_constraint(
            f"uq_{table}_{column}_municipality_code", table, [column, "municipality_code"]
        )
    op.execute("DROP FUNCTION sonae_registry_load_finish(text)")
    op.execute(BEGIN)
    op.execute(ATTACH)
    op.execute(f"REVOKE ALL ON FUNCTION {ATTACH_SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {ATTACH_SIGNATURE} TO {ROLE}")


def downgrade() -> None:
    earlier = _revision_0014()
    op.execute(f"DROP FUNCTION {ATTACH_SIGNATURE}")
    op.execute(earlier.BEGIN.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    op.execute(earlier.FINISH)
    finish = "sonae_registry_load_finish(text)"
    op.execute(f"REVOKE ALL ON FUNCTION {finish} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {finish} TO {ROLE}")
    for table, column in KEYS:
        op.drop_constraint(f"uq_{table}_{column}_municipality_code", table, type_="unique")
        op.create_unique_constraint(
            f"uq_{table}_municipality_code_{column}", table, ["municipality_code", column]
        )
    for index, table, columns, leading in NOT_KEYS:
        op.drop_index(index, table_name=table)
        op.create_index(index, table, [*leading, *columns])


def _revision_0014() -> ModuleType:
    """Migration 0014's functions, restored as they were (not copied here a second time)."""
    path = next(Path(__file__).parent.glob("0014_*.py"))
    spec = importlib.util.spec_from_file_location("sonae_migration_0014", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
