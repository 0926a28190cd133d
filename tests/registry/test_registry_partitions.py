"""A city's first import fills partitions of its own (migration 0014); later ones write in place."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from registry_rows import URAYASU, Counts, Importer, address_number, resident, write_rows
from sonae.registry.models import GeocodeStatus, Person, ResidentKind, ResidentStatus, Sex

REGISTRY_TABLES = ("person", "person_history", "my_number")

PARTITIONS = """
SELECT parent.relname::text, child.relname::text, pg_get_expr(child.relpartbound, child.oid)
FROM pg_inherits i
JOIN pg_class parent ON parent.oid = i.inhparent
JOIN pg_class child ON child.oid = i.inhrelid
WHERE parent.relname = ANY(:tables)
ORDER BY 1, 2
"""


def partitions(session: Session) -> dict[str, dict[str, str]]:
    """{parent: {partition: bound}} of the registry's tables."""
    found: dict[str, dict[str, str]] = {}
    for parent, child, bound in session.execute(
        text(PARTITIONS), {"tables": list(REGISTRY_TABLES)}
    ):
        found.setdefault(parent, {})[child] = bound
    return found


def index_count(session: Session, table: str) -> int:
    return int(
        session.execute(
            text("SELECT count(*) FROM pg_index WHERE indrelid = CAST(:t AS regclass)"),
            {"t": table},
        ).scalar_one()
    )


def checks_on(session: Session, table: str) -> list[str]:
    return list(
        session.execute(
            text(
                "SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) "
                "AND contype = 'c'"
            ),
            {"t": table},
        ).scalars()
    )


def rows_in(session: Session, table: str) -> int:
    # The name comes from REGISTRY_TABLES and a fixed code, never from input.
    return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_a_first_import_fills_and_attaches_the_city_s_own_partitions(
    session: Session, tmp_path: Path, run_import: Importer, counts: Counts
) -> None:
    rows = [resident(1), resident(2, 1, 続柄="妻", 性別="女")]
    before = partitions(session)
    assert all(f"{t}_m{URAYASU}" not in before.get(t, {}) for t in REGISTRY_TABLES)

    run_import(write_rows(tmp_path / "first.csv", rows))

    after = partitions(session)
    for table in REGISTRY_TABLES:
        own = f"{table}_m{URAYASU}"
        assert after[table][own] == f"FOR VALUES IN ('{URAYASU}')"
        assert rows_in(session, own) == 2
        # Built on attaching: one index per index of the parent.
        assert index_count(session, own) == index_count(session, table)
        # The load's own CHECK on the code (which spared attaching a scan) is gone.
        assert checks_on(session, own) == []
    assert counts()["person"] == 2

    # The next import of the city (a third resident) writes the partitioned tables in place.
    run_import(write_rows(tmp_path / "second.csv", [*rows, resident(3)]))
    assert partitions(session) == after
    assert rows_in(session, f"person_m{URAYASU}") == 3
    assert counts()["history"] == 3


def test_a_failed_first_import_leaves_no_table_behind(
    session: Session, tmp_path: Path, run_import: Importer
) -> None:
    before = partitions(session)
    with session.begin_nested() as failed:
        run_import(write_rows(tmp_path / "registry.csv", [resident(1)]))
        assert f"person_m{URAYASU}" in partitions(session)["person"]
        failed.rollback()
    assert partitions(session) == before
    for table in REGISTRY_TABLES:
        found = session.execute(text("SELECT to_regclass(:t)"), {"t": f"{table}_m{URAYASU}"})
        assert found.scalar_one() is None


def test_a_city_already_holding_people_imports_in_place(
    session: Session, tmp_path: Path, run_import: Importer, counts: Counts
) -> None:
    session.add(held_person(address_number(9)))
    session.flush()
    result = run_import(write_rows(tmp_path / "registry.csv", [resident(1)]), allow_erase=True)
    assert result.inserted == 1
    assert f"person_m{URAYASU}" not in partitions(session).get("person", {})
    assert counts()["person"] == 2


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        ("SELECT sonae_registry_load_begin('12227; DROP TABLE person')", "municipality code"),
        ("SELECT sonae_registry_load_attach('122271', 'person')", "no registry load"),
        ("SELECT sonae_registry_load_attach('122271', 'app_user')", "not a registry table"),
    ],
)
def test_the_load_functions_refuse_what_they_cannot_do(
    session: Session, call: str, reason: str
) -> None:
    with pytest.raises(DBAPIError, match=reason), session.begin_nested():
        session.execute(text(call))


def held_person(number: str) -> Person:
    return Person(
        municipality_code=URAYASU,
        address_number=number,
        household_number=number,
        resident_kind=ResidentKind.japanese,
        status=ResidentStatus.resident,
        name="試験　既存",
        birth_date=date(1970, 1, 1),
        sex=Sex.female,
        relation_to_head="世帯主",
        address_text="千葉県浦安市当代島一丁目1番1号",
        geocode_status=GeocodeStatus.unmatched,
    )
