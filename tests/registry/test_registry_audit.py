"""A registry import changes personal data, so it leaves an entry in the audit trail."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry_rows import Importer, resident, write_rows
from sonae.audit.models import AuditEntry
from sonae.registry.models import PersonHistory


def test_an_import_is_audited_with_its_id_and_the_people_it_touched_follow_from_it(
    session: Session, run_import: Importer, tmp_path: Path
) -> None:
    path = write_rows(tmp_path / "full.csv", [resident(1), resident(2), resident(3, household=1)])
    result = run_import(path, operator="cli:tester")

    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.resource == "registry.import.full")
    ).one()
    assert entry.username == "cli:tester"
    assert entry.action == "update"
    assert entry.detail["import_id"] == result.import_id
    assert entry.detail["inserted"] == 3
    touched = session.scalars(
        select(PersonHistory.person_id).where(PersonHistory.import_id == entry.detail["import_id"])
    ).all()
    assert len(set(touched)) == 3
