"""Test accounts: credentials of a real user, and logging in through the real token endpoint."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fastapi.testclient import TestClient

from sonae.security.roles import Principal, Role


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    principal: Principal


def roles_of(role: Role | Iterable[Role]) -> list[Role]:
    return [role] if isinstance(role, Role) else list(role)


def login(client: TestClient, credentials: Credentials) -> dict[str, str]:
    """Log in through the real token endpoint; the Authorization header to send."""
    response = client.post(
        "/api/auth/token",
        data={"username": credentials.username, "password": credentials.password},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
