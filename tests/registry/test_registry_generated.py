"""A whole synthetic Urayasu (sonae registry generate) through the importers."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from registry_rows import URAYASU, Counts, Importer
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
