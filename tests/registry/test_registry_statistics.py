"""The application role may refresh statistics of the bulk-imported tables only.

That it does refresh them after an import: test_registry_generated.py."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from sonae.registry.bulk import analyze_after_bulk_change


def test_no_other_table_is_analyzed_with_the_owners_rights(session: Session) -> None:
    assert session.execute(text("SELECT current_user")).scalar() == "sonae_app"
    with pytest.raises(ProgrammingError, match="no statistics refresh for table audit_log"):
        analyze_after_bulk_change(session, ("audit_log",))
