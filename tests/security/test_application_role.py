"""The app's own database role cannot change the audit trail, trigger or not."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ProgrammingError

from sonae.database.core import APPLICATION_ROLE


def test_the_app_connects_as_the_application_role(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("SELECT current_user")).scalar() == APPLICATION_ROLE


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET resource = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"],
)
def test_the_application_role_has_no_privilege_to_alter_the_trail(
    engine: Engine, statement: str
) -> None:
    with engine.connect() as connection:
        privileges = connection.execute(
            text(
                "SELECT has_table_privilege(current_user, 'audit_log', 'UPDATE'),"
                " has_table_privilege(current_user, 'audit_log', 'DELETE'),"
                " has_table_privilege(current_user, 'audit_log', 'INSERT')"
            )
        ).one()
        assert tuple(privileges) == (False, False, True)
        with pytest.raises(ProgrammingError, match="permission denied"):
            connection.execute(text(statement))
        connection.rollback()
