"""A full registry file read back as the starting point of a month of changes."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from sonae.errors import InvalidInputError
from sonae.registry.dates import EPOCH, parse_date_column
from sonae.registry.generate.ages import exact_ages
from sonae.registry.generate.census import CensusUnavailableError, CityCensus, read_city_census
from sonae.registry.generate.files import FOREIGN, REGISTRY_COLUMNS, read_csv
from sonae.registry.generate.rates import BoolArray, IntArray

SUPPORTED_CITIES = ("urayasu", "nishinomiya", "numazu")
_CITY_SAMPLE = 2000


@dataclass
class Base:
    path: Path
    encoding: str
    header: list[str]
    rows: list[list[str]]
    """as read (lists, not dicts: a city's registry is half a million rows)"""
    census: CityCensus
    household: list[str]
    """世帯番号 per row"""
    members: dict[str, list[int]]
    """row indices per 世帯番号, in file order (head first)"""
    household_index: IntArray
    """per row: the position of its 世帯番号 in `members`"""
    relation: list[str]
    birth: IntArray
    male: BoolArray
    foreign: BoolArray

    def ages(self, on: date) -> IntArray:
        return exact_ages(self.birth, on)

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, index: int) -> dict[str, str]:
        return dict(zip(self.header, self.rows[index], strict=True))

    def column(self, name: str) -> list[str]:
        position = self.header.index(name)
        return [row[position] for row in self.rows]

    def max_serial(self, column: str) -> int:
        """Largest 9-digit serial in a 10-digit number column (宛名番号, 世帯番号)."""
        return max((int(value[:9]) for value in self.column(column)), default=0)

    def taken(self, column: str) -> set[str]:
        return {value for value in self.column(column) if value}


def read_base(path: Path, city: str | None = None) -> Base:
    """The registry, with parsed birth dates and the city it belongs to (inferred if not given)."""
    if not path.is_file():
        raise InvalidInputError(f"no registry file {path}")
    header, rows, encoding = read_csv(path)
    missing = [c for c in REGISTRY_COLUMNS if c not in header]
    if not rows or missing or any(len(row) != len(header) for row in rows):
        raise InvalidInputError(
            f"{path.name}: not a full registry file (rows: {len(rows)}, missing columns: "
            f"{', '.join(missing) or 'none'}, or rows of unequal length)"
        )

    def column(name: str) -> list[str]:
        position = header.index(name)
        return [row[position] for row in rows]

    household = column("世帯番号")
    members: dict[str, list[int]] = {}
    for index, number in enumerate(household):
        members.setdefault(number, []).append(index)
    position = {number: k for k, number in enumerate(members)}
    birth = _ordinals(path, column("生年月日"))
    return Base(
        path=path,
        encoding=encoding,
        header=header,
        rows=rows,
        census=read_city_census(city) if city else infer_city(column("住所")),
        household=household,
        members=members,
        household_index=np.array([position[number] for number in household], dtype=np.int64),
        relation=column("続柄"),
        birth=birth,
        male=np.array([sex == "男" for sex in column("性別")]),
        foreign=np.array([kind == FOREIGN for kind in column("住民種別")]),
    )


def infer_city(addresses: list[str]) -> CityCensus:
    """The bundled city whose town names start most of the addresses."""
    best: tuple[int, CityCensus | None] = (0, None)
    sample = [unicodedata.normalize("NFKC", a) for a in addresses[:_CITY_SAMPLE]]
    for slug in SUPPORTED_CITIES:
        try:
            census = read_city_census(slug)
        except CensusUnavailableError:
            continue
        towns = tuple({unicodedata.normalize("NFKC", c.town) for c in census.chomes})
        prefixes = (census.prefecture + census.name, census.name, "")
        hits = sum(
            any(a.startswith(p) and a[len(p) :].startswith(towns) for p in prefixes) for a in sample
        )
        if hits > best[0]:
            best = (hits, census)
    if best[1] is None or best[0] < len(sample) // 2:
        raise InvalidInputError(
            "cannot tell which city the registry belongs to from its addresses: pass --city"
        )
    return best[1]


def _ordinals(path: Path, texts: list[str]) -> IntArray:
    """Proleptic Gregorian ordinals of the dates, read as the importer reads them."""
    parsed = parse_date_column(pa.array(texts, pa.string()))
    for reason, rows in parsed.errors.items():
        raise InvalidInputError(f"{path.name}: 生年月日 on data row {rows[0] + 1}: {reason}")
    days: IntArray = parsed.values.cast(pa.int32()).to_numpy(zero_copy_only=False)
    return days.astype(np.int64) + EPOCH.toordinal()
