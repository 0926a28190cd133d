"""`sonae users …`: staff accounts. Passwords come from stdin or a hidden prompt, never argv."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from sonae.audit import service as audit
from sonae.cli.common import console, friendly_errors, unit_of_work
from sonae.config import get_settings
from sonae.japan_time import japan_date
from sonae.security import auth, users
from sonae.security.models import AppUser
from sonae.security.roles import Permission, Role

app = typer.Typer(no_args_is_help=True)
out = Console(highlight=False)

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="read the password from the first line of stdin")
]


def record(session: Session, action: str, user: AppUser, change: str) -> None:
    """Account changes go to the audit trail too, under the operator's OS user."""
    audit.record(
        session=session,
        principal=None,
        username=f"cli:{getpass.getuser()}",
        municipality_code=user.municipality_code,
        action=action,
        resource="security.user",
        detail={"user": user.username, "change": change, "roles": sorted(user.roles)},
    )


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return auth.check_password_policy(password)


@app.command()
@friendly_errors
def create(
    username: Annotated[str, typer.Argument(help="login name (ASCII)")],
    role: Annotated[list[Role], typer.Option("--role", "-r", help="repeatable")],
    municipality: Annotated[
        str, typer.Option("--municipality", "-m", help="6-digit municipality code")
    ],
    district: Annotated[
        str | None, typer.Option(help="supporter's district: chome name without 丁目, e.g. 当代島")
    ] = None,
    shelter_id: Annotated[
        list[int] | None, typer.Option("--shelter-id", help="shelter staff: shelter id, repeatable")
    ] = None,
    permission: Annotated[
        list[Permission] | None, typer.Option("--permission", help="e.g. my_number_read")
    ] = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a user; the password (12 characters or more, 5 different) is asked twice or read
    from stdin."""
    password = read_password(password_stdin)
    new = users.NewUser(
        username=username,
        municipality_code=municipality,
        roles=role,
        password=password,
        district=district,
        shelter_ids=shelter_id or (),
        permissions=permission or (),
    )
    with unit_of_work() as session:
        record(session, "create", users.create_user(session=session, new=new), "created")
    console.print(f"user {username} created ({', '.join(sorted(role))})")


@app.command("list")
@friendly_errors
def list_(
    municipality: Annotated[
        str | None, typer.Option("--municipality", "-m", help="only this municipality")
    ] = None,
) -> None:
    """List users with their roles, scope and state."""
    table = Table(
        "username",
        "municipality",
        "roles",
        "permissions",
        "district",
        "shelters",
        "active",
        "created",
    )
    with unit_of_work() as session:
        for user in users.list_users(session=session, municipality_code=municipality):
            table.add_row(
                user.username,
                user.municipality_code,
                ",".join(user.roles),
                ",".join(user.permissions),
                user.district or "",
                ",".join(str(s) for s in user.shelter_ids),
                "yes" if user.is_active else "no",
                str(japan_date(user.created_at)),
            )
    out.print(table)


@app.command()
@friendly_errors
def disable(username: Annotated[str, typer.Argument()]) -> None:
    """Disable a user and revoke their tokens at once."""
    with unit_of_work() as session:
        record(
            session, "update", users.disable_user(session=session, username=username), "disabled"
        )
    console.print(f"user {username} disabled; their tokens are revoked")


@app.command("set-password")
@friendly_errors
def set_password(
    username: Annotated[str, typer.Argument()], password_stdin: PasswordStdin = False
) -> None:
    """Set a new password; the user's tokens are revoked."""
    password = read_password(password_stdin)
    with unit_of_work() as session:
        user = users.set_password(session=session, username=username, password=password)
        record(session, "update", user, "password set")
    console.print(f"password of {username} changed; their tokens are revoked")


@app.command("ensure-demo")
@friendly_errors
def ensure_demo(
    municipality: Annotated[
        str | None, typer.Option("--municipality", "-m", help="default: the default city")
    ] = None,
) -> None:
    """Development only: make the user `demo` (role hq) with a new random password, printed
    once (run by `make demo`)."""
    with unit_of_work() as session:
        username, password = users.ensure_demo_user(session=session, municipality_code=municipality)
    settings = get_settings()
    out.print(f"  demo login: user [bold]{username}[/bold]  password [bold]{password}[/bold]")
    out.print(f"  (role hq; {settings.environment} only; a new password each run)")
