"""Every route refuses an anonymous caller, except an explicit allow-list.

Public, on purpose: /health (load balancers), the login page, POST /api/auth/token, POST /logout
(it only clears a cookie), /static/vendor (Leaflet and its plugins) and /static/dashboard (the
dashboard's script, no data). /openapi.json needs a login like
the API it describes; /docs and /redoc are not served (they would load Swagger UI from a CDN,
which closed municipal networks and the CSP forbid).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount

from sonae.main import create_app

PUBLIC = {
    ("GET", "/health"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("POST", "/api/auth/token"),
}
SAMPLE_PARAMS = {"municipality_code": "122271", "collection_id": "chome"}


def concrete(path: str) -> str:
    """A request path for a route template: known sample values, else 1."""
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: SAMPLE_PARAMS.get(m.group(1), "1"), path)


def every_route() -> list[tuple[str, str]]:
    routes = []
    for context in iter_route_contexts(create_app().routes):
        if isinstance(context.original_route, APIRoute):
            assert context.path is not None and context.methods
            routes += [(method, context.path) for method in sorted(context.methods)]
    return routes


ROUTES = every_route()


def test_the_allow_list_names_only_routes_that_exist() -> None:
    assert set(ROUTES) >= PUBLIC


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r not in PUBLIC])
def test_anonymous_request_is_refused(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, concrete(path), follow_redirects=False)
    if path.startswith("/api/") or path == "/openapi.json":
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"] == "Bearer"
    else:  # pages: the browser goes to the login page, and comes back after it
        assert response.status_code in (303, 401), response.text
        if response.status_code == 303:
            assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r not in PUBLIC])
def test_a_forged_or_malformed_token_is_refused(client: TestClient, method: str, path: str) -> None:
    for header in ("Bearer not-a-token", "Bearer " + "x" * 5000, "Basic ZGVtbzpkZW1v"):
        response = client.request(
            method, concrete(path), headers={"Authorization": header}, follow_redirects=False
        )
        assert response.status_code in (303, 401), (header[:20], response.text)


def test_pages_redirect_to_login_and_keep_where_the_user_was_going(client: TestClient) -> None:
    response = client.get("/map/122271?layer=chome", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fmap%2F122271%3Flayer%3Dchome"
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=%2F"


def test_public_routes_answer_anonymously(client: TestClient) -> None:
    assert client.get("/health").status_code == 200
    login = client.get("/login")
    assert login.status_code == 200 and "ログイン" in login.text
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200


def test_the_static_mounts_are_the_only_mounts() -> None:
    """Leaflet and its vendored plugins (maps/assets), and the dashboard's own script."""
    contexts = iter_route_contexts(create_app().routes)
    mounts = [c.path for c in contexts if isinstance(c.original_route, Mount)]
    assert mounts == [
        "/static/vendor/leaflet",
        "/static/vendor/polylinemeasure",
        "/static/vendor/leaflet-search",
        "/static/vendor/vectorgrid",
        "/static/dashboard",
    ]


def test_docs_are_not_served_and_the_schema_needs_a_login(
    client: TestClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    assert client.get("/docs").status_code in (303, 401, 404)
    assert client.get("/redoc").status_code in (303, 401, 404)
    assert client.get("/openapi.json").status_code == 401
    schema = client.get("/openapi.json", headers=auth_headers()).json()
    assert "/api/auth/token" in schema["paths"]
    assert schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]["type"] == "oauth2"
