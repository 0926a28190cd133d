"""`sonae support …` and `sonae plans …` as an operator runs them, on a committed small town."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import delete, event, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from sonae.audit.service import person_history
from sonae.cli import common, plans, support
from sonae.municipality.models import Municipality
from sonae.support.models import (
    ConsentScope,
    ConsentStatus,
    DisasterModeSwitch,
    SupportListBuild,
)
from sonae.support.rules import DEFAULT_RULES_FILE
from sonae.support_extract.consent import record_consent
from support.factory import Town, lonlat

SONAE = str(Path(sys.executable).parent / "sonae")
CODE = "131032"
app = typer.Typer()
app.add_typer(support.app, name="support")
app.add_typer(plans.app, name="plans")


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    """The CLI in this process (starting `sonae` costs seconds), on the test database."""
    monkeypatch.setattr(common, "get_engine", lambda: engine)
    # Logging stays on the real stderr: CliRunner's captured stream is closed after each call.
    monkeypatch.setattr(common, "configure_logging", lambda **_: None)
    monkeypatch.setenv("COLUMNS", "250")

    def invoke(database_url: str, *args: str) -> Ran:
        result = CliRunner().invoke(app, list(args))
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Ran(result.exit_code, result.stdout, result.stderr)

    return invoke


def run_installed(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SONAE_DATABASE_URL": database_url, "COLUMNS": "250"}
    return subprocess.run([SONAE, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def committed_town(engine: Engine) -> Iterator[Town]:
    """The CLI commits, so its town is committed too, and removed afterwards (cascade)."""
    with Session(engine, expire_on_commit=False) as session:
        town = Town.create(session, CODE)
        town.person("yes", born=date(1990, 1, 1), care_level="care_3", at=(100, 100))
        town.person("no", born=date(1940, 1, 1), at=(100, 200))
        town.person("south", born=date(1990, 1, 1), intractable_disease=True, at=(100, -100))
        record_consent(
            session=session,
            municipality_code=CODE,
            person_id=town.people["yes"].id,
            scope=ConsentScope.evacuation_plan,
            status=ConsentStatus.agreed,
            decided_on=None,
            recorded_by="test",
            principal=None,
        )
        town.shelter("公民館", (100, 400), flags=None)
        session.commit()
        yield town
        session.execute(delete(Municipality).where(Municipality.code == CODE))
        session.commit()


def test_rules_build_consent_export_diff_and_plans_from_the_command_line(
    database_url: str, committed_town: Town, tmp_path: Path, run: Callable[..., Ran]
) -> None:
    shown = run(database_url, "support", "rules", "show", "-m", CODE)
    assert shown.returncode == 0 and "the shipped default" in shown.stdout
    built = run_installed(database_url, "support", "build", "-m", CODE, "--as-of", "2026-04-01")
    assert built.returncode == 0, built.stderr
    assert "3 of 3 residents listed" in built.stderr and "要介護3〜5" in built.stdout

    rules = DEFAULT_RULES_FILE.read_text(encoding="utf-8").replace("min_age = 75", "min_age = 90")
    (tmp_path / "rules.toml").write_text(rules, encoding="utf-8")
    stale = run(database_url, "support", "rules", "set", str(tmp_path / "rules.toml"), "-m", CODE)
    assert stale.returncode != 0 and "names 75歳 but min_age is 90" in stale.stderr
    (tmp_path / "rules.toml").write_text(rules.replace("75歳以上", "90歳以上"), encoding="utf-8")
    stored = run(database_url, "support", "rules", "set", str(tmp_path / "rules.toml"), "-m", CODE)
    assert stored.returncode == 0 and "version 2" in stored.stderr
    rebuilt = run(database_url, "support", "build", "-m", CODE, "--as-of", "2026-04-01")
    assert "2 of 3 residents listed" in rebuilt.stderr
    report = tmp_path / "diff.csv"
    first = re.search(r"built support list (\d+)", built.stderr)
    assert first is not None
    diff = run(
        database_url, "support", "diff", first[1], "latest", "-m", CODE, "--csv", str(report)
    )
    assert diff.returncode == 0, diff.stderr
    assert "削除" in diff.stdout and "掲載基準の変更" in diff.stdout
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
    assert [(r["区分"], r["変更の理由"]) for r in rows] == [("削除", "掲載基準の変更")]

    consents = tmp_path / "consent.csv"
    numbers = {label: p.address_number for label, p in committed_town.people.items()}
    consents.write_text(
        f"宛名番号,同意,同意日\n{numbers['yes']},同意,令和8年4月1日\n{numbers['south']},不同意,\n",
        encoding="cp932",
    )
    imported = run(
        database_url, "support", "consent", "import", str(consents), "-m", CODE,
        "--scope", "list_sharing",
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    out = tmp_path / "list.csv"
    exported = run(
        database_url, "support", "export", "latest", "-m", CODE, "--district", "北町",
        "--format", "csv-cp932", "--out", str(out),
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert [r["氏名"] for r in csv.DictReader(io.StringIO(out.read_bytes().decode("cp932")))] == [
        "試験　yes"
    ]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # names and addresses: the owner's only
    refused = run(
        database_url, "support", "export", "latest", "-m", CODE, "--mode", "disaster",
        "--format", "html", "--out", str(tmp_path / "x.html"),
    )  # fmt: skip
    assert refused.returncode == 2 and "disaster mode" in refused.stderr
    assert "Traceback" not in refused.stderr

    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            {
                "supporters": [{"name": "近所　一郎", "phone": "090"}],
                "route": {
                    "type": "LineString",
                    "coordinates": [lonlat(100, 100), lonlat(100, 400)],
                },
            }
        ),
        encoding="utf-8",
    )
    saved = run(database_url, "plans", "set", numbers["yes"], str(plan), "-m", CODE)
    assert saved.returncode == 0, saved.stderr
    no_consent = run(database_url, "plans", "set", numbers["south"], str(plan), "-m", CODE)
    assert no_consent.returncode == 2 and "has not agreed" in no_consent.stderr
    # Named as typed, not by the internal id the operator has never seen.
    assert f"宛名番号 {numbers['south']}" in no_consent.stderr
    assert f"person {committed_town.people['south'].id}" not in no_consent.stderr
    page = tmp_path / "p.html"
    printed = run(database_url, "plans", "print", numbers["yes"], "-m", CODE, "--out", str(page))
    assert printed.returncode == 0 and "近所　一郎" in page.read_text()
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    coverage = run(database_url, "plans", "coverage", "-m", CODE)
    assert coverage.returncode == 0 and "北町" in coverage.stdout and "合計" in coverage.stdout


def test_consent_written_from_the_command_line_is_in_the_access_history(
    database_url: str, engine: Engine, committed_town: Town, tmp_path: Path,
    run: Callable[..., Ran],
) -> None:  # fmt: skip
    yes, south = committed_town.people["yes"], committed_town.people["south"]
    set_one = run(
        database_url, "support", "consent", "set", yes.address_number, "--scope", "list_sharing",
        "--status", "refused", "--by", "窓口A", "-m", CODE,
    )  # fmt: skip
    assert set_one.returncode == 0, set_one.stderr
    consents = tmp_path / "consent.csv"
    consents.write_text(f"宛名番号,同意\n{south.address_number},同意\n", encoding="utf-8")
    imported = run(
        database_url, "support", "consent", "import", str(consents), "--scope", "list_sharing",
        "--by", "窓口B", "-m", CODE,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    with Session(engine) as session:
        trail = {
            label: [(e.action, e.resource, e.username) for e in person_history(
                session=session, municipality_code=CODE, person_id=person.id)]
            for label, person in (("yes", yes), ("south", south))
        }  # fmt: skip
    assert ("create", f"person/{yes.id}/consent", "窓口A") in trail["yes"]
    assert trail["south"] == [("create", "consent/import", "窓口B")]


@pytest.fixture
def utc_server(engine: Engine) -> Iterator[None]:
    """Timestamps come back in UTC, as on a server whose zone is UTC, whatever this one's is."""

    def to_utc(dbapi_connection: Any, *_: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET TimeZone = 'UTC'")

    def back(dbapi_connection: Any, *_: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("RESET TimeZone")

    event.listen(engine, "checkout", to_utc)
    event.listen(engine, "checkin", back)
    yield
    event.remove(engine, "checkout", to_utc)
    event.remove(engine, "checkin", back)


@pytest.mark.usefixtures("utc_server")
def test_times_are_shown_in_japan_time_on_a_utc_server(
    database_url: str, engine: Engine, committed_town: Town, run: Callable[..., Ran]
) -> None:
    assert run(database_url, "support", "build", "-m", CODE).returncode == 0
    switched = run(database_url, "support", "disaster-mode", "on", "--reason", "test", "-m", CODE)
    assert switched.returncode == 0, switched.stderr
    evening_utc = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # 05:00 on the 24th in Japan
    with Session(engine) as session, session.begin():
        session.execute(
            update(SupportListBuild)
            .where(SupportListBuild.municipality_code == CODE)
            .values(built_at=evening_utc)
        )
        session.execute(
            update(DisasterModeSwitch)
            .where(DisasterModeSwitch.municipality_code == CODE)
            .values(switched_at=evening_utc)
        )
    builds = run(database_url, "support", "builds", "-m", CODE)
    assert "2026-11-24 05:00" in builds.stdout and "日本時間" in builds.stdout
    status = run(database_url, "support", "disaster-mode", "status", "-m", CODE)
    assert "since 2026-11-24 05:00 JST" in status.stdout, status.stdout
