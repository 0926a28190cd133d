"""What the CLI shows when our own code raises a file error with a message of its own, and the
mode of the personal-data files it writes."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import typer
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from sonae.cli import common
from sonae.cli import dashboard as dashboard_cli
from sonae.dashboard import export as dashboard_export
from sonae.private_files import write_private


def test_png_export_without_chromium_says_so(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was `error: file not found`: the FileNotFoundError had a message and no file name."""

    @contextmanager
    def in_test_transaction() -> Iterator[Session]:
        yield session

    monkeypatch.setattr(dashboard_cli, "unit_of_work", in_test_transaction)
    monkeypatch.setattr(dashboard_export, "export_html", lambda **_: "<html></html>")
    monkeypatch.setattr(dashboard_export, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(common, "configure_logging", lambda **_: None)
    app = typer.Typer()
    app.add_typer(dashboard_cli.app, name="dashboard")
    args = ["dashboard", "export", "--format", "png", "--out", str(tmp_path / "d.png")]
    result = CliRunner().invoke(app, [*args, "-m", "122271"])
    assert result.exit_code == 2, result.output
    assert "error: PNG export needs Chromium: apt-get install chromium" in result.stderr
    assert "file not found" not in result.stderr


def test_a_missing_file_the_os_reports_is_still_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "configure_logging", lambda **_: None)

    @common.friendly_errors
    def read() -> None:
        Path("/nonexistent/sonae.csv").read_bytes()

    with pytest.raises(typer.Exit):
        read()
    try:
        Path("/nonexistent/sonae.csv").read_bytes()
    except FileNotFoundError as exc:
        assert common._file_problem(exc) == "/nonexistent/sonae.csv: file not found"


def test_personal_data_files_are_the_owners_only(tmp_path: Path) -> None:
    fresh, existing = tmp_path / "letters.csv", tmp_path / "old.csv"
    existing.write_bytes(b"old")
    os.chmod(existing, 0o644)
    for path in (fresh, existing):
        write_private(path, b"\xef\xbb\xbfdata")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes() == b"\xef\xbb\xbfdata"


def test_a_database_error_is_shown_without_the_values_it_was_sent(
    session: Session, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "configure_logging", lambda **_: None)

    @common.friendly_errors
    def overflow() -> None:
        with session.begin_nested():
            session.execute(
                text("SELECT CAST(:amount AS integer), CAST(:note AS text)"),
                {"amount": 3_000_000_000, "note": "伊藤美加子様 見舞金"},
            )

    with pytest.raises(typer.Exit) as exited:
        overflow()
    assert exited.value.exit_code == 1
    shown = capsys.readouterr().err
    assert "NumericValueOutOfRange (SQLSTATE 22003)" in shown
    assert "伊藤" not in shown and "3000000000" not in shown
