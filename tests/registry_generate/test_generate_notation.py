"""和暦 at era boundaries, numerals, residence-card names, and who heads a household next."""

from __future__ import annotations

from datetime import date

import pytest

from sonae.registry.dates import read_date
from sonae.registry.generate.notation import (
    SEIREKI_STYLES,
    WAREKI_STYLES,
    kanji_number,
    seireki,
    wareki,
)
from sonae.registry.generate.romanize import card_name, hangul
from sonae.registry.generate.succession import Member, successor


@pytest.mark.parametrize(
    ("day", "kanji", "abbreviated"),
    [
        (date(1926, 12, 24), "大正15年12月24日", "T15.12.24"),
        (date(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
        (date(1950, 3, 1), "昭和25年3月1日", "S25.3.1"),
        (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
        (date(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
        (date(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
        (date(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
        (date(2026, 11, 1), "令和8年11月1日", "R8.11.1"),
    ],
)
def test_wareki(day: date, kanji: str, abbreviated: str) -> None:
    ordinal = day.toordinal()
    assert wareki(ordinal) == kanji and wareki(ordinal, "abbreviated") == abbreviated
    for style in WAREKI_STYLES:
        assert read_date(wareki(ordinal, style)) == day
    for style in SEIREKI_STYLES:
        assert read_date(seireki(ordinal, style)) == day


def test_other_notations() -> None:
    assert wareki(date(1950, 3, 1).toordinal(), "fullwidth") == "昭和２５年３月１日"
    assert wareki(date(1950, 3, 1).toordinal(), "zero_padded") == "昭和25年03月01日"
    assert seireki(date(1990, 4, 1).toordinal(), "slash") == "1990/4/1"
    assert [kanji_number(n) for n in (1, 3, 10, 12, 20, 21)] == [
        "一",
        "三",
        "十",
        "十二",
        "二十",
        "二十一",
    ]


def test_residence_card_names() -> None:
    assert card_name("Nguyễn Văn Đức") == "NGUYEN VAN DUC"
    assert card_name("João da Conceição") == "JOAO DA CONCEICAO"
    assert card_name("김") == "KIM" and hangul("민준") == "MINJUN" and hangul("서연") == "SEOYEON"
    for name in ("NGUYEN VAN DUC", "KIM", "O'BRIEN"):
        name.encode("cp932")


def test_widow_takes_over_and_relations_follow() -> None:
    family = [
        Member("世帯主", 80, True),
        Member("妻", 77, False),
        Member("子", 50, True),
        Member("子の妻", 48, False),
        Member("孫", 20, False),
        Member("母", 101, False),
    ]
    assert successor(family, 0) == {1: "世帯主", 2: "子", 3: "子の妻", 4: "孫", 5: "夫の母"}


def test_eldest_child_takes_over_without_a_spouse() -> None:
    family = [
        Member("世帯主", 90, False),
        Member("子", 62, True),
        Member("子", 64, False),
        Member("子の妻", 60, False),
    ]
    assert successor(family, 0) == {2: "世帯主", 1: "弟", 3: "縁故者"}
    assert successor([Member("世帯主", 70, True)], 0) == {}
