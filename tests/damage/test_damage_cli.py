"""`sonae dwellings build`, `sonae damage criteria load|list` and `sonae damage rejudge`, run as an
operator would, against committed data in a municipality of its own (removed afterwards)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from damage.factory import make_event, make_household, survey_input
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from sonae.audit.models import AuditEntry
from sonae.damage.judging import DEFAULT_CRITERIA_FILE
from sonae.damage.levels import DamageLevel
from sonae.damage.models import DamageJudgement
from sonae.damage.service import record_survey
from sonae.dwelling.models import DwellingHousehold, StructureKind
from sonae.municipality import service as municipality_service
from sonae.municipality.models import Municipality

SONAE = str(Path(sys.executable).parent / "sonae")
CODE = "99998" + str(municipality_service.code_check_digit("99998"))


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SONAE_DATABASE_URL": database_url, "COLUMNS": "200"}
    return subprocess.run([SONAE, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def cli_town(engine: Engine) -> Iterator[tuple[int, list[str]]]:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        municipality_service.register(
            session=session, code=CODE, name="試験市", plane_rectangular_srid=6677
        )
        event = make_event(session, code=CODE)
        households = [
            make_household(session, code=CODE, address=address)[0]
            for address in ("試験市本町一丁目1番1号", "本町1丁目1-1", "試験市本町一丁目2番2号")
        ]
        event_id = event.id
    try:
        yield event_id, households
    finally:
        with Session(engine) as session, session.begin():
            session.execute(delete(Municipality).where(Municipality.code == CODE))


def test_build_survey_and_rejudge(
    database_url: str, engine: Engine, cli_town: tuple[int, list[str]], tmp_path: Path
) -> None:
    event_id, households = cli_town
    built = run(database_url, "dwellings", "build", "-m", CODE)
    assert built.returncode == 0, built.stderr
    assert "3 households" in built.stderr and "2 new address dwellings" in built.stderr

    loaded = run(database_url, "damage", "criteria", "load", "-m", CODE)
    assert loaded.returncode == 0, loaded.stderr
    assert "cao-2021" in loaded.stderr
    with Session(engine) as session, session.begin():
        dwelling_id = session.scalar(
            select(DwellingHousehold.dwelling_id).where(
                DwellingHousehold.municipality_code == CODE,
                DwellingHousehold.household_number == households[0],
            )
        )
        assert dwelling_id is not None
        record_survey(
            session=session,
            municipality_code=CODE,
            event_id=event_id,
            data=survey_input(dwelling_id, direct_ratio=47, structure=StructureKind.wooden),
            recorded_by="tester",
        )

    stricter = tmp_path / "stricter.toml"
    stricter.write_text(
        DEFAULT_CRITERIA_FILE.read_text(encoding="utf-8")
        .replace('version = "cao-2021"', 'version = "cli-test"')
        .replace("min_ratio = 50", "min_ratio = 45"),
        encoding="utf-8",
    )
    assert (
        run(database_url, "damage", "criteria", "load", str(stricter), "-m", CODE).returncode == 0
    )
    listed = run(database_url, "damage", "criteria", "list", "-m", CODE)
    assert "cao-2021" in listed.stderr and "cli-test" in listed.stderr

    unknown = run(
        database_url,
        "damage",
        "rejudge",
        "-m",
        CODE,
        "--event",
        str(event_id),
        "--version",
        "nope",
        "--reason",
        "x",
    )
    assert unknown.returncode == 2
    assert "nope is not loaded" in unknown.stderr

    done = run(
        database_url,
        "damage",
        "rejudge",
        "-m",
        CODE,
        "--event",
        str(event_id),
        "--version",
        "cli-test",
        "--reason",
        "運用指針の改定",
    )
    assert done.returncode == 0, done.stderr
    assert "1 dwellings re-judged" in done.stderr
    with Session(engine) as session:
        levels = list(
            session.scalars(
                select(DamageJudgement.level)
                .where(DamageJudgement.municipality_code == CODE)
                .order_by(DamageJudgement.id)
            )
        )
        assert levels == [DamageLevel.large_scale_half, DamageLevel.total_collapse]
        switched = session.scalars(
            select(AuditEntry).where(
                AuditEntry.municipality_code == CODE,
                AuditEntry.resource == f"event/{event_id}/criteria",
            )
        ).one()  # as the API's switch is: every judgement of the event changed, on record
        assert switched.action == "update" and switched.username.startswith("cli:")
        assert switched.detail == {"version": "cli-test", "rejudged": 1}
        assert (
            session.scalar(
                select(func.count())
                .select_from(DwellingHousehold)
                .where(DwellingHousehold.municipality_code == CODE)
            )
            == 3
        )
