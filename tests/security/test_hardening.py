"""Headers, CSP, CORS, body size, hostile input, path traversal, production settings."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from sonae.config import Settings, get_settings
from sonae.main import create_app
from sonae.security import middleware
from sonae.security.roles import Role

Headers = Callable[..., dict[str, str]]


@pytest.fixture
def hq(auth_headers: Headers) -> dict[str, str]:
    return auth_headers(Role.hq)


def test_every_answer_carries_the_security_headers(client: TestClient, hq: dict[str, str]) -> None:
    for response in (
        client.get("/health"),
        client.get("/login"),
        client.get("/api/municipalities", headers=hq),
        client.get("/api/municipalities"),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert re.search(r"script-src 'self'(;|$)", csp), csp  # no inline script anywhere
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
    static = client.get("/static/vendor/leaflet/leaflet.js")
    assert static.headers["x-content-type-options"] == "nosniff"
    assert "cache-control" not in static.headers


def test_the_map_page_allows_exactly_the_inline_scripts_folium_wrote(
    client: TestClient, hq: dict[str, str]
) -> None:
    page = client.get("/map/122271", headers=hq)
    assert page.status_code == 200
    scripts = re.findall(r"<script>(.*?)</script>", page.text, flags=re.DOTALL)
    assert scripts
    csp = page.headers["content-security-policy"]
    script_src = next(p for p in csp.split("; ") if p.startswith("script-src"))
    allowed = set(re.findall(r"'sha256-([^']+)'", script_src))
    expected = {
        base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() for body in scripts
    }
    assert allowed == expected
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert not re.search(r"\son[a-z]+=", page.text)  # inline handlers would be blocked


def test_a_request_id_from_the_client_is_kept_only_when_well_formed(client: TestClient) -> None:
    assert (
        client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    forged = client.get("/health", headers={"X-Request-ID": "a b<script>alert(1)</script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["x-request-id"])


@pytest.mark.parametrize(
    "given",
    ["123456789018", "trace-1234-5678-9018", "a" * 65, "trace.123", "trace:123", "trace/1"],
)
def test_a_request_id_that_could_hold_a_number_or_is_odd_is_replaced(
    client: TestClient, given: str
) -> None:
    answered = client.get("/health", headers={"X-Request-ID": given})
    assert answered.headers["x-request-id"] != given
    assert re.fullmatch(r"[0-9a-f]{32}", answered.headers["x-request-id"])


def test_a_fresh_request_id_never_holds_twelve_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter([uuid.UUID(hex="123456789018" + "a" * 20), uuid.UUID(int=0xABC)])
    monkeypatch.setattr(middleware.uuid, "uuid4", lambda: next(drawn))
    assert middleware.fresh_request_id() == uuid.UUID(int=0xABC).hex


def test_cors_is_closed_by_default(client: TestClient, hq: dict[str, str]) -> None:
    evil = {"Origin": "https://evil.example"}
    response = client.get("/api/municipalities", headers=hq | evil)
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/api/municipalities", headers=evil | {"Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in preflight.headers


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def test_cors_opens_only_to_the_configured_origins(
    settings_env: pytest.MonkeyPatch,
) -> None:
    settings_env.setenv("SONAE_CORS_ORIGINS", '["https://gis.city.example"]')
    with TestClient(create_app()) as client:
        preflight = {"Access-Control-Request-Method": "GET"}
        ok = client.options(
            "/api/municipalities", headers={"Origin": "https://gis.city.example"} | preflight
        )
        assert ok.headers["access-control-allow-origin"] == "https://gis.city.example"
        other = client.options(
            "/api/municipalities", headers={"Origin": "https://evil.example"} | preflight
        )
        assert "access-control-allow-origin" not in other.headers


def test_request_bodies_over_the_limit_get_413(client: TestClient) -> None:
    too_big = b"x" * (10 * 1024 * 1024 + 1)
    declared = client.post(
        "/api/auth/token",
        content=too_big,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert declared.status_code == 413

    def chunks() -> Iterator[bytes]:
        for _ in range(11):
            yield b"username=" + b"x" * (1024 * 1024)

    streamed = client.post(
        "/login", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert streamed.status_code == 413


@pytest.mark.parametrize(
    "path",
    [
        "/api/ogc/122271/collections/shelters/items?bbox=139.8,35.6,139.9,35.7)%20OR%201=1--",
        "/api/ogc/122271/collections/shelters/items?bbox=1,2,3,'4'",
        "/api/ogc/122271/collections/shelters/items?limit=1;DROP%20TABLE%20shelter",
        "/api/ogc/122271/collections/shelters'%20OR%20'1'='1/items",
        "/api/ogc/122271/collections/chome;DELETE%20FROM%20chome/items",
        "/api/ogc/122271/collections/shelters/items/1%20OR%201=1",
        "/api/ogc/122271'--/collections",
        "/api/municipalities/122271'%20OR%20'1'='1",
        "/map/122271'%20OR%201=1--",
    ],
)
def test_sql_injection_attempts_are_refused_with_4xx(
    client: TestClient, hq: dict[str, str], path: str
) -> None:
    response = client.get(path, headers=hq)
    assert 400 <= response.status_code < 500, response.text


def test_injection_in_a_username_is_just_a_wrong_username(
    client: TestClient, auth_headers: Headers
) -> None:
    for name in ("' OR 1=1 --", "admin'--", '" OR ""="', "x' UNION SELECT password_hash --"):
        answer = client.post("/api/auth/token", data={"username": name, "password": "pw"})
        assert answer.status_code == 401
    found = client.get(
        "/api/audit", params={"username": "' OR 1=1 --"}, headers=auth_headers(Role.auditor)
    ).json()
    assert found["total"] == 1  # the one failed login under that name, nothing else
    assert found["entries"][0]["username"] == "' OR 1=1 --"
    assert found["entries"][0]["action"] == "login_failed"


async def _raw_get(app: object, raw_path: str) -> int:
    """A GET with the path exactly as given (clients normalise ../ before sending)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    status = 0

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(str(message["status"]))

    await app(scope, receive, send)  # type: ignore[operator]
    return status


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/leaflet/../../pyproject.toml",
        "/static/vendor/leaflet/../../../../pyproject.toml",
        "/static/vendor/leaflet/..%2f..%2fpyproject.toml",
        "/static/vendor/leaflet/%2e%2e/%2e%2e/pyproject.toml",
        "/static/vendor/leaflet//etc/passwd",
    ],
)
def test_path_traversal_out_of_the_static_files_is_404(client: TestClient, path: str) -> None:
    assert asyncio.run(_raw_get(client.app, path)) == 404
    assert client.get(path).status_code == 404


def _key_file(tmp_path: Path, content: str, mode: int = 0o600) -> Path:
    path = tmp_path / f"{hashlib.sha256(content.encode()).hexdigest()[:8]}-{mode:o}.key"
    path.write_text(content)
    os.chmod(path, mode)
    return path


def test_production_refuses_a_missing_weak_or_exposed_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SONAE_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env
    base = {"environment": "production", "database_url": "postgresql+psycopg://db/sonae"}
    good = _key_file(tmp_path, os.urandom(32).hex())
    assert Settings(**base, my_number_key_file=good).environment == "production"
    cases = {
        "missing": tmp_path / "absent.key",
        "placeholder": _key_file(tmp_path, "00" * 32),
        "not 64 hex": _key_file(tmp_path, "changeme"),
        "readable by others": _key_file(tmp_path, os.urandom(32).hex(), 0o644),
    }
    for reason, path in cases.items():
        with pytest.raises(ValidationError, match="refusing to start in production") as refused:
            Settings(**base, my_number_key_file=path)
        assert path.name in str(refused.value), reason
    with pytest.raises(ValidationError, match="SONAE_DATABASE_URL"):
        Settings(environment="production", my_number_key_file=good)
    assert Settings(environment="development", my_number_key_file=tmp_path / "absent.key")


def test_configured_base_tiles_are_the_only_other_image_source(
    settings_env: pytest.MonkeyPatch,
) -> None:
    settings_env.setenv("SONAE_BASE_TILES_URL", "https://tiles.lgwan.example/{z}/{x}/{y}.png")
    settings_env.setenv("SONAE_BASE_TILES_ATTRIBUTION", "市の地図")
    with TestClient(create_app()) as client:
        csp = client.get("/health").headers["content-security-policy"]
    assert "img-src 'self' data: https://tiles.lgwan.example;" in csp
