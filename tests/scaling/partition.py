"""Turn a migrated database's municipal tables into tables LIST-partitioned by municipality_code.

This is the one-node stand-in for Citus distribution by municipality_code: every table whose
primary key leads with municipality_code is recreated as a partitioned table (same columns,
defaults, identity, CHECKs and indexes: LIKE … INCLUDING ALL) with one partition per
municipality and a DEFAULT partition. Run it on an empty schema (data is not copied).
Foreign keys are dropped with the flat tables: PostgreSQL and Citus both support them between
co-located tables, but they are not what this proves (the queries are).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

MUNICIPAL_TABLES = """
SELECT c.relname
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1]
WHERE k.contype = 'p' AND a.attname = 'municipality_code' AND c.relkind = 'r'
  AND NOT c.relispartition  -- partitions of the tables already partitioned (migration 0014)
ORDER BY c.relname
"""


GLOBAL_UNIQUE = """
SELECT DISTINCT c.relname
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
WHERE i.indisunique
  AND NOT EXISTS (SELECT FROM pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attname = 'municipality_code'
                    AND a.attnum = ANY(i.indkey))
"""


def partition_by_municipality(
    connection: Connection, codes: list[str]
) -> tuple[list[str], list[str]]:
    """Returns the tables partitioned, and those left alone because a unique index of theirs
    does not include municipality_code (unique across municipalities: not distributable as
    they are; see docs/scaling.md)."""
    municipal = [str(t) for t in connection.execute(text(MUNICIPAL_TABLES)).scalars()]
    global_unique = {str(t) for t in connection.execute(text(GLOBAL_UNIQUE)).scalars()}
    tables = [t for t in municipal if t not in global_unique]
    for table in tables:
        connection.execute(text(f'ALTER TABLE "{table}" RENAME TO "{table}__flat"'))
        connection.execute(
            text(
                f'CREATE TABLE "{table}" (LIKE "{table}__flat" INCLUDING ALL) '
                "PARTITION BY LIST (municipality_code)"
            )
        )
        for code in codes:
            connection.execute(
                text(
                    f'CREATE TABLE "{table}_m{code}" PARTITION OF "{table}" '
                    f"FOR VALUES IN ('{code}')"
                )
            )
        connection.execute(text(f'CREATE TABLE "{table}_other" PARTITION OF "{table}" DEFAULT'))
    for table in tables:
        connection.execute(text(f'DROP TABLE "{table}__flat" CASCADE'))
    return tables, sorted(set(municipal) & global_unique)
