"""`sonae events …` as headquarters run it, on a committed small town."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import typer
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from event_town import NORTH, SOUTH
from sonae.audit.models import AuditEntry
from sonae.cli import common, events, support
from sonae.municipality.models import Municipality
from support.factory import Town

CODE = "131059"
app = typer.Typer()
app.add_typer(events.app, name="events")
app.add_typer(support.app, name="support")


@pytest.fixture
def committed_town(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Town]:
    """The CLI commits, so its town is committed too, and removed afterwards (cascade)."""
    monkeypatch.setattr(common, "get_engine", lambda: engine)
    monkeypatch.setattr(common, "configure_logging", lambda **_: None)
    monkeypatch.setenv("COLUMNS", "250")
    with Session(engine, expire_on_commit=False) as session:
        town = Town.create(session, CODE)
        town.person("n1", born=date(1990, 1, 1), at=(100, 100))
        town.person("n2", born=date(1990, 1, 1), at=(200, 100))
        town.person("s1", born=date(1990, 1, 1), at=(100, -100))
        session.commit()
        yield town
        session.execute(delete(Municipality).where(Municipality.code == CODE))
        session.commit()


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout + result.stderr


def test_declare_move_and_follow_progress_from_the_command_line(committed_town: Town) -> None:
    code, out = invoke(
        "events", "declare", "--name", "試験地震", "--hazard", "earthquake",
        "--started-at", "2026-11-23T14:46+09:00", "--chome", NORTH, "--chome", SOUTH, "-m", CODE,
    )  # fmt: skip
    assert code == 0 and "2 chome affected" in out, out
    declared = re.search(r"event (\d+) declared", out)
    assert declared is not None, out
    event_id = declared[1]
    code, out = invoke("events", "phase", event_id, "sheltering", "--reason", "避難所開設")
    assert code == 0 and "初動対応 → 避難所運営" in out, out
    code, out = invoke("events", "phase", event_id, "reconstruction", "--reason", "飛ばす")
    assert code == 2 and "one step at a time" in out
    code, out = invoke("events", "progress", event_id)
    assert code == 0
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if "町" in line}
    # 北町: two residents, none confirmed; 南町: one.
    assert [c.strip() for c in rows["北町"].split("│")[2:5]] == ["2", "0", "0.0"]
    assert [c.strip() for c in rows["南町"].split("│")[2:5]] == ["1", "0", "0.0"]


def test_a_naive_start_time_is_refused(committed_town: Town) -> None:
    code, out = invoke(
        "events", "declare", "--name", "x", "--hazard", "flood",
        "--started-at", "2026-11-23T14:46", "--chome", NORTH, "-m", CODE,
    )  # fmt: skip
    assert code == 2 and "UTC offset" in out


def test_a_start_time_in_the_future_is_refused(committed_town: Town) -> None:
    """A typo in the year (2027 for 2026): refused, naming the field, and nothing declared."""
    a_year_on = (datetime.now(UTC) + timedelta(days=365)).isoformat(timespec="minutes")
    code, out = invoke(
        "events", "declare", "--name", "未来地震", "--hazard", "earthquake",
        "--started-at", a_year_on, "--chome", NORTH, "-m", CODE,
    )  # fmt: skip
    assert code == 2 and "started_at" in out and "in the future" in out, out
    code, out = invoke("events", "list", "-m", CODE)
    assert code == 0 and "未来地震" not in out, out


def test_disaster_mode_status_lists_the_events_holding_it_and_one_can_be_switched_off(
    committed_town: Town,
) -> None:
    ids = []
    for chome in ((NORTH, SOUTH), (SOUTH,)):
        code, out = invoke(
            "events", "declare", "--name", "試験", "--hazard", "earthquake",
            "--started-at", "2026-11-23T14:46+09:00", *[a for c in chome for a in ("--chome", c)],
            "-m", CODE,
        )  # fmt: skip
        declared = re.search(r"event (\d+) declared", out)
        assert code == 0 and declared is not None, out
        ids.append(declared[1])
    code, out = invoke("support", "disaster-mode", "status", "-m", CODE)
    assert code == 0 and "disaster mode: ON" in out, out
    assert f"event {ids[0]}: since" in out and "2 chome" in out
    assert f"event {ids[1]}: since" in out and "1 chome" in out
    code, out = invoke(
        "support", "disaster-mode", "off", "--event", ids[0], "--reason", "危険解消", "-m", CODE
    )
    assert code == 0 and "disaster mode: ON" in out, out
    assert f"event {ids[0]}:" not in out and f"event {ids[1]}:" in out
    code, out = invoke(
        "support", "disaster-mode", "off", "--event", ids[1], "--reason", "危険解消", "-m", CODE
    )
    assert code == 0 and "disaster mode: off since" in out, out


def test_a_blank_name_or_an_ancient_start_is_refused(committed_town: Town) -> None:
    """1900 for 2026: every deadline and statistic would count from it."""
    for name, started in (
        ("\u3000 ", "2026-11-23T14:46+09:00"),
        ("古地震", "1900-01-01T00:00+09:00"),
    ):
        code, out = invoke(
            "events", "declare", "--name", name, "--hazard", "earthquake",
            "--started-at", started, "--chome", NORTH, "-m", CODE,
        )  # fmt: skip
        assert code == 2, out
        assert ("'name': must not be blank" in out) or ("'started_at': before 2013-06-21" in out)
    code, out = invoke("events", "list", "-m", CODE)
    assert code == 0 and "古地震" not in out, out


def test_declaring_and_moving_from_the_command_line_is_audited(
    committed_town: Town, engine: Engine
) -> None:
    operator = f"cli-audit-{uuid.uuid4().hex[:8]}"
    code, out = invoke(
        "events", "declare", "--name", "試験地震", "--hazard", "earthquake",
        "--started-at", "2026-11-23T14:46+09:00", "--chome", NORTH, "-m", CODE, "--by", operator,
    )  # fmt: skip
    declared = re.search(r"event (\d+) declared", out)
    assert code == 0 and declared is not None, out
    code, out = invoke("events", "phase", declared[1], "sheltering", "--reason", "開設",
                       "--by", operator)  # fmt: skip
    assert code == 0, out
    with Session(engine) as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.username == operator).order_by(AuditEntry.id)
        ).all()
    assert [(e.action, e.resource, e.municipality_code) for e in entries] == [
        ("create", f"event/{declared[1]}", CODE),
        ("update", f"event/{declared[1]}/phase", CODE),
    ]
