"""Who may call what: every role against every endpoint that exists, allowed and refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from accounts import Credentials, login
from sonae.api.deps import get_db
from sonae.main import create_app
from sonae.security.deps import CurrentUser, require_permission, require_roles
from sonae.security.roles import Permission, Principal, Role

ANY = frozenset(Role)
ENDPOINTS: dict[str, frozenset[Role]] = {
    "/api/auth/me": ANY,
    "/openapi.json": ANY,
    "/api/municipalities": ANY,
    "/api/municipalities/122271": ANY,
    "/api/ogc/122271/collections": ANY,
    "/api/ogc/122271/collections/shelters/items?limit=2": ANY,
    "/map/122271": ANY,
    "/api/audit": frozenset({Role.auditor}),
    "/api/audit/persons/1/export": frozenset({Role.auditor}),
    # the number also needs the permission, which none of these users has
    "/api/registry/persons/1/my-number?purpose=support_list": frozenset(),
}


@pytest.mark.parametrize("role", list(Role))
def test_role_matrix(
    client: TestClient,
    make_user: Callable[..., Credentials],
    scope_for: Callable[[Role], dict[str, object]],
    role: Role,
) -> None:
    headers = login(client, make_user(role, **scope_for(role)))
    answers = {path: client.get(path, headers=headers).status_code for path in ENDPOINTS}
    assert answers == {path: 200 if role in allowed else 403 for path, allowed in ENDPOINTS.items()}


@pytest.fixture
def probe(session: Session) -> Iterator[TestClient]:
    """The real app plus probe routes guarded by the real dependency factories."""
    router = APIRouter(prefix="/probe")

    @router.get("/hq")
    def hq_only(p: Annotated[Principal, Depends(require_roles(Role.hq))]) -> str:
        return p.username

    @router.get("/welfare-or-hq")
    def welfare_or_hq(
        p: Annotated[Principal, Depends(require_roles(Role.welfare, Role.hq))],
    ) -> str:
        return p.username

    @router.get("/my-number-permission")
    def permitted(
        p: Annotated[Principal, Depends(require_permission(Permission.my_number_read))],
    ) -> str:
        return p.username

    @router.get("/anyone")
    def anyone(p: CurrentUser) -> list[str]:
        return sorted(p.roles)

    app = create_app()
    app.include_router(router)

    def test_db() -> Iterator[Session]:
        yield session
        session.commit()

    app.dependency_overrides[get_db] = test_db
    with TestClient(app) as client:
        yield client


def test_admin_does_not_imply_operational_roles(
    probe: TestClient, make_user: Callable[..., Credentials]
) -> None:
    admin = login(probe, make_user(Role.admin))
    refused = probe.get("/probe/hq", headers=admin)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "this needs one of the roles: hq"}
    assert probe.get("/probe/anyone", headers=admin).json() == ["admin"]


def test_any_listed_role_is_enough_and_roles_combine(
    probe: TestClient, make_user: Callable[..., Credentials]
) -> None:
    welfare = login(probe, make_user(Role.welfare))
    assert probe.get("/probe/welfare-or-hq", headers=welfare).status_code == 200
    assert probe.get("/probe/hq", headers=welfare).json() == {
        "detail": "this needs one of the roles: hq"
    }
    both = login(probe, make_user([Role.welfare, Role.auditor]))
    assert probe.get("/probe/welfare-or-hq", headers=both).status_code == 200
    assert probe.get("/probe/anyone", headers=both).json() == ["auditor", "welfare"]


def test_a_permission_is_checked_apart_from_roles(
    probe: TestClient, make_user: Callable[..., Credentials]
) -> None:
    plain = login(probe, make_user(Role.hq))
    permitted = login(probe, make_user(Role.hq, permissions=[Permission.my_number_read]))
    assert probe.get("/probe/my-number-permission", headers=plain).json() == {
        "detail": "this needs the permission my_number_read"
    }
    assert probe.get("/probe/my-number-permission", headers=permitted).status_code == 200
    assert probe.get("/probe/my-number-permission").status_code == 401


def test_require_roles_needs_a_role() -> None:
    with pytest.raises(ValueError, match="at least one role"):
        require_roles()


def test_principal_has_any_of_the_roles() -> None:
    principal = Principal(
        user_id=1,
        username="u",
        roles=frozenset({Role.supporter}),
        municipality_code="122271",
        district="当代島",
    )
    assert principal.has(Role.supporter) and principal.has(Role.hq, Role.supporter)
    assert not principal.has(Role.hq) and not principal.has()
    assert not principal.may(Permission.my_number_read)
