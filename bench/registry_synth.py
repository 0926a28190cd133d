"""A synthetic registry file in the documented layout (docs/registry_format.md), fast.

Used by bench_registry_import.py when `sonae registry generate` is not available. Names are
drawn from short fixed lists (no real person), one row per census resident of each chome, with
the address notation variants registry systems really write.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HEADER = [
    "宛名番号",
    "世帯番号",
    "住民種別",
    "住民状態",
    "氏名",
    "氏名フリガナ",
    "氏名（アルファベット）",
    "旧氏",
    "生年月日",
    "性別",
    "続柄",
    "住所",
    "方書",
    "個人番号",
    "住民票コード",
    "住民となった年月日",
    "住所を定めた年月日",
    "国籍・地域",
    "在留資格",
]

FAMILY = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ")]
FAMILY += [("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ")]
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("翔", "ショウ"), ("陽菜", "ヒナ")]
GIVEN += [("健一", "ケンイチ"), ("美咲", "ミサキ"), ("大輔", "ダイスケ"), ("結衣", "ユイ")]
KANJI_DIGITS = "〇一二三四五六七八九"
ERAS = [("昭和", "S", 1926), ("平成", "H", 1989), ("令和", "R", 2019)]


def m11(serial: int) -> str:
    """9-digit serial + M11W2-7 check digit."""
    digits = f"{serial:09d}"
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(digits)))
    remainder = total % 11
    return digits + str(0 if remainder <= 1 else 11 - remainder)


def my_number(first_eleven: int) -> str:
    digits = f"{first_eleven:011d}"
    total = sum(int(d) * (n + 1 if n <= 6 else n - 5) for n, d in enumerate(reversed(digits), 1))
    remainder = total % 11
    return digits + str(0 if remainder <= 1 else 11 - remainder)


def kanji_number(n: int) -> str:
    if n < 10:
        return KANJI_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KANJI_DIGITS[tens]) + "十" + (KANJI_DIGITS[ones] if ones else "")


def wareki(year: int, month: int, day: int, style: int) -> str:
    era, letter, start = next(e for e in reversed(ERAS) if (year, month, day) >= _start(e[2]))
    number = year - start + 1
    if style == 0:
        return f"{era}{'元' if number == 1 else number}年{month}月{day}日"
    return f"{letter}{number}.{month}.{day}"


def _start(year: int) -> tuple[int, int, int]:
    return {1926: (1926, 12, 25), 1989: (1989, 1, 8), 2019: (2019, 5, 1)}[year]


def chome_list(census_csv: Path) -> list[tuple[str, int]]:
    with census_csv.open(encoding="utf-8") as handle:
        rows = [
            (r["MOJI"], int(r["JINKO"]))
            for r in csv.DictReader(handle)
            if r["HCODE"] != "8154" and r["JINKO"].isdigit() and int(r["JINKO"]) > 0
        ]
    return rows


def address(town: str, block: int, lot: int, style: int, city: str) -> str:
    """Town names come from the census (当代島１丁目); write them as registries do."""
    base, chome = _split(town)
    prefix = city if style % 3 == 0 else ""
    if chome is None:
        return f"{prefix}{town}{block}番地{lot}" if style % 2 else f"{prefix}{town}{block}-{lot}"
    if style % 4 == 0:
        return f"{prefix}{base}{kanji_number(chome)}丁目{block}番{lot}号"
    if style % 4 == 1:
        return f"{prefix}{base}{chome}丁目{block}番地{lot}"
    if style % 4 == 2:
        return f"{prefix}{base}{chome}－{block}－{lot}".translate(_FULL)
    return f"{prefix}{base}{chome}-{block}-{lot}"


_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _split(town: str) -> tuple[str, int | None]:
    import unicodedata

    plain = unicodedata.normalize("NFKC", town)
    if plain.endswith("丁目"):
        stem = plain[:-2]
        digits = len(stem) - len(stem.rstrip("0123456789"))
        if digits:
            return stem[:-digits], int(stem[-digits:])
    return town, None


def write(
    path: Path, census_csv: Path, city: str, *, seed: int = 1, encoding: str = "cp932"
) -> int:
    rng = np.random.default_rng(seed)
    towns = chome_list(census_csv)
    rows = 0
    household = 0
    serial = 0
    with path.open("w", encoding=encoding, newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(HEADER)
        for town, population in towns:
            left = population
            while left > 0:
                size = min(left, int(rng.integers(1, 5)))
                left -= size
                household += 1
                block, lot, style = (int(x) for x in rng.integers(1, 30, size=3))
                where = address(town, block, lot, style, city)
                annex = f"サンハイツ{int(rng.integers(1, 9))}0{int(rng.integers(1, 6))}号室"
                foreign = rng.random() < 0.02
                for member in range(size):
                    serial += 1
                    out.writerow(_person(rng, serial, household, member, where, annex, foreign))
                    rows += 1
    return rows


RELATIONS = ["世帯主", "妻", "子", "子"]


def _person(
    rng: np.random.Generator,
    serial: int,
    household: int,
    member: int,
    where: str,
    annex: str,
    foreign: bool,
) -> list[str]:
    family, family_kana = FAMILY[serial % len(FAMILY)]
    given, given_kana = GIVEN[(serial // 7) % len(GIVEN)]
    year = int(rng.integers(1930, 2024))
    month = int(rng.integers(1, 13))
    day = int(rng.integers(1, 29))
    if foreign:
        birth = f"{year}-{month:02d}-{day:02d}" if serial % 2 else f"{year}/{month}/{day}"
    else:
        birth = wareki(year, month, day, serial % 2)
    return [
        m11(serial),
        m11(household),
        "外国人住民" if foreign else "日本人住民",
        "住民",
        f"{family}　{given}",
        f"{family_kana}　{given_kana}",
        "SMITH JOHN" if foreign else "",
        "",
        birth,
        "男" if serial % 2 else "女",
        RELATIONS[min(member, 3)],
        where,
        annex if household % 3 == 0 else "",
        my_number(10_000_000_000 + serial * 7919),
        f"{30_000_000_000 + serial:011d}",
        wareki(max(year, 2000), month, day, 0) if not foreign else f"{max(year, 2000)}-01-01",
        f"{max(year, 2010)}-{month:02d}-{day:02d}",
        "アメリカ合衆国" if foreign else "",
        "永住者" if foreign else "",
    ]
