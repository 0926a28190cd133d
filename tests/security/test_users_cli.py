"""`sonae users …` as an operator runs it (the CLI commits, so the users are removed after)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from sonae.audit.models import AuditEntry
from sonae.security.models import AppUser

SONAE = str(Path(sys.executable).parent / "sonae")
PASSWORD = "correct horse battery"


def run(
    database_url: str, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SONAE_DATABASE_URL": database_url, "COLUMNS": "200", **env}
    return subprocess.run(
        [SONAE, *args], input=stdin, capture_output=True, text=True, env=environment, timeout=60
    )


@pytest.fixture
def cleanup(engine: Engine) -> Iterator[list[str]]:
    """Usernames to delete after the test (request it before client and session)."""
    names: list[str] = []
    yield names
    with Session(engine) as db:
        db.execute(delete(AppUser).where(AppUser.username.in_(names)))
        db.commit()


def test_create_list_and_disable_a_supporter(
    database_url: str, engine: Engine, cleanup: list[str]
) -> None:
    cleanup.append("cli-supporter")
    created = run(
        database_url,
        "users",
        "create",
        "cli-supporter",
        "--role",
        "supporter",
        "-m",
        "122271",
        "--district",
        "当代島",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert created.returncode == 0, created.stderr
    listed = run(database_url, "users", "list")
    line = next(x for x in listed.stdout.splitlines() if "cli-supporter" in x)
    assert "122271" in line and "supporter" in line and "当代島" in line and "yes" in line
    assert PASSWORD not in listed.stdout + listed.stderr + created.stdout + created.stderr
    with Session(engine) as db:
        user = db.scalars(select(AppUser).where(AppUser.username == "cli-supporter")).one()
        assert user.password_hash.startswith("$argon2id$")
    disabled = run(database_url, "users", "disable", "cli-supporter")
    assert disabled.returncode == 0, disabled.stderr
    line = next(
        x for x in run(database_url, "users", "list").stdout.splitlines() if "cli-supporter" in x
    )
    cells = [cell.strip() for cell in re.split(r"[│|]", line)]
    assert "no" in cells and "yes" not in cells
    with Session(engine) as db:
        changes = db.execute(
            select(AuditEntry.action, AuditEntry.detail["change"].astext, AuditEntry.username)
            .where(
                AuditEntry.resource == "security.user",
                AuditEntry.detail["user"].astext == "cli-supporter",
            )
            .order_by(AuditEntry.id)
        ).all()
    assert [(a, c) for a, c, _ in changes][-2:] == [("create", "created"), ("update", "disabled")]
    assert all(operator.startswith("cli:") for _, _, operator in changes)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "hq"], "short\n", "at least 12 characters"),
        (["--role", "hq"], " " * 12 + "\n", "only whitespace"),
        (["--role", "hq"], "a" * 12 + "\n", "at least 5 different characters"),
        (["--role", "superuser"], PASSWORD + "\n", "superuser"),
        (["--role", "supporter"], PASSWORD + "\n", "--district"),  # the rest: test_auth.py
    ],
)
def test_create_refuses_bad_input_with_the_reason(
    database_url: str, engine: Engine, args: list[str], stdin: str, message: str
) -> None:
    result = run(
        database_url,
        "users",
        "create",
        "cli-refused",
        "-m",
        "122271",
        *args,
        "--password-stdin",
        stdin=stdin,
    )
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    with Session(engine) as db:
        assert db.scalars(select(AppUser).where(AppUser.username == "cli-refused")).first() is None


def test_ensure_demo_prints_a_new_working_password_each_time(
    cleanup: list[str], database_url: str, client: TestClient
) -> None:
    cleanup.append("demo")
    passwords = []
    for _ in range(2):
        result = run(database_url, "users", "ensure-demo")
        assert result.returncode == 0, result.stderr
        match = re.search(r"user demo\s+password (\S+)", result.stdout)
        assert match, result.stdout
        passwords.append(match.group(1))
    first, second = passwords
    assert first != second and len(second) >= 12
    old = client.post("/api/auth/token", data={"username": "demo", "password": first})
    assert old.status_code == 401
    new = client.post("/api/auth/token", data={"username": "demo", "password": second})
    assert new.status_code == 200
    me = client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {new.json()['access_token']}"}
    )
    assert me.json()["roles"] == ["hq"]


def test_there_is_no_demo_user_in_production(database_url: str, tmp_path: Path) -> None:
    key = tmp_path / "my_number.key"
    key.write_text(os.urandom(32).hex())
    key.chmod(0o600)
    result = run(
        database_url,
        "users",
        "ensure-demo",
        SONAE_ENVIRONMENT="production",
        SONAE_MY_NUMBER_KEY_FILE=str(key),
    )
    assert result.returncode == 2
    assert "only in environment=development" in result.stderr
