"""Constants and census counts shared by the synthetic registry tests.

The census counts the tests compare against are read here with the csv module, independently of
the generator's own reader.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sonae.config import PROJECT_ROOT

SEED = 20261101
AS_OF = date(2026, 11, 1)
MONTH = "2026-12"
CITIES = PROJECT_ROOT / "data" / "cities"
CensusCounts = dict[str, tuple[int, int]]


def read_rows(path: Path, encoding: str = "cp932") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def census_counts(city: str) -> CensusCounts:
    """(people, households) per KEY_CODE: water areas skipped, parts of one key summed."""
    counts: CensusCounts = {}
    with (CITIES / city / "chome_population_2015.csv").open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["HCODE"] == "8154":
                continue
            people, households = counts.get(row["KEY_CODE"], (0, 0))
            counts[row["KEY_CODE"]] = (people + int(row["JINKO"]), households + int(row["SETAI"]))
    return {key: value for key, value in counts.items() if value[0] > 0}


def m11w27_by_the_book(number: str) -> bool:
    """標準仕様書 1.1.13 as docs/registry_format.md states it, written out independently."""
    weights = [2, 3, 4, 5, 6, 7, 2, 3, 4]
    total = sum(int(d) * w for d, w in zip(reversed(number[:9]), weights, strict=True))
    remainder = total % 11
    return int(number[9]) == (0 if remainder <= 1 else 11 - remainder)
