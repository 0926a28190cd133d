"""`sonae registry generate` and `generate-changes` as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from synthetic_registry import read_rows

SONAE = str(Path(sys.executable).parent / "sonae")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([SONAE, *args], capture_output=True, text=True, env=env, timeout=120)


def test_generate_then_a_month_of_changes(tmp_path: Path) -> None:
    registry, welfare = tmp_path / "r.csv", tmp_path / "w.csv"
    done = run(
        "registry",
        "generate",
        "--city",
        "urayasu",
        "--seed",
        "3",
        "--limit-chome",
        "3",
        "--out",
        str(registry),
        "--welfare-out",
        str(welfare),
    )
    assert done.returncode == 0, done.stderr
    assert "people in" in done.stderr and registry.is_file() and welfare.is_file()
    changes = tmp_path / "c.csv"
    done = run(
        "registry",
        "generate-changes",
        "--base",
        str(registry),
        "--seed",
        "3",
        "--month",
        "2026-12",
        "--include-return",
        "--out",
        str(changes),
    )
    assert done.returncode == 0, done.stderr
    rows = read_rows(changes)
    assert rows and {"転出", "転入"} <= {row["異動事由"] for row in rows}


def test_numazu_is_refused_plainly(tmp_path: Path) -> None:
    done = run(
        "registry", "generate", "--city", "numazu", "--seed", "1", "--out", str(tmp_path / "r.csv")
    )
    assert done.returncode == 2
    assert "census" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "r.csv").exists()
