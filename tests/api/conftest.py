from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from sonae.api.deps import get_db
from sonae.main import create_app


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    """The real app over HTTP semantics, its unit of work joined to the test's transaction."""
    app = create_app()

    def test_db() -> Iterator[Session]:
        yield session
        session.commit()  # a savepoint release here: the test's transaction still rolls back

    app.dependency_overrides[get_db] = test_db
    with TestClient(app) as test_client:
        yield test_client
