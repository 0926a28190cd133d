"""Real PostGIS for every test: a temporary database built by the migrations.

The database is created once per run on the server SONAE_DATABASE_URL points at (make test
points it at the private cluster under var/), and dropped at the end. Urayasu's real files are
loaded into it once and committed, as the shared baseline; each test then runs inside a
transaction that is rolled back, so tests never see each other's writes.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from leaks import RECORDER, leaks, record_response
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from accounts import Credentials, login, roles_of
from dbtools import create_temporary_database, drop_database
from sonae.api.deps import get_db
from sonae.config import PROJECT_ROOT
from sonae.database import migrate
from sonae.database.core import app_engine, transaction
from sonae.importing.bundle import load_city
from sonae.main import create_app
from sonae.security import users
from sonae.security.auth import principal_of
from sonae.security.roles import Permission, Principal, Role

DATA = PROJECT_ROOT / "data"
CITIES = DATA / "cities"
CAPACITY_RULES = DATA / "reference" / "shelter_capacity_rules.csv"
URAYASU = "122271"


@pytest.fixture(scope="session", autouse=True)
def _record_test_client_responses() -> Iterator[None]:
    """Every response a TestClient receives is recorded for the personal-number leak scan."""
    request = TestClient.request

    def recording(self: TestClient, method: str, url: Any, **kwargs: Any) -> Any:
        response = request(self, method, url, **kwargs)
        record_response(f"{method.upper()} {urlsplit(str(url)).path}", response.content)
        return response

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TestClient, "request", recording)
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """At teardown, scan the test's responses and captured output (all phases) for 個人番号."""
    report = yield
    if report.when == "teardown":
        found = leaks(RECORDER.take(), list(report.sections))
        if found:
            report.outcome = "failed"
            report.longrepr = f"{item.nodeid}: a valid personal number leaked\n" + "\n".join(found)
    return report


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url = create_temporary_database("sonae_test")
    try:
        migrate.upgrade(url)
        yield url
    finally:
        drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """Connections act as the application role, as the server's and the CLI's do."""
    engine = app_engine(database_url)
    with transaction(engine) as session:
        load_city(session=session, city_dir=CITIES / "urayasu", capacity_rules=CAPACITY_RULES)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose commits are savepoints inside a transaction rolled back after the test."""
    with engine.connect() as connection:
        outer = connection.begin()
        db = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield db
        finally:
            db.close()
            outer.rollback()


@pytest.fixture
def city_file() -> Path:
    return CITIES


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    """The real app over HTTP semantics, its unit of work joined to the test's transaction.

    Anonymous: add auth_headers(...) to a request, or to client.headers, to act as a user.
    """
    app = create_app()

    def test_db() -> Iterator[Session]:
        yield session
        session.commit()  # a savepoint release here: the test's transaction still rolls back

    app.dependency_overrides[get_db] = test_db
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def make_user(session: Session) -> Callable[..., Credentials]:
    """make_user(Role.supporter, district="当代島") → a real user in the test's transaction."""

    def make(
        role: Role | Iterable[Role] = Role.hq,
        *,
        municipality_code: str = URAYASU,
        district: str | None = None,
        shelter_ids: Iterable[int] = (),
        permissions: Iterable[Permission] = (),
        username: str | None = None,
        password: str | None = None,
    ) -> Credentials:
        roles = roles_of(role)
        name = username or f"{'-'.join(roles).replace('_', '-')}-{uuid.uuid4().hex[:8]}"
        secret = password or secrets.token_urlsafe(16)
        user = users.create_user(
            session=session,
            new=users.NewUser(
                username=name,
                municipality_code=municipality_code,
                roles=roles,
                password=secret,
                district=district,
                shelter_ids=tuple(shelter_ids),
                permissions=tuple(permissions),
            ),
        )
        return Credentials(name, secret, principal_of(user))

    return make


@pytest.fixture
def make_principal(make_user: Callable[..., Credentials]) -> Callable[..., Principal]:
    """For service tests: make_principal(Role.welfare) → the Principal of a real user."""

    def make(role: Role | Iterable[Role] = Role.hq, **scope: object) -> Principal:
        return make_user(role, **scope).principal

    return make


@pytest.fixture
def auth_headers(
    client: TestClient, make_user: Callable[..., Credentials]
) -> Callable[..., dict[str, str]]:
    """auth_headers(Role.supporter, district="当代島") → headers of a new, logged-in user."""

    def headers(role: Role | Iterable[Role] = Role.hq, **scope: object) -> dict[str, str]:
        return login(client, make_user(role, **scope))

    return headers
