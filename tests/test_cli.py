"""The sonae command as an operator uses it: exit codes, messages, and all-or-nothing imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from sonae.cli import common, main
from sonae.municipality.models import Municipality
from sonae.shelter.models import Shelter

SONAE = str(Path(sys.executable).parent / "sonae")
CODE = "131016"


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SONAE_DATABASE_URL": database_url, "COLUMNS": "200"}
    return subprocess.run([SONAE, *args], capture_output=True, text=True, env=env, timeout=120)


def write_geojson(path: Path, features: list[tuple[dict[str, str], list[float]]]) -> Path:
    body = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": xy},
            }
            for props, xy in features
        ],
    }
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def tiny_city(database_url: str, engine: Engine, tmp_path: Path) -> Iterator[str]:
    """A committed test municipality (the CLI commits), removed afterwards."""
    outline = tmp_path / "outline.geojson"
    outline.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [
                                [
                                    [139.7, 35.6],
                                    [139.8, 35.6],
                                    [139.8, 35.7],
                                    [139.7, 35.7],
                                    [139.7, 35.6],
                                ]
                            ],
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    result = run(
        database_url,
        "import",
        "outline",
        str(outline),
        "-m",
        CODE,
        "--name",
        "テスト区",
        "--plane-srid",
        "6677",
    )
    assert result.returncode == 0, result.stderr
    yield CODE
    with Session(engine) as db:
        db.execute(delete(Municipality).where(Municipality.code == CODE))
        db.commit()


def shelter_count(engine: Engine) -> int:
    with Session(engine) as db:
        return (
            db.scalar(
                select(func.count()).select_from(Shelter).where(Shelter.municipality_code == CODE)
            )
            or 0
        )


def site(n: int) -> dict[str, str]:
    return {
        "共通ID": f"X{n}",
        "施設・場所名": f"避難場所{n}",
        "住所": "テスト区1-1",
        "津波": "1",
        "洪水": "",
    }


def test_missing_column_names_the_file_and_the_column_and_writes_nothing(
    database_url: str, engine: Engine, tiny_city: str, tmp_path: Path
) -> None:
    props = {"共通ID": "X1", "住所": "テスト区1-1"}
    bad = write_geojson(tmp_path / "no_name.geojson", [(props, [139.75, 35.65])])
    result = run(
        database_url, "import", "shelters", str(bad), "-m", CODE, "--kind", "emergency_site"
    )
    assert result.returncode == 2
    assert "no_name.geojson" in result.stderr and "施設・場所名" in result.stderr
    assert "Traceback" not in result.stderr
    assert shelter_count(engine) == 0


def test_one_feature_outside_the_city_rejects_the_whole_file(
    database_url: str, engine: Engine, tiny_city: str, tmp_path: Path
) -> None:
    bad = write_geojson(
        tmp_path / "sites.geojson", [(site(1), [139.75, 35.65]), (site(2), [140.5, 35.65])]
    )
    result = run(
        database_url, "import", "shelters", str(bad), "-m", CODE, "--kind", "emergency_site"
    )
    assert result.returncode == 2
    assert (
        "sites.geojson" in result.stderr
        and "feature 2" in result.stderr
        and "outside" in result.stderr
    )
    assert shelter_count(engine) == 0


def test_csv_without_crs_needs_one_and_then_imports_once_however_often_run(
    database_url: str, engine: Engine, tiny_city: str, tmp_path: Path
) -> None:
    good = tmp_path / "sites.csv"
    rows = [
        site(1) | {"経度": "139.75", "緯度": "35.65"},
        site(2) | {"経度": "139.71", "緯度": "35.61"},
    ]
    good.write_text(
        ",".join(rows[0]) + "\n" + "\n".join(",".join(r.values()) for r in rows) + "\n",
        encoding="cp932",
    )
    args = [
        "import",
        "shelters",
        str(good),
        "-m",
        CODE,
        "--kind",
        "emergency_site",
        "--x-column",
        "経度",
        "--y-column",
        "緯度",
    ]
    refused = run(database_url, *args)
    assert (
        refused.returncode == 2
        and "sites.csv" in refused.stderr
        and "unknown CRS" in refused.stderr
    )
    for _ in range(2):
        result = run(database_url, *args, "--crs", "EPSG:6668")
        assert result.returncode == 0, result.stderr
    assert shelter_count(engine) == 2
    with Session(engine) as db:
        tsunami = db.scalars(select(Shelter.tsunami).where(Shelter.municipality_code == CODE)).all()
    assert tsunami == [True, True]


def test_unknown_municipality_code_is_refused_with_the_reason(
    database_url: str, tmp_path: Path
) -> None:
    result = run(
        database_url,
        "import",
        "outline",
        str(tmp_path / "x.geojson"),
        "-m",
        "122272",
        "--name",
        "x",
        "--plane-srid",
        "6677",
    )
    assert result.returncode == 2
    assert "122272" in result.stderr and "check digit" in result.stderr


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (["registry", "import"], []),
        (["welfare", "import"], []),
        (["support", "consent", "import"], ["--scope", "list_sharing"]),
        (["capacity-rules"], []),
    ],
)
@pytest.mark.parametrize(
    ("name", "problem"), [("absent.csv", "file not found"), ("folder", "is a directory")]
)
def test_a_file_that_cannot_be_read_is_named_without_a_traceback(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str],
    options: list[str], name: str, problem: str,
) -> None:  # fmt: skip
    # In this process (CliRunner): starting `sonae` for each case costs seconds.
    monkeypatch.setattr(common, "get_engine", lambda: engine)
    monkeypatch.setattr(common, "configure_logging", lambda **_: None)
    monkeypatch.setenv("COLUMNS", "500")
    (tmp_path / "folder").mkdir()
    path = tmp_path / name
    urayasu = "122271"  # registered in every test database; a refused file writes nothing
    result = CliRunner().invoke(main.app, [*command, str(path), *options, "-m", urayasu])
    assert result.exit_code == 2, (result.output, result.exception)
    assert f"error: {path}: {problem}" in result.stderr
    assert "Traceback" not in result.output
