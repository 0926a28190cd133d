"""Logging in and out: tokens, their expiry and revocation, the lockout, the login page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from accounts import Credentials, login
from sonae.audit.models import AuditAction, AuditEntry
from sonae.errors import ConflictError, InvalidInputError
from sonae.security import auth, users
from sonae.security.auth import FAILURE_WINDOW, LOCKOUT, MAX_FAILURES, _locked, token_digest
from sonae.security.models import AccessToken, AppUser
from sonae.security.roles import Permission, Role

MakeUser = Callable[..., Credentials]


def token_of(client: TestClient, creds: Credentials, password: str | None = None) -> int:
    response = client.post(
        "/api/auth/token",
        data={"username": creds.username, "password": password or creds.password},
    )
    return response.status_code


def test_login_returns_an_opaque_token_stored_only_as_its_hash(
    client: TestClient, session: Session, make_user: MakeUser
) -> None:
    creds = make_user(Role.supporter, district="当代島")
    response = client.post(
        "/api/auth/token", data={"username": creds.username, "password": creds.password}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 480 * 60
    token = body["access_token"]
    assert len(token) >= 40
    stored = session.scalars(
        select(AccessToken).where(AccessToken.user_id == creds.principal.user_id)
    ).one()
    assert stored.token_hash == token_digest(token)
    assert token.encode() not in stored.token_hash
    lifetime = stored.expires_at - stored.created_at
    assert timedelta(minutes=479) < lifetime <= timedelta(minutes=481)
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["username"] == creds.username
    assert me["roles"] == ["supporter"] and me["district"] == "当代島"
    assert me["municipality_code"] == "122271" and me["permissions"] == []


def test_the_password_is_stored_as_an_argon2id_hash(session: Session, make_user: MakeUser) -> None:
    creds = make_user(Role.hq)
    stored = session.scalars(
        select(AppUser.password_hash).where(AppUser.id == creds.principal.user_id)
    ).one()
    assert stored.startswith("$argon2id$") and creds.password not in stored


def test_wrong_password_unknown_user_and_disabled_user_get_the_same_answer(
    client: TestClient, session: Session, make_user: MakeUser
) -> None:
    creds, disabled = make_user(Role.hq), make_user(Role.hq)
    users.disable_user(session=session, username=disabled.username)
    answers = [
        client.post("/api/auth/token", data={"username": u, "password": p})
        for u, p in [
            (creds.username, "wrong password!"),
            ("nobody-at-all", "whatever password"),
            (disabled.username, disabled.password),
        ]
    ]
    assert {a.status_code for a in answers} == {401}
    assert {a.json()["detail"] for a in answers} == {"wrong username or password"}
    assert all(a.headers["www-authenticate"] == "Bearer" for a in answers)


def test_five_failures_lock_the_username_even_for_the_right_password(
    client: TestClient, session: Session, make_user: MakeUser
) -> None:
    victim, bystander = make_user(Role.welfare), make_user(Role.welfare)
    for _ in range(MAX_FAILURES):
        assert token_of(client, victim, "not the password") == 401
    locked = client.post(
        "/api/auth/token", data={"username": victim.username, "password": victim.password}
    )
    assert locked.status_code == 429 and locked.headers["retry-after"] == "900"
    assert "15 minutes" in locked.json()["detail"]
    assert token_of(client, bystander) == 200  # the lock is per username
    failures = session.scalars(
        select(AuditEntry.detail["reason"].astext).where(
            AuditEntry.username == victim.username, AuditEntry.action == AuditAction.login_failed
        )
    ).all()
    assert sorted(failures) == ["bad_credentials"] * MAX_FAILURES + ["locked"]


def test_four_failures_then_a_success_do_not_lock(client: TestClient, make_user: MakeUser) -> None:
    creds = make_user(Role.hq)
    for _ in range(MAX_FAILURES - 1):
        assert token_of(client, creds, "not the password") == 401
    assert token_of(client, creds) == 200
    for _ in range(MAX_FAILURES - 1):  # a success starts the count again
        assert token_of(client, creds, "not the password") == 401
    assert token_of(client, creds) == 200


def test_unknown_usernames_are_locked_alike_so_lockout_reveals_no_account(
    client: TestClient,
) -> None:
    for _ in range(MAX_FAILURES):
        response = client.post("/api/auth/token", data={"username": "ghost", "password": "x"})
        assert response.status_code == 401
    response = client.post("/api/auth/token", data={"username": "ghost", "password": "x"})
    assert response.status_code == 429


def test_the_lock_lasts_fifteen_minutes_after_the_fifth_failure() -> None:
    t0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    five = [t0 + timedelta(minutes=m) for m in (14, 10, 6, 3, 0)]  # newest first
    assert _locked(five, t0 + timedelta(minutes=14, seconds=1))
    assert _locked(five, t0 + timedelta(minutes=28, seconds=59))
    assert not _locked(five, t0 + timedelta(minutes=29))
    assert not _locked(five[:4], t0 + timedelta(minutes=15))
    spread = [t0 + timedelta(minutes=m) for m in (16, 10, 6, 3, 0)]  # 5 in 16 minutes
    assert not _locked(spread, t0 + timedelta(minutes=17))
    assert FAILURE_WINDOW == LOCKOUT == timedelta(minutes=15)


def test_an_expired_token_is_refused(
    client: TestClient, session: Session, make_user: MakeUser
) -> None:
    creds = make_user(Role.hq)
    headers = login(client, creds)
    assert client.get("/api/auth/me", headers=headers).status_code == 200
    session.execute(
        update(AccessToken)
        .where(AccessToken.user_id == creds.principal.user_id)
        .values(expires_at=func.now() - text("interval '1 second'"))
    )
    response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_logout_revokes_the_token_and_only_that_token(
    client: TestClient, make_user: MakeUser
) -> None:
    creds = make_user(Role.hq)
    first, second = login(client, creds), login(client, creds)
    assert client.post("/api/auth/logout", headers=first).status_code == 204
    assert client.get("/api/auth/me", headers=first).status_code == 401
    assert client.get("/api/auth/me", headers=second).status_code == 200


def test_disabling_a_user_revokes_their_tokens_at_once(
    client: TestClient, session: Session, make_user: MakeUser
) -> None:
    creds = make_user(Role.hq)
    headers = login(client, creds)
    users.disable_user(session=session, username=creds.username)
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_login_page_sets_a_strict_httponly_cookie_and_returns_to_the_page(
    client: TestClient, make_user: MakeUser, scope_for: Callable[[Role], dict[str, object]]
) -> None:
    creds = make_user(Role.shelter_staff, **scope_for(Role.shelter_staff))
    response = client.post(
        "/login",
        data={"username": creds.username, "password": creds.password, "next": "/map/122271"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/map/122271"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("sonae_session=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert client.get("/api/auth/me").json()["username"] == creds.username  # the cookie works
    out = client.post("/logout", follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    client.cookies.clear()
    client.cookies.set("sonae_session", cookie.split(";")[0].split("=", 1)[1])
    assert client.get("/api/auth/me").status_code == 401  # revoked, not only forgotten


def test_login_page_shows_a_japanese_error_and_never_redirects_off_site(
    client: TestClient, make_user: MakeUser
) -> None:
    refused = client.post("/login", data={"username": "nobody", "password": "x", "next": "/"})
    assert refused.status_code == 401
    assert "ユーザー名またはパスワードが違います" in refused.text
    creds = make_user(Role.hq)
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:1"):
        response = client.post(
            "/login",
            data={"username": creds.username, "password": creds.password, "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/", target


def test_a_cross_site_post_with_the_cookie_is_refused(
    client: TestClient, make_user: MakeUser
) -> None:
    creds = make_user(Role.hq)
    client.post("/login", data={"username": creds.username, "password": creds.password})
    response = client.post("/api/auth/logout", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert client.get("/api/auth/me").status_code == 200  # still logged in


def test_accounts_are_refused_without_the_scope_their_role_needs(make_user: MakeUser) -> None:
    refusals = {
        "welfare or hq": dict(role=Role.auditor, permissions=[Permission.my_number_read]),
        "needs --district": dict(role=Role.supporter),
        "no chome name": dict(role=Role.supporter, district="存在しない町"),
        "need --shelter-id": dict(role=Role.shelter_staff),
        "no shelter with id": dict(role=Role.shelter_staff, shelter_ids=[10**9]),
        "12 characters": dict(role=Role.hq, password="short"),
        "only whitespace": dict(role=Role.hq, password=" \t" * 6),
        "5 different characters": dict(role=Role.hq, password="abab" * 4),
        "ASCII": dict(role=Role.hq, username="職員"),
        "at least one role": dict(role=[], username="nobody-1"),
    }
    for message, args in refusals.items():
        with pytest.raises(InvalidInputError, match=message):
            make_user(args.pop("role"), **args)
    taken = make_user(Role.hq)
    with pytest.raises(ConflictError, match="already exists"):
        make_user(Role.hq, username=taken.username)


def test_a_changed_password_follows_the_same_rules(make_user: MakeUser, session: Session) -> None:
    user = make_user(Role.hq)
    for weak in (" " * 12, "a" * 12, "1212121212121212"):
        with pytest.raises(InvalidInputError, match="password"):
            users.set_password(session=session, username=user.username, password=weak)
    changed = users.set_password(session=session, username=user.username, password="abcde" * 3)
    assert auth.verify_password(changed.password_hash, "abcde" * 3)
