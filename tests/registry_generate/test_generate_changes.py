"""A month of changes that fits its base registry: who dies existed, who arrives is new."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from synthetic_registry import MONTH, m11w27_by_the_book

from sonae.errors import InvalidInputError
from sonae.registry.dates import read_date
from sonae.registry.generate.changes import (
    ChangeRequest,
    ChangeResult,
    generate_changes,
    parse_month,
)
from sonae.registry.generate.rates import Rates
from sonae.registry.generate.run import GenerateRequest, generate
from sonae.security.my_number import is_valid

Row = dict[str, str]
FIRST, LAST = date(2026, 12, 1), date(2026, 12, 31)


def by_change(rows: list[Row], change: str) -> list[Row]:
    return [row for row in rows if row["異動事由"] == change]


def within(count: int, n: int, p: float, slack: int = 0) -> bool:
    """4.75 binomial standard errors (as in test_generate_welfare), plus `slack` for whole
    households filling a count."""
    return abs(count - n * p) <= 4.75 * math.sqrt(n * p * (1 - p)) + slack


def test_events_refer_to_people_of_the_base(
    registry_rows: list[Row], change_rows: list[Row]
) -> None:
    base = {row["宛名番号"]: row for row in registry_rows}
    for change, status in (("死亡", "死亡"), ("転居", "住民"), ("世帯変更", "住民")):
        for row in by_change(change_rows, change):
            assert row["宛名番号"] in base and row["住民状態"] == status, change
            assert row["個人番号"] == base[row["宛名番号"]]["個人番号"]
    moved_out = by_change(change_rows, "転出")
    assert all(r["宛名番号"] in base and r["住民状態"] == "転出" for r in moved_out)


def test_new_people_have_new_valid_numbers(
    registry_rows: list[Row], change_rows: list[Row]
) -> None:
    base_numbers = {row["宛名番号"] for row in registry_rows}
    base_personal = {row["個人番号"] for row in registry_rows}
    returned = returner(change_rows)
    new = [
        r for r in change_rows if r["異動事由"] in ("転入", "出生") and r["宛名番号"] != returned
    ]
    assert new
    for row in new:
        assert row["宛名番号"] not in base_numbers and m11w27_by_the_book(row["宛名番号"])
        assert m11w27_by_the_book(row["世帯番号"]) and is_valid(row["個人番号"])
        assert row["個人番号"] not in base_personal
    assert len({r["宛名番号"] for r in new}) == len(new)
    assert len({r["個人番号"] for r in new}) == len(new)


def returner(change_rows: list[Row]) -> str:
    counts = Counter(row["宛名番号"] for row in change_rows)
    twice = [number for number, count in counts.items() if count == 2]
    assert len(twice) == 1, "exactly one person moves out and back"
    return twice[0]


def test_out_and_back_keeps_the_address_number(change_rows: list[Row]) -> None:
    number = returner(change_rows)
    out, back = [row for row in change_rows if row["宛名番号"] == number]
    assert (out["異動事由"], back["異動事由"]) == ("転出", "転入")
    assert read_date(out["異動日"]) < read_date(back["異動日"])
    assert out["個人番号"] == back["個人番号"] and out["世帯番号"] != back["世帯番号"]
    assert back["住民となった年月日"] == back["異動日"]


def test_births(registry_rows: list[Row], change_rows: list[Row]) -> None:
    households = {row["世帯番号"] for row in registry_rows}
    for row in by_change(change_rows, "出生"):
        born = read_date(row["生年月日"])
        assert FIRST <= born <= LAST and row["住民となった年月日"] == row["生年月日"]
        assert row["世帯番号"] in households and row["続柄"] in ("子", "孫")


def test_every_change_falls_in_the_month_in_order(change_rows: list[Row]) -> None:
    days = [read_date(row["異動日"]) for row in change_rows]
    assert all(FIRST <= day <= LAST for day in days) and days == sorted(days)


def test_a_person_has_one_event_only(change_rows: list[Row]) -> None:
    counts = Counter(row["宛名番号"] for row in change_rows)
    assert set(counts.values()) <= {1, 2} and list(counts.values()).count(2) == 1


def test_counts_at_the_monthly_rates(
    registry_rows: list[Row], changes: ChangeResult, rates: Rates
) -> None:
    n, c = len(registry_rows), rates.changes
    assert within(changes.counts["死亡"], n, c.deaths_per_year / 12)
    assert within(changes.counts["出生"], n, c.births_per_year / 12)
    # moves are counted in people and filled by whole households (and one person comes back)
    assert within(changes.counts["転入"], n, c.move_in, slack=10)
    assert within(changes.counts["転出"], n, c.move_out, slack=10)


def test_a_dead_head_gets_a_successor(registry_rows: list[Row], change_rows: list[Row]) -> None:
    size = Counter(row["世帯番号"] for row in registry_rows)
    gone = {r["世帯番号"] for r in by_change(change_rows, "死亡") if r["続柄"] == "世帯主"}
    gone = {h for h in gone if size[h] > 1}
    new_heads = {r["世帯番号"] for r in by_change(change_rows, "世帯変更") if r["続柄"] == "世帯主"}
    assert gone and gone <= new_heads


def test_moves_within_the_city_set_the_address_date(change_rows: list[Row]) -> None:
    for row in by_change(change_rows, "転居"):
        assert row["住所を定めた年月日"] == row["異動日"]


def test_month_must_be_a_month() -> None:
    assert parse_month("2027-02").last == date(2027, 2, 28)
    with pytest.raises(InvalidInputError):
        parse_month("2026-13")


def test_same_seed_same_change_file(tmp_path: Path) -> None:
    base = generate(
        GenerateRequest(
            "urayasu", 5, out=tmp_path / "r.csv", welfare_out=tmp_path / "w.csv", limit_chome=4
        )
    ).registry
    first, second = (
        generate_changes(
            ChangeRequest(base, 5, MONTH, out=tmp_path / f"{name}.csv", include_return=True)
        ).path
        for name in ("a", "b")
    )
    assert first.read_bytes() == second.read_bytes()


def test_a_base_with_an_impossible_birth_date_is_refused_naming_the_row_not_the_date(
    tmp_path: Path,
) -> None:
    base = generate(
        GenerateRequest(
            "urayasu", 5, out=tmp_path / "r.csv", welfare_out=tmp_path / "w.csv", limit_chome=2
        )
    ).registry
    lines = base.read_bytes().decode("cp932").split("\r\n")
    header, second = lines[0].split(","), lines[2].split(",")
    second[header.index("生年月日")] = "平成32年1月1日"
    lines[2] = ",".join(second)
    base.write_bytes("\r\n".join(lines).encode("cp932"))
    with pytest.raises(InvalidInputError) as refused:
        generate_changes(ChangeRequest(base, 5, MONTH, out=tmp_path / "c.csv"))
    assert "生年月日 on data row 2: 平成 ended on 2019-04-30" in str(refused.value)
    assert "平成32" not in str(refused.value)
