"""People who make sense: ages, 続柄, names, addresses and dates that agree with each other."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
from synthetic_registry import AS_OF

from sonae.config import PROJECT_ROOT
from sonae.registry.dates import parse_date_column
from sonae.registry.generate.ages import exact_ages
from sonae.registry.generate.notation import kanji_number
from sonae.registry.generate.rates import Rates
from sonae.registry.generate.run import GenerateResult

Row = dict[str, str]
HEAD = "世帯主"
OWN_SURNAME = {"同居人", "妻の父", "妻の母"}


def households(rows: list[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row["世帯番号"]].append(row)
    return grouped


def ages(rows: list[Row]) -> dict[str, int]:
    """Age on AS_OF by 宛名番号, the birth dates parsed as one column."""
    births = dates(rows, "生年月日").astype(object)
    return {
        row["宛名番号"]: AS_OF.year - b.year - ((AS_OF.month, AS_OF.day) < (b.month, b.day))
        for row, b in zip(rows, births, strict=True)
    }


def test_ageing_rate_in_the_documented_band(urayasu: GenerateResult, rates: Rates) -> None:
    """2020 census: 28.6 % aged 65+; the band is in welfare_rates.toml [age_structure]."""
    ages = exact_ages(urayasu.population.birth, AS_OF)
    low, high = rates.ageing_band
    assert low <= float((ages >= 65).mean()) <= high
    assert 0.09 <= float((ages < 15).mean()) <= 0.14


def test_elderly_households_at_plausible_rates(urayasu: GenerateResult) -> None:
    """Census 2020: 65+ living alone 12.1 % of households; all members 65+ about a quarter."""
    population = urayasu.population
    youngest = np.full(population.size.size, 999)
    np.minimum.at(youngest, population.members.household, population.age)
    alone = (youngest >= 65) & (population.size == 1)
    assert 0.09 <= float(alone.mean()) <= 0.16
    assert 0.18 <= float((youngest >= 65).mean()) <= 0.30


def test_relations_agree_with_ages(registry_rows: list[Row]) -> None:
    aged = ages(registry_rows)

    def age(row: Row) -> int:
        return aged[row["宛名番号"]]

    for members in households(registry_rows).values():
        head = members[0]
        assert head["続柄"] == HEAD and [m["続柄"] for m in members].count(HEAD) == 1
        head_age = age(head)
        for member in members[1:]:
            relation, years = member["続柄"], age(member)
            if relation == "子":
                assert years <= head_age - 15, (relation, years, head_age)
            elif relation == "孫":
                assert years <= head_age - 30, (relation, years, head_age)
            elif relation in ("父", "母", "妻の父", "妻の母", "夫の父", "夫の母"):
                assert years >= head_age + 15, (relation, years, head_age)
            elif relation in ("妻", "夫"):
                assert years >= 18 and member["性別"] != head["性別"]


def test_household_shares_surname_and_address(registry_rows: list[Row]) -> None:
    for members in households(registry_rows).values():
        head = members[0]
        assert {(m["住所"], m["方書"]) for m in members} == {(head["住所"], head["方書"])}
        if head["住民種別"] == "外国人住民":
            continue
        surname, kana = head["氏名"].split("\u3000")[0], head["氏名フリガナ"].split("\u3000")[0]
        for member in members:
            if member["続柄"] not in OWN_SURNAME:
                assert member["氏名"].startswith(surname + "\u3000")
                assert member["氏名フリガナ"].startswith(kana + "\u3000")


def test_kana_is_katakana(registry_rows: list[Row]) -> None:
    katakana = re.compile(r"^[\u30a0-\u30ff]+\u3000[\u30a0-\u30ff]+$")
    japanese = [r for r in registry_rows if r["住民種別"] == "日本人住民"]
    assert all(katakana.match(r["氏名フリガナ"]) for r in japanese)


def test_dates_of_moves_are_ordered(registry_rows: list[Row]) -> None:
    law = date(2012, 7, 9)  # 外国人住民 entered the registry
    # Parsed by column: one read_date per cell takes about a millisecond (a whole Arrow pass).
    birth, became, since = (dates(registry_rows, name) for name in DATE_COLUMNS)
    assert all(birth <= became) and all(became <= since) and all(since <= AS_OF)
    foreign = np.array([row["住民種別"] == "外国人住民" for row in registry_rows])
    assert all((became >= law) | (became == birth) | ~foreign)


DATE_COLUMNS = ("生年月日", "住民となった年月日", "住所を定めた年月日")


def dates(rows: list[Row], name: str) -> np.ndarray[Any, np.dtype[Any]]:
    """The column's dates (datetime64[D]); every cell must be one."""
    parsed = parse_date_column(pa.array([row[name] for row in rows], pa.string()))
    assert not parsed.errors, (name, list(parsed.errors))
    return parsed.values.to_numpy(zero_copy_only=False).astype("datetime64[D]")


def test_date_notations(registry_rows: list[Row]) -> None:
    births = [row["生年月日"] for row in registry_rows]
    japanese = [r["生年月日"] for r in registry_rows if r["住民種別"] == "日本人住民"]
    foreign = [r["生年月日"] for r in registry_rows if r["住民種別"] == "外国人住民"]
    assert all(re.match(r"^(明治|大正|昭和|平成|令和|[MTSHR]\d)", b) for b in japanese)
    assert all(re.match(r"^\d{4}[-/]", b) for b in foreign)
    for pattern in (
        r"^昭和\d+年\d+月\d+日$",
        r"^S\d+\.\d+\.\d+$",
        r"元年",
        r"^昭和[０-９]+年",
        r"年0\d月",
    ):
        assert any(re.search(pattern, b) for b in births), pattern


def test_address_notations(registry_rows: list[Row]) -> None:
    addresses = {row["住所"] for row in registry_rows}
    for pattern in (
        r"一丁目",
        r"[^０-９]1丁目",
        r"１丁目",
        r"\d-\d+-\d+$",
        r"[０-９]－[０-９]",
        r"番地の\d",
        r"番\d+号$",
        r"^浦安市",
        r"^千葉県浦安市",
    ):
        assert any(re.search(pattern, a) for a in addresses), pattern
    annexes = [row["方書"] for row in registry_rows if row["方書"]]
    assert any(a.endswith("号室") for a in annexes) and any(
        a.endswith("ケアセンター") or a.endswith("苑") for a in annexes
    )


def test_every_chome_name_exists_in_the_town_points(registry_rows: list[Row]) -> None:
    """The kanji form (当代島一丁目) is what the chome polygons and town points use."""
    with (PROJECT_ROOT / "data/cities/urayasu/town_points.csv").open(encoding="utf-8") as f:
        towns = {row["town"] for row in csv.DictReader(f)}
    pattern = re.compile(r"^(?:千葉県)?(?:浦安市)?(\D+?)([0-9０-９]+)丁目")
    for row in registry_rows:
        match = pattern.match(row["住所"])
        if match:
            number = int(unicodedata.normalize("NFKC", match[2]))
            assert f"{match[1]}{kanji_number(number)}丁目" in towns, row["住所"]


def test_foreign_share_near_the_configured_one(urayasu: GenerateResult, rates: Rates) -> None:
    """Whole households are added until the share is reached: over it by less than a household."""
    foreign = float(urayasu.population.foreign.mean())
    assert rates.foreign.share <= foreign <= rates.foreign.share + 10 / urayasu.people
