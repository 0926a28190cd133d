"""Address normalisation and matching, on hand-made variants and on Urayasu's real chome."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from registry_rows import URAYASU, Importer, address_number, resident, write_rows
from sonae.registry.geocode import (
    EMPTY,
    NO_CHOME_GIVEN,
    NO_SUCH_CHOME,
    NO_TOWN,
    Gazetteer,
    Target,
    geocode_column,
    load_gazetteer,
)
from sonae.registry.models import GeocodeStatus
from sonae.registry.normalise import kanji_to_int, normalise_address, normalise_town


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("千葉県浦安市当代島一丁目2番3号", "当代島1丁目2-3"),
        ("当代島1丁目2番地3", "当代島1丁目2-3"),
        ("当代島１丁目２番地の３", "当代島1丁目2-3"),
        ("当代島１－２－３", "当代島1-2-3"),
        ("当代島1‐2‐3", "当代島1-2-3"),
        ("当代島1ー2ー3", "当代島1-2-3"),
        ("浦安市 当代島 一丁目 二番 三号", "当代島1丁目2-3"),
        ("当代島十二丁目二十三番地", "当代島12丁目23"),
        ("髙洲二丁目", "高洲2丁目"),
        ("兵庫県西宮市獅子ヶ口町5番10号", "獅子ケ口町5-10"),
        ("西宮市苦楽園一番町3-5", "苦楽園1番町3-5"),
    ],
)
def test_notation_variants_become_one_spelling(written: str, canonical: str) -> None:
    assert normalise_address(written, ["浦安市", "西宮市"]) == canonical


def test_kanji_numerals() -> None:
    assert [kanji_to_int(k) for k in ("一", "十", "十二", "二十三", "百五", "一〇")] == [
        1,
        10,
        12,
        23,
        105,
        10,
    ]


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def kanji(n: int) -> str:
    return "〇一二三四五六七八九十"[n] if n <= 10 else "十" + "〇一二三四五六七八九"[n - 10]


def written_forms(name: str) -> list[str]:
    """Notations of an address in the chome named `name` (当代島一丁目 or 港)."""
    found = re.fullmatch(r"(.+?)([一二三四五六七八九十]+)丁目", name)
    if not found:
        return [f"{name}1番地2", f"浦安市{name}１－２", f"千葉県浦安市{name}1-2"]
    town, number = found[1], kanji_to_int(found[2])
    return [
        f"{name}2番3号",
        f"浦安市{town}{number}丁目2番地3",
        f"{town}{str(number).translate(FULL_WIDTH)}－２－３",
        f"千葉県浦安市{town}{number}-2-3",
        f"{town} {kanji(number)}丁目 2-3",
    ]


def test_every_urayasu_chome_is_found_in_every_notation(session: Session) -> None:
    gazetteer = load_gazetteer(session=session, municipality_code=URAYASU)
    chome = session.execute(
        text("SELECT key_code, name FROM chome WHERE municipality_code = :c"), {"c": URAYASU}
    ).all()
    assert len(chome) == 83
    for key_code, name in chome:
        for address in written_forms(name):
            match = gazetteer.match(address)
            assert match.target is not None, (address, match.note)
            assert match.target.chome_key_code == key_code, address
            assert match.target.status is GeocodeStatus.address_point


@pytest.mark.parametrize(
    ("address", "key_code"),
    [
        ("浦安市舞浜1番地1", "12227014001"),  # 舞浜 has no 一丁目: the 1 is a 番地
        ("浦安市舞浜2-11-1", "12227014002"),
        ("舞浜三丁目5番", "12227014003"),
        ("髙洲一丁目1番1号", "12227017001"),
        ("大字当代島一丁目1", "12227001001"),
    ],
)
def test_urayasu_special_cases(session: Session, address: str, key_code: str) -> None:
    match = load_gazetteer(session=session, municipality_code=URAYASU).match(address)
    assert match.target is not None and match.target.chome_key_code == key_code


@pytest.mark.parametrize(
    ("address", "note"),
    [
        ("浦安市", EMPTY),
        ("浦安市存在町1-2-3", NO_TOWN),
        ("市川市八幡1-2-3", NO_TOWN),
        ("当代島南1丁目2", NO_TOWN),
        ("当代島2番3号", NO_CHOME_GIVEN),
        ("当代島", NO_CHOME_GIVEN),
        ("当代島九丁目1-1", NO_SUCH_CHOME),
        ("当代島9-1-1", NO_SUCH_CHOME),
    ],
)
def test_unmatched_addresses_say_why(session: Session, address: str, note: str) -> None:
    match = load_gazetteer(session=session, municipality_code=URAYASU).match(address)
    assert (match.target, match.note) == (None, note)


def nishinomiya_like() -> Gazetteer:
    gazetteer = Gazetteer(["西宮市"])
    for number, name in enumerate(
        ["苦楽園一番町", "苦楽園二番町", "鷲林寺字剣谷", "獅子ケ口町", "鷲林寺１丁目", "越水町"]
    ):
        target = Target(GeocodeStatus.chome, f"K{number}", 135.0, 34.0)
        gazetteer.add(normalise_town(name), target)
        if "字" in name:
            gazetteer.add(normalise_town(name.replace("字", "")), target)
    return gazetteer


@pytest.mark.parametrize(
    ("address", "key_code"),
    [
        ("西宮市苦楽園1番町3-5", "K0"),
        ("苦楽園二番町3番5号", "K1"),
        ("鷲林寺剣谷10", "K2"),
        ("鷲林寺字剣谷10番地", "K2"),
        ("獅子ヶ口町5番10号", "K3"),
        ("鷲林寺一丁目2-3", "K4"),
        ("越水町１５－２２", "K5"),
    ],
)
def test_town_names_with_numerals_koaza_and_small_ke(address: str, key_code: str) -> None:
    match = nishinomiya_like().match(address)
    assert match.target is not None and match.target.chome_key_code == key_code, match.note


def test_a_column_is_matched_once_per_distinct_town_part(session: Session) -> None:
    gazetteer = load_gazetteer(session=session, municipality_code=URAYASU)
    column = pa.array(
        ["当代島一丁目2番3号", "当代島1-9-9", "存在町1", "当代島１丁目１０番", "港1番地"]
    )
    result = geocode_column(gazetteer, column)
    assert result.chome_key_code.to_pylist() == [
        "12227001001",
        "12227001001",
        None,
        "12227001001",
        "122270180",
    ]
    assert result.status.to_pylist()[2] == "unmatched"
    assert result.note.to_pylist()[2] == NO_TOWN
    assert result.matched == 4
    assert result.location.to_pylist()[0].hex().startswith("01010000200c1a0000")  # SRID 6668


def test_an_import_reports_its_match_rate_and_every_unmatched_line(
    tmp_path: Path, run_import: Importer
) -> None:
    addresses = [
        "千葉県浦安市当代島一丁目2番3号",
        "浦安市北栄２－１－１",
        "髙洲10-1-1",
        "猫実五丁目5番地の5",
        "舞浜1番地1",
        "浦安市存在町1-2",
        "当代島5番7号",
    ]
    rows = [resident(n, 住所=a) for n, a in enumerate(addresses, start=1)]
    result = run_import(write_rows(tmp_path / "r.csv", rows))
    assert result.geocoded == {"address_point": 4, "chome": 0, "unmatched": 3}
    assert round(result.match_rate, 3) == round(4 / 7, 3)
    unmatched = [(r.line, r.address_number, r.reason) for r in result.report]
    assert unmatched == [
        (4, address_number(3), f"address not placed: {NO_SUCH_CHOME}"),
        (7, address_number(6), f"address not placed: {NO_TOWN}"),
        (8, address_number(7), f"address not placed: {NO_CHOME_GIVEN}"),
    ]
    assert all("髙洲" not in r.reason and "存在町" not in r.reason for r in result.report)
