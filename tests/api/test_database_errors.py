"""A database error that got past the schemas and services: a safe answer, and a log line with
the kind of error but never the statement's parameters (names, free text about people)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from structlog.testing import capture_logs

from sonae.api.deps import DbSession
from sonae.api.errors import install_error_handlers
from sonae.database.core import session_factory

NOTE = "伊藤美加子様 見舞金"
OVERFLOW = text("SELECT CAST(:amount AS integer), CAST(:description AS text)")


def test_the_engine_keeps_parameters_out_of_error_messages(session: Session) -> None:
    with pytest.raises(DBAPIError) as raised, session.begin_nested():
        session.execute(OVERFLOW, {"amount": 3_000_000_000, "description": NOTE})
    assert NOTE not in str(raised.value)
    assert "parameters hidden" in str(raised.value)


def test_a_database_error_is_answered_without_the_data_and_logged_without_it(
    engine: Engine,
) -> None:
    app = FastAPI()
    install_error_handlers(app)
    app.state.session_factory = session_factory(engine)

    @app.post("/overflow")
    def overflow(session: DbSession) -> None:
        session.execute(OVERFLOW, {"amount": 3_000_000_000, "description": NOTE})

    with capture_logs() as logs, TestClient(app, raise_server_exceptions=False) as client:
        answer = client.post("/overflow")
    assert answer.status_code == 422
    assert answer.json() == {
        "detail": "a value does not fit the database (out of range or too long)"
    }
    [line] = [entry for entry in logs if entry["event"] == "database error"]
    assert (line["sqlstate"], line["dbapi_error"]) == ("22003", "NumericValueOutOfRange")
    logged = repr(logs)
    assert NOTE not in logged and "3000000000" not in logged and "exc_info" not in logged


@pytest.mark.parametrize(
    ("statement", "status"),
    [
        ("INSERT INTO dup VALUES (1), (1)", 409),  # two requests storing the same thing
        ("INSERT INTO dup VALUES (-1)", 500),  # a broken check: the server's fault
    ],
)
def test_a_duplicate_is_a_conflict_and_a_broken_check_the_servers_fault(
    engine: Engine, statement: str, status: int
) -> None:
    app = FastAPI()
    install_error_handlers(app)
    app.state.session_factory = session_factory(engine)

    @app.post("/write")
    def write(session: DbSession) -> None:
        session.execute(text("CREATE TEMP TABLE dup (k int PRIMARY KEY CHECK (k > 0))"))
        session.execute(text(statement))

    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/write").status_code == status
