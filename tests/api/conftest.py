from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from sonae.security.roles import Role


@pytest.fixture
def client(client: TestClient, auth_headers: Callable[..., dict[str, str]]) -> TestClient:
    """The reference-layer API tests act as a logged-in headquarters user (role hq)."""
    client.headers.update(auth_headers(Role.hq))
    return client
