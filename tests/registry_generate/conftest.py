"""Synthetic registries built once per run: the whole of Urayasu, and a month of changes on it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from synthetic_registry import AS_OF, MONTH, SEED, CensusCounts, census_counts, read_rows

from sonae.registry.generate.changes import ChangeRequest, ChangeResult, generate_changes
from sonae.registry.generate.rate_file import load_rates
from sonae.registry.generate.rates import Rates
from sonae.registry.generate.run import GenerateRequest, GenerateResult, generate


@pytest.fixture(scope="session")
def rates() -> Rates:
    return load_rates("urayasu")


@pytest.fixture(scope="session")
def urayasu(tmp_path_factory: pytest.TempPathFactory) -> GenerateResult:
    out = tmp_path_factory.mktemp("urayasu")
    request = GenerateRequest(
        "urayasu", SEED, AS_OF, out=out / "registry.csv", welfare_out=out / "welfare.csv"
    )
    return generate(request)


@pytest.fixture(scope="session")
def registry_rows(urayasu: GenerateResult) -> list[dict[str, str]]:
    return read_rows(urayasu.registry)


@pytest.fixture(scope="session")
def welfare_rows(urayasu: GenerateResult) -> list[dict[str, str]]:
    return read_rows(urayasu.welfare)


@pytest.fixture(scope="session")
def changes(urayasu: GenerateResult, tmp_path_factory: pytest.TempPathFactory) -> ChangeResult:
    out = tmp_path_factory.mktemp("changes") / "changes.csv"
    return generate_changes(
        ChangeRequest(urayasu.registry, SEED, MONTH, out=out, include_return=True)
    )


@pytest.fixture(scope="session")
def change_rows(changes: ChangeResult) -> list[dict[str, str]]:
    return read_rows(changes.path)


@pytest.fixture
def census() -> Callable[[str], CensusCounts]:
    return census_counts
