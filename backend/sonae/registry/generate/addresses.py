"""Addresses with the notation variants real registries hold, one per household.

The chome comes from the census name (当代島１丁目) and is written as 一丁目, 1丁目, １丁目 or in
the hyphen form 当代島1-2-3; 番・号 as 2番3号, 2番地3, 2-3 or 2番地の3; areas without 住居表示
(字, 山口町…) get a 地番 (1234番地の5). Flats share their building's 番・号 and get a 方書 with
the building's name and a room. Every member of a household shares its address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sonae.registry.generate.census import Chome, CityCensus
from sonae.registry.generate.notation import fullwidth, kanji_number
from sonae.registry.generate.rates import BoolArray, IntArray, Rates, Rng
from sonae.registry.generate.sizes import ORDINARY

_PREFIXES = (
    "パーク",
    "グラン",
    "メゾン",
    "サン",
    "シャトー",
    "ヴィラ",
    "エクセル",
    "リバー",
    "グリーン",
    "ベイ",
    "アーバン",
    "ロイヤル",
    "ファミール",
    "コスモ",
)
_SUFFIXES = (
    "ハイツ",
    "コーポ",
    "マンション",
    "レジデンス",
    "コート",
    "ハウス",
    "タワー",
    "テラス",
    "荘",
    "ヒルズ",
)
_CARE_HOMES = ("苑", "の郷", "ケアセンター", "ホーム")
_DORMITORIES = ("寮", "学生会館", "社員寮")
_ROOM_SUFFIX = {"gooshitsu": "号室", "goo": "号", "bare": ""}
_CHOME_NUMBER: dict[str, Callable[[int], str]] = {
    "kanji": kanji_number,
    "digit": str,
    "fullwidth": lambda n: fullwidth(str(n)),
}


@dataclass
class AddressColumns:
    text: list[str]
    """住所 per household."""
    annex: list[str]
    """方書 per household ('' for a house)."""


@dataclass
class _Style:
    chome: list[str]
    """kanji, digit, fullwidth or hyphen"""
    block: list[str]
    """ban_go, banchi, hyphen or banchi_no"""
    full: list[bool]
    prefix: list[str]


def household_addresses(
    rng: Rng, census: CityCensus, chome: IntArray, facility: IntArray, care: BoolArray, rates: Rates
) -> AddressColumns:
    """住所 and 方書 of every household; `chome` indexes census.chomes."""
    style = _styles(rng, census, chome.size, rates)
    texts = [""] * chome.size
    annexes = [""] * chome.size
    for c in np.unique(chome).tolist():
        where = np.flatnonzero(chome == c)
        _fill_chome(
            rng,
            census.chomes[c],
            where,
            facility[where] != ORDINARY,
            care[where],
            style,
            rates,
            texts,
            annexes,
        )
    return AddressColumns(texts, annexes)


def _styles(rng: Rng, census: CityCensus, n: int, rates: Rates) -> _Style:
    notation = rates.notation
    u = rng.random(n)
    prefixes = np.where(
        u < notation.prefecture_prefix,
        census.prefecture + census.name,
        np.where(u < notation.prefecture_prefix + notation.city_prefix, census.name, ""),
    )
    chome = np.array(notation.chome.labels)[notation.chome.draw(rng, n)]
    block = np.array(notation.block.labels)[notation.block.draw(rng, n)]
    return _Style(
        chome=chome.tolist(),
        block=block.tolist(),
        full=(rng.random(n) < notation.fullwidth_digits).tolist(),
        prefix=prefixes.tolist(),
    )


def _fill_chome(
    rng: Rng,
    chome: Chome,
    where: IntArray,
    institution: BoolArray,
    care: BoolArray,
    style: _Style,
    rates: Rates,
    texts: list[str],
    annexes: list[str],
) -> None:
    a = rates.addresses
    n = where.size
    lot = any(marker in chome.name for marker in a.lot_number_markers)
    flat = (rng.random(n) < a.apartment_share) & ~institution
    first = rng.integers(1, (a.max_lot if lot else a.max_block) + 1, n)
    second = np.where(lot & (rng.random(n) < 0.6), 0, rng.integers(1, a.max_house + 1, n))
    annex = [""] * n
    flats = np.flatnonzero(flat)
    if flats.size:
        buildings = max(1, round(flats.size / a.apartment_mean_households))
        building = rng.integers(0, buildings, flats.size)
        b_first = rng.integers(1, (a.max_lot if lot else a.max_block) + 1, buildings)
        b_second = rng.integers(1, a.max_house + 1, buildings)
        first[flats], second[flats] = b_first[building], b_second[building]
        names = _building_names(rng, chome.town, buildings)
        rooms = _rooms(rng, building, buildings, rates)
        for i, b, room in zip(flats.tolist(), building.tolist(), rooms, strict=True):
            annex[i] = f"{names[b]} {room}"
    for i in np.flatnonzero(institution).tolist():
        kinds = _CARE_HOMES if care[i] else _DORMITORIES
        annex[i] = chome.town + kinds[int(rng.integers(len(kinds)))]
    for j, (i, f, s) in enumerate(
        zip(where.tolist(), first.tolist(), second.tolist(), strict=True)
    ):
        texts[i] = _address(chome, style, i, f, s, lot)
        annexes[i] = fullwidth(annex[j]) if style.full[i] else annex[j]


def _address(chome: Chome, style: _Style, i: int, first: int, second: int, lot: bool) -> str:
    """prefix + town + 丁目 part + 番・号 part, in household i's notation."""
    number = chome.number
    hyphen = style.chome[i] == "hyphen" and number is not None
    block_style = "hyphen" if hyphen else style.block[i]
    if lot and block_style == "ban_go":
        block_style = "banchi"  # a 地番 has no 号: 1916番地25
    block = _block(first, second, block_style)
    if number is None:
        chome_part = ""
    elif hyphen:
        chome_part = f"{number}-"
    else:
        chome_part = _CHOME_NUMBER[style.chome[i]](number) + "丁目"
    digits = chome_part + block if hyphen else block
    if style.full[i]:
        digits = fullwidth(digits)
    head = chome.town if hyphen else chome.town + chome_part
    return style.prefix[i] + head + digits


def _block(first: int, second: int, style: str) -> str:
    """2番3号, 2番地3, 2-3 or 2番地の3; second = 0 is a 地番 without a branch number."""
    if second == 0:
        return f"{first}番地"
    if style == "ban_go":
        return f"{first}番{second}号"
    if style == "banchi":
        return f"{first}番地{second}"
    if style == "hyphen":
        return f"{first}-{second}"
    return f"{first}番地の{second}"


def _building_names(rng: Rng, town: str, count: int) -> list[str]:
    prefixes = rng.integers(0, len(_PREFIXES), count).tolist()
    suffixes = rng.integers(0, len(_SUFFIXES), count).tolist()
    with_town = (rng.random(count) < 0.6).tolist()
    return [
        f"{_PREFIXES[p]}{town if t else ''}{_SUFFIXES[s]}"
        for p, s, t in zip(prefixes, suffixes, with_town, strict=True)
    ]


def _rooms(rng: Rng, building: IntArray, buildings: int, rates: Rates) -> list[str]:
    """Distinct rooms per building: floor × 100 + unit, in the notation drawn per household."""
    order = np.argsort(building, kind="stable")
    starts = np.searchsorted(building[order], np.arange(buildings))
    rank = np.empty(building.size, np.int64)
    rank[order] = np.arange(building.size) - starts[building[order]]
    units = rng.integers(4, 11, buildings)[building]
    room = (rank // units + 1) * 100 + rank % units + 1
    suffix = rates.addresses.room_suffix
    labels = [_ROOM_SUFFIX[label] for label in suffix.labels]
    chosen = suffix.draw(rng, building.size).tolist()
    return [f"{r}{labels[c]}" for r, c in zip(room.tolist(), chosen, strict=True)]
