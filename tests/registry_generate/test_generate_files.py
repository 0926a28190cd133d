"""Same seed, same bytes; cp932 holds every character; the layout is docs/registry_format.md's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from synthetic_registry import AS_OF, SEED, read_rows

from sonae.config import PROJECT_ROOT
from sonae.errors import InvalidInputError
from sonae.registry.generate.files import (
    CHANGE_COLUMNS,
    REGISTRY_COLUMNS,
    WELFARE_COLUMNS,
    write_csv,
)
from sonae.registry.generate.run import GenerateRequest, GenerateResult, generate

DOC = PROJECT_ROOT / "docs" / "registry_format.md"


def small(tmp_path: Path, name: str, seed: int = SEED, encoding: str = "cp932") -> GenerateResult:
    request = GenerateRequest(
        "urayasu",
        seed,
        AS_OF,
        encoding=encoding,
        out=tmp_path / f"{name}_registry.csv",
        welfare_out=tmp_path / f"{name}_welfare.csv",
        limit_chome=6,
    )
    return generate(request)


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    first, second = small(tmp_path, "a"), small(tmp_path, "b")
    assert first.registry.read_bytes() == second.registry.read_bytes()
    assert first.welfare.read_bytes() == second.welfare.read_bytes()
    other = small(tmp_path, "c", seed=SEED + 1)
    assert other.registry.read_bytes() != first.registry.read_bytes()


def test_whole_city_file_round_trips_through_cp932(urayasu: GenerateResult) -> None:
    for path in (urayasu.registry, urayasu.welfare):
        raw = path.read_bytes()
        assert raw.decode("cp932").encode("cp932") == raw
        assert raw.endswith(b"\r\n") and b"\r\n" in raw[:400]


def test_utf8_file_holds_the_same_text(tmp_path: Path) -> None:
    cp932, utf8 = small(tmp_path, "s"), small(tmp_path, "u", encoding="utf-8")
    assert cp932.registry.read_bytes().decode("cp932") == utf8.registry.read_bytes().decode()


def test_foreign_names_are_residence_card_ascii(registry_rows: list[dict[str, str]]) -> None:
    foreign = [row for row in registry_rows if row["住民種別"] == "外国人住民"]
    assert foreign, "the city has foreign residents"
    card = re.compile(r"^[A-Z][A-Z '\-]*$")
    for row in foreign:
        assert card.match(row["氏名（アルファベット）"]), row["氏名（アルファベット）"]
        assert row["氏名"].replace("\u3000", " ") == row["氏名（アルファベット）"]
        assert row["氏名"].count("\u3000") == 1
        assert row["国籍・地域"] and row["在留資格"]


def test_unencodable_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="U\\+AE40"):
        write_csv(tmp_path / "x.csv", ["氏名"], [["김"]], "cp932")
    assert not (tmp_path / "x.csv").exists()


def test_columns_are_those_of_the_format_document() -> None:
    registry, welfare = DOC.read_text().split("## Welfare file")

    def columns(text: str) -> tuple[str, ...]:
        names = re.findall(r"^\| (\S+) \| \w+ \|", text, re.MULTILINE)
        return tuple(name for name in names if name != "column")

    assert columns(registry) == CHANGE_COLUMNS
    assert CHANGE_COLUMNS[: len(REGISTRY_COLUMNS)] == REGISTRY_COLUMNS
    assert columns(welfare) == WELFARE_COLUMNS


def test_header_row(tmp_path: Path) -> None:
    result = small(tmp_path, "h")
    assert tuple(read_rows(result.registry)[0]) == REGISTRY_COLUMNS
    assert tuple(read_rows(result.welfare)[0]) == WELFARE_COLUMNS
