"""A whole synthetic Urayasu (sonae registry generate) through the importers."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from registry_rows import URAYASU, Counts, Importer
from sonae.registry.bulk import analyze_after_bulk_change
from sonae.registry.generate.run import GenerateRequest, generate
from sonae.welfare.service import import_welfare

URAYASU_POPULATION_2015 = 164_024


def test_generated_urayasu_imports_whole_and_places_nearly_everyone(
    session: Session, tmp_path: Path, run_import: Importer, counts: Counts
) -> None:
    files = generate(
        GenerateRequest(
            "urayasu", seed=3, out=tmp_path / "registry.csv", welfare_out=tmp_path / "welfare.csv"
        )
    )
    analyzed_empty_with_dead_pages(session)
    session.execute(text("SET LOCAL statement_timeout = '5min'"))  # a failure, not a hang
    result = run_import(files.registry)
    assert (result.rows, result.accepted) == (URAYASU_POPULATION_2015, URAYASU_POPULATION_2015)
    assert counts()["person"] == URAYASU_POPULATION_2015
    assert result.match_rate >= 0.99, result.geocoded
    welfare = import_welfare(session=session, municipality_code=URAYASU, path=files.welfare)
    assert welfare.rejected == 0 and welfare.accepted == files.welfare_rows
    # The planner knows the new rows at once (a support-list build follows an import).
    assert URAYASU in planner_common_values(session, "person", "municipality_code")
    assert URAYASU in planner_common_values(session, "welfare_record", "municipality_code")


def planner_common_values(session: Session, table: str, column: str) -> list[str]:
    values = session.execute(
        text(
            "SELECT CAST(most_common_vals AS text) FROM pg_stats "
            "WHERE schemaname = 'public' AND tablename = :table AND attname = :column"
        ),
        {"table": table, "column": column},
    ).scalar()
    return str(values or "{}").strip("{}").split(",")


def analyzed_empty_with_dead_pages(session: Session) -> None:
    """person as autovacuum leaves it after rolled-back work: pages of dead rows, statistics
    saying 0 rows. The import's foreign-key probes must not plan a sequential scan from that:
    164k history rows, each scanning person, ran for hours."""
    with session.begin_nested() as rolled_back:
        session.execute(text(DEAD_PEOPLE), {"code": URAYASU})
        rolled_back.rollback()
    analyze_after_bulk_change(session, ("person",))


DEAD_PEOPLE = """
INSERT INTO person (municipality_code, address_number, household_number, resident_kind, status,
                    name, birth_date, sex, relation_to_head, address_text, geocode_status)
SELECT :code, 'dead' || n, 'dead' || n, 'japanese', 'resident', '仮', DATE '2000-01-01', 'male',
       '世帯主', '仮', 'unmatched'
FROM generate_series(1, 5000) AS n
"""
