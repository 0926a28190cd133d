"""api.deps.get_db itself (other API tests replace it with the test's transaction): the
request's writes are committed before the answer is sent, and a failing request writes
nothing. On real connections that commit; the rows are removed afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from sonae.api.deps import DbSession
from sonae.database.core import session_factory
from sonae.idempotency.models import IdempotencyRecord

USER_ID = 987_654_322
CODE = "122271"
_records = IdempotencyRecord.__table__


def stored(engine: Engine, key: str) -> bool:
    with engine.connect() as connection:
        found = connection.execute(select(_records.c.id).where(_records.c.key == key)).first()
        return found is not None


@pytest.fixture
def app(engine: Engine) -> Iterator[FastAPI]:
    app = FastAPI()
    app.state.session_factory = session_factory(engine)

    @app.post("/write/{key}")
    def write(key: str, session: DbSession, fail: bool = False) -> dict[str, bool]:
        session.execute(insert(_records).values(municipality_code=CODE, user_id=USER_ID,
                                                key=key, request_hash="0" * 64))  # fmt: skip
        if fail:
            raise RuntimeError("refused after writing")
        return {"committed_before_answer": stored(engine, key)}

    try:
        yield app
    finally:
        with engine.begin() as connection:
            connection.execute(delete(_records).where(_records.c.user_id == USER_ID))


def test_the_write_is_committed_when_the_answer_leaves(app: FastAPI, engine: Engine) -> None:
    with TestClient(app) as client:
        answer = client.post("/write/uow-commit-0001")
    assert answer.status_code == 200
    assert answer.json() == {"committed_before_answer": False}  # not yet, inside the handler
    assert stored(engine, "uow-commit-0001")  # but by the time the answer arrived


def test_a_failing_request_writes_nothing(app: FastAPI, engine: Engine) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.post("/write/uow-rollback-01", params={"fail": True})
    assert answer.status_code == 500
    assert not stored(engine, "uow-rollback-01")


def test_more_requests_than_connections_all_finish(app: FastAPI, engine: Engine) -> None:
    """The admission gate (SONAE_DB_POOL_SIZE per process) queues the rest; none is lost."""
    with TestClient(app) as client, ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda i: client.post(f"/write/uow-many-{i:04d}"), range(20)))
    assert all(a.status_code == 200 for a in answers)
    assert all(stored(engine, f"uow-many-{i:04d}") for i in range(20))
