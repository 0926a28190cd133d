"""The 2015 census counts per chome that a synthetic registry reproduces exactly.

Quirks handled as the chome import does: water areas (HCODE 8154) hold nobody and are skipped;
a chome listed in several parts under one KEY_CODE (Nishinomiya's 飛び地) is one chome with the
parts' people and households summed.
"""

from __future__ import annotations

import csv
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sonae.config import get_settings
from sonae.errors import InvalidInputError, NotFoundError

WATER_AREA = "8154"
REQUIRED_COLUMNS = ("KEY_CODE", "MOJI", "HCODE", "JINKO", "SETAI")
_CHOME = re.compile(r"^(?P<town>.+?)(?P<number>[0-9０-９]+)丁目$")


class CensusUnavailableError(NotFoundError):
    """The city ships no census table, so there is nothing to reproduce."""


@dataclass(frozen=True)
class Chome:
    key_code: str
    name: str
    """The census name (MOJI), full-width digits: 当代島１丁目."""
    people: int
    households: int

    @property
    def town(self) -> str:
        match = _CHOME.match(self.name)
        return match["town"] if match else self.name

    @property
    def number(self) -> int | None:
        """The 丁目 number, or None for a town without 丁目 (港, 山口町下山口)."""
        match = _CHOME.match(self.name)
        return int(unicodedata.normalize("NFKC", match["number"])) if match else None


@dataclass(frozen=True)
class CityCensus:
    slug: str
    code: str
    name: str
    """The municipality's name, 浦安市."""
    prefecture: str
    chomes: tuple[Chome, ...]
    """Chome with residents, in census order."""

    @property
    def people(self) -> int:
        return sum(c.people for c in self.chomes)

    @property
    def households(self) -> int:
        return sum(c.households for c in self.chomes)

    def limited(self, count: int | None) -> CityCensus:
        """The first `count` chome only: small files for tests and trials."""
        if count is None:
            return self
        return CityCensus(
            self.slug, self.code, self.name, self.prefecture, self.chomes[: max(count, 1)]
        )


def city_dir(slug: str) -> Path:
    return get_settings().data_dir / "cities" / slug


def read_city_census(slug: str) -> CityCensus:
    """The census of a city bundle under data/cities, refused plainly when it has none."""
    directory = city_dir(slug)
    manifest = directory / "city.toml"
    if not manifest.is_file():
        raise NotFoundError(f"no city bundle {slug!r}: {manifest} is missing")
    with manifest.open("rb") as handle:
        city = tomllib.load(handle)
    table = _census_table(directory, city)
    if table is None or not table.is_file():
        raise CensusUnavailableError(
            f"{slug}: no census population table in {directory} (the 2015 census per chome, "
            f"e.g. chome_population_2015.csv with {', '.join(REQUIRED_COLUMNS)}, named by a "
            "chome layer in city.toml); a synthetic registry reproduces those counts, so it "
            f"cannot be generated for {slug} until that table is added"
        )
    prefecture, chomes = read_census_table(table)
    return CityCensus(slug, str(city["code"]), str(city["name"]), prefecture, chomes)


def read_census_table(path: Path) -> tuple[str, tuple[Chome, ...]]:
    """(prefecture name, chome with residents): water areas skipped, multi-part keys merged."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InvalidInputError(f"{path.name}: missing columns {', '.join(missing)}")
        rows = list(reader)
    merged: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        if row["HCODE"] == WATER_AREA:
            continue
        people, households = _count(row, "JINKO", path, number), _count(row, "SETAI", path, number)
        key = row["KEY_CODE"]
        names.setdefault(key, row["MOJI"])
        totals = merged.setdefault(key, [0, 0])
        totals[0] += people
        totals[1] += households
    chomes = tuple(
        _checked(Chome(key, names[key], people, households), path)
        for key, (people, households) in merged.items()
        if people > 0
    )
    prefecture = rows[0].get("KEN_NAME", "") if rows else ""
    return prefecture, chomes


def _count(row: dict[str, str], column: str, path: Path, line: int) -> int:
    value = row[column].strip()
    if not value.isdigit():
        raise InvalidInputError(f"{path.name} line {line}: {column} {value!r} is not a count")
    return int(value)


def _checked(chome: Chome, path: Path) -> Chome:
    if chome.households == 0 or chome.households > chome.people:
        raise InvalidInputError(
            f"{path.name}: KEY_CODE {chome.key_code} has {chome.people} people in "
            f"{chome.households} households, which no household list can reproduce"
        )
    return chome


def _census_table(directory: Path, city: dict[str, object]) -> Path | None:
    layers = city.get("layers", [])
    for layer in layers if isinstance(layers, list) else []:
        if not isinstance(layer, dict) or layer.get("kind") != "chome":
            continue
        name = layer.get("census_table") or layer.get("file")
        if isinstance(name, str) and name.endswith(".csv"):
            return directory / name
    return None
