"""`sonae housing allocate` and `sonae livelihood notices` in this process, inside the test's
transaction (their unit of work is the test session, so nothing is committed)."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import typer
from livelihood.factory import issue_certificate, make_event, make_household
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from sonae.audit.models import AuditEntry
from sonae.cli import common
from sonae.cli import housing as housing_cli
from sonae.cli import livelihood as livelihood_cli
from sonae.damage.levels import DamageLevel
from sonae.event.models import DisasterEvent
from sonae.housing import runs, service, sites
from sonae.housing.models import HousingAllocationRun, SiteKind
from sonae.livelihood.table import LARGEST_HOUSEHOLD

app = typer.Typer()
app.add_typer(housing_cli.app, name="housing")
app.add_typer(livelihood_cli.app, name="livelihood")


@pytest.fixture
def cli(session: Session, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    @contextmanager
    def in_test_transaction() -> Iterator[Session]:
        yield session
        session.flush()

    for module in (housing_cli, livelihood_cli):
        monkeypatch.setattr(module, "unit_of_work", in_test_transaction)
    monkeypatch.setattr(common, "configure_logging", lambda **_: None)
    monkeypatch.setenv("COLUMNS", "250")
    return CliRunner()


def one_unit_two_applicants(
    session: Session, event: DisasterEvent, numbers: tuple[str, str]
) -> None:
    """A site of one ordinary unit, and two 全壊 households applying for it."""
    sites.add_site(
        session=session,
        municipality_code="122271",
        event_id=event.id,
        kind=SiteKind.built,
        name="北団地",
        units=1,
        barrier_free_units=0,
        created_by="hq",
    )
    for number in numbers:
        make_household(session, number, [date(1980, 1, 1)])
        issue_certificate(session, event, number, DamageLevel.total_collapse)
        service.receive(
            session=session,
            municipality_code="122271",
            event_id=event.id,
            household_number=number,
            applied_on=date(2024, 2, 1),
            cannot_secure_housing=True,
            received_by="clerk",
        )


def test_allocate_and_letters_from_the_command_line(
    cli: CliRunner, session: Session, tmp_path: Path
) -> None:
    event = make_event(session)
    one_unit_two_applicants(session, event, ("CL-1", "CL-2"))
    args = ["housing", "allocate", "--event", str(event.id), "--seed", "5", "-m", "122271"]
    result = cli.invoke(app, [*args, "--as-of", "2024-03-01"])
    assert result.exit_code == 0, result.output
    assert "1 of 2 allocated" in result.stderr
    assert "待機順位1" in result.stdout
    run = session.scalars(
        select(HousingAllocationRun).where(HousingAllocationRun.event_id == event.id)
    ).one()
    assert run.seed == 5
    audited = session.scalars(
        select(AuditEntry).where(AuditEntry.resource == f"allocation-run/{run.id}")
    ).one()  # the printout names households with welfare-derived reasons: a read, on record
    assert audited.action == "read" and audited.username.startswith("cli:")
    assert len(audited.person_ids) == 2  # CL-1's and CL-2's one member each

    letters = tmp_path / "letters.csv"
    args = ["livelihood", "notices", "--event", str(event.id), "--out", str(letters)]
    result = cli.invoke(app, [*args, "--as-of", "2024-03-01", "-m", "122271"])
    assert result.exit_code == 0, result.output
    assert "4 letters" in result.stderr  # 2 households × (basic, additional)
    assert letters.read_bytes().startswith(b"\xef\xbb\xbf")
    assert stat.S_IMODE(letters.stat().st_mode) == 0o600  # names and addresses: the owner's only

    missing = cli.invoke(app, ["housing", "allocate", "--event", "999999", "-m", "122271"])
    assert missing.exit_code == 2
    assert "event 999999 not found" in missing.stderr


def test_allocate_names_a_bad_as_of_and_prints_reasons_whole(
    cli: CliRunner, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """February 30th is refused naming --as-of; in a narrow terminal the reasons fold onto more
    lines instead of being cut with 「…」 (they are what the household is told)."""
    event = make_event(session)
    args = ["housing", "allocate", "--event", str(event.id), "--seed", "5", "-m", "122271"]
    bad = cli.invoke(app, [*args, "--as-of", "2026-02-30"])
    assert bad.exit_code == 2
    assert "'--as-of'" in bad.stderr and "day is out of range for month" in bad.stderr

    one_unit_two_applicants(session, event, ("CW-1", "CW-2"))
    monkeypatch.setenv("COLUMNS", "60")
    result = cli.invoke(app, [*args, "--as-of", "2024-03-01"])
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    rows = [line.split("│") for line in result.stdout.splitlines() if line.startswith("│")]
    printed = "".join(row[4].strip() for row in rows)
    run = session.scalars(
        select(HousingAllocationRun).where(HousingAllocationRun.event_id == event.id)
    ).one()
    for decision in runs.decisions(session=session, municipality_code="122271", run_id=run.id):
        assert decision.reason in printed


def test_the_estimate_refuses_repair_for_a_demolished_dwelling(cli: CliRunner) -> None:
    args = ["livelihood", "estimate", "--level", "demolition", "--size", "2"]
    refused = cli.invoke(app, [*args, "--plan", "repair"])
    assert refused.exit_code == 2
    assert "field 'plan': repair (補修) is not possible" in refused.stderr
    built = cli.invoke(app, [*args, "--plan", "build"])
    assert built.exit_code == 0, built.output
    assert "total 3,000,000" in built.stdout


def test_the_estimate_takes_the_household_sizes_the_api_takes(cli: CliRunner) -> None:
    args = ["livelihood", "estimate", "--level", "total_collapse", "--size"]
    largest = cli.invoke(app, [*args, str(LARGEST_HOUSEHOLD)])
    assert largest.exit_code == 0, largest.output
    assert "total 1,000,000" in largest.stdout
    too_many = cli.invoke(app, [*args, str(LARGEST_HOUSEHOLD + 1)])
    assert too_many.exit_code == 2
    assert "--size" in too_many.stderr
