"""NUL cannot be stored by PostgreSQL: every route refuses it as 422 before any work is done."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from sonae.security.roles import Role


def test_a_json_body_with_an_escaped_nul_is_refused(
    client: TestClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    body = (
        '{"name": "x", "hazard": "flood", "started_at": "2026-11-23T00:00:00Z",'
        ' "chome": ["1\\u0000"]}'
    )
    response = client.post(
        "/api/events",
        content=body.encode(),
        headers={**auth_headers(Role.hq), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]


def test_a_query_with_nul_is_refused(
    client: TestClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    response = client.get("/api/events/1/safety/progress?district=%00", headers=auth_headers())
    assert response.status_code == 422


def test_the_same_request_without_nul_goes_through(
    client: TestClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    response = client.get("/api/events", headers=auth_headers())
    assert response.status_code == 200


def test_a_login_form_with_nul_is_refused_before_the_database(client: TestClient) -> None:
    # Found by schemathesis: the login's lock on the user name reached PostgreSQL with a NUL.
    response = client.post("/api/auth/token", data={"username": "z\x00", "password": "x"})
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]
