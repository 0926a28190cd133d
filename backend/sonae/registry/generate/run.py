"""`sonae registry generate`: a synthetic registry and welfare file for a city, from one seed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from sonae.config import PROJECT_ROOT
from sonae.registry.generate import DEFAULT_AS_OF
from sonae.registry.generate.census import read_city_census
from sonae.registry.generate.files import (
    REGISTRY_COLUMNS,
    WELFARE_COLUMNS,
    registry_rows,
    welfare_rows,
    write_csv,
)
from sonae.registry.generate.population import STEPS, Population, build_population
from sonae.registry.generate.rate_file import load_rates

OUTPUT_DIR = PROJECT_ROOT / "var" / "registry"


class Reporter(Protocol):
    """What the caller sees of the work: named steps, then rows written per file."""

    def step(self, label: str) -> None: ...

    def start_file(self, label: str, rows: int) -> None: ...

    def rows(self, count: int) -> None: ...


class Silent:
    def step(self, label: str) -> None:
        pass

    def start_file(self, label: str, rows: int) -> None:
        pass

    def rows(self, count: int) -> None:
        pass


@dataclass(frozen=True)
class GenerateRequest:
    city: str
    seed: int
    as_of: date = DEFAULT_AS_OF
    encoding: str = "cp932"
    out: Path | None = None
    welfare_out: Path | None = None
    limit_chome: int | None = None
    """only the first N chome of the census (small files for tests and trials)"""


@dataclass(frozen=True)
class GenerateResult:
    registry: Path
    welfare: Path
    people: int
    households: int
    welfare_rows: int
    population: Population


def default_paths(city: str, seed: int) -> tuple[Path, Path]:
    stem = OUTPUT_DIR / f"{city}_{seed}"
    return stem.with_name(f"{stem.name}_registry.csv"), stem.with_name(f"{stem.name}_welfare.csv")


def generate(request: GenerateRequest, reporter: Reporter | None = None) -> GenerateResult:
    """Build the population and write both files; same request, byte-identical files."""
    report = reporter or Silent()
    census = read_city_census(request.city).limited(request.limit_chome)
    rates = load_rates(request.city)
    population = build_population(census, rates, request.seed, request.as_of, report.step)
    registry_path, welfare_path = default_paths(request.city, request.seed)
    registry_path = request.out or registry_path
    welfare_path = request.welfare_out or welfare_path
    people = population.age.size
    report.start_file(registry_path.name, people)
    write_csv(
        registry_path, REGISTRY_COLUMNS, registry_rows(population), request.encoding, report.rows
    )
    listed = int(population.welfare.listed.sum())
    report.start_file(welfare_path.name, listed)
    write_csv(
        welfare_path, WELFARE_COLUMNS, welfare_rows(population), request.encoding, report.rows
    )
    return GenerateResult(
        registry_path, welfare_path, people, population.size.size, listed, population
    )


__all__ = ["STEPS", "GenerateRequest", "GenerateResult", "Reporter", "default_paths", "generate"]
