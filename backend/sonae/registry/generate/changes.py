"""`sonae registry generate-changes`: a month of 異動 for an existing synthetic registry.

Moves in are households built by the same generator as the full registry (mover sizes, younger
singles, more foreign residents), with 宛名番号 and 世帯番号 above every number in the base.
`include_return` adds a person who moves out early in the month and back later, keeping their
宛名番号 (a new 世帯番号 and address, as a household formed anew).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from sonae.errors import InvalidInputError
from sonae.registry.generate.addresses import household_addresses
from sonae.registry.generate.base import read_base
from sonae.registry.generate.census import Chome, CityCensus
from sonae.registry.generate.change_events import Events, Month
from sonae.registry.generate.files import (
    CHANGE_COLUMNS,
    FOREIGN,
    REGISTRY_COLUMNS,
    registry_rows,
    write_csv,
)
from sonae.registry.generate.names import NamePools, name_pools
from sonae.registry.generate.population import build_population
from sonae.registry.generate.rate_file import load_rates
from sonae.registry.generate.rates import Rates
from sonae.registry.generate.run import Reporter, Silent

CHANGE_ORDER = ("転出", "死亡", "世帯変更", "転居", "出生", "転入")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_STREAM = 1000  # random streams of change files never meet those of full registries


@dataclass(frozen=True)
class ChangeRequest:
    base: Path
    seed: int
    month: str
    """YYYY-MM"""
    out: Path | None = None
    include_return: bool = False
    encoding: str | None = None
    """None: the base file's own encoding"""
    city: str | None = None
    """None: inferred from the base file's addresses"""


@dataclass(frozen=True)
class ChangeResult:
    path: Path
    rows: int
    counts: dict[str, int]


def parse_month(text: str) -> Month:
    match = _MONTH.match(text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise InvalidInputError(f"--month must be YYYY-MM, not {text!r}")
    first = date(int(match[1]), int(match[2]), 1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Month(first, following - timedelta(days=1))


def generate_changes(request: ChangeRequest, reporter: Reporter | None = None) -> ChangeResult:
    report = reporter or Silent()
    month = parse_month(request.month)
    report.step("reading the base registry")
    base = read_base(request.base, request.city)
    rates = load_rates(base.census.slug)
    events = Events(base, rates, np.random.default_rng([request.seed, _STREAM]), month)
    report.step("events")
    if request.include_return:
        _out_and_back(events)
    events.deaths()
    events.moves_out()
    events.address_changes()
    events.household_splits()
    pools = name_pools(rates, request.seed)
    events.births(pools)
    report.step("moves in")
    _moves_in(events, rates, request.seed, pools)
    path = request.out or base.path.with_name(f"{base.path.stem}_changes_{request.month}.csv")
    changes = sorted(
        events.changes, key=lambda c: (c.on, CHANGE_ORDER.index(c.change), c.row["宛名番号"])
    )
    rows = [
        [c.row.get(column, "") for column in REGISTRY_COLUMNS]
        + [c.change, events.date(c.on, c.row["住民種別"] == FOREIGN)]
        for c in changes
    ]
    report.start_file(path.name, len(rows))
    write_csv(path, CHANGE_COLUMNS, rows, request.encoding or base.encoding, report.rows)
    counts = {kind: sum(c.change == kind for c in changes) for kind in CHANGE_ORDER}
    return ChangeResult(path, len(rows), counts)


def _out_and_back(events: Events) -> None:
    """A Japanese adult living alone moves out in the first days and back in the last ones."""
    base, rng = events.base, events.rng
    ages = events.age
    alone = [
        h
        for h in events.free_households()
        if len(base.members[h]) == 1
        and not base.foreign[base.members[h][0]]
        and 20 <= ages[base.members[h][0]] <= 60
    ]
    if not alone:
        raise InvalidInputError("the base registry has nobody who could move out and back")
    j = base.members[alone[int(rng.integers(len(alone)))]][0]
    events.touched[j] = True
    first = events.month.first.toordinal()
    out_on, back_on = first + int(rng.integers(0, 10)), first + int(rng.integers(15, 28))
    events.emit(base.row(j), "転出", out_on, 住民状態="転出")
    census = base.census
    chome = rng.integers(0, len(census.chomes), 1)
    none = np.zeros(1, np.int64)
    new = household_addresses(rng, census, chome, none, none > 0, events.rates)
    back = events.date(back_on, False)
    events.emit(
        base.row(j),
        "転入",
        back_on,
        世帯番号=events.household_numbers(1)[0],
        住所=new.text[0],
        方書=new.annex[0],
        住民となった年月日=back,
        住所を定めた年月日=back,
    )


def _moves_in(events: Events, rates: Rates, seed: int, pools: NamePools) -> None:
    """Households of movers, spread over the chome like the residents, arriving on one day each."""
    target = int(events.rng.binomial(events.n, rates.changes.move_in))
    if target == 0:
        return
    census = _mover_census(events, rates, target)
    population = build_population(
        census, _mover_rates(events, rates), seed * 7919 + 17, events.month.last, pools=pools
    )
    events.next_person = int(max(int(n[:9]) for n in population.address_number)) + 1
    events.next_household = int(max(int(n[:9]) for n in population.household_number)) + 1
    days = events.month.days(events.rng, population.size.size)
    household = population.members.household.tolist()
    births = population.birth.tolist()
    for i, values in enumerate(registry_rows(population)):
        row = dict(zip(REGISTRY_COLUMNS, values, strict=True))
        on = max(int(days[household[i]]), births[i])
        foreign = row["住民種別"] == FOREIGN
        _fresh_numbers(events, row)
        events.emit(
            row,
            "転入",
            on,
            住民となった年月日=events.date(on, foreign),
            住所を定めた年月日=events.date(on, foreign),
        )


def _mover_census(events: Events, rates: Rates, target: int) -> CityCensus:
    shares = rates.changes.mover_size_shares
    sizes = events.rng.choice(shares.size, size=target, p=shares) + 1
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), target)) + 1]
    census = events.base.census
    weights = np.array([c.households for c in census.chomes], dtype=float)
    chome = events.rng.choice(len(census.chomes), size=sizes.size, p=weights / weights.sum())
    chomes = tuple(
        Chome(c.key_code, c.name, int(sizes[chome == k].sum()), int((chome == k).sum()))
        for k, c in enumerate(census.chomes)
        if (chome == k).any()
    )
    return replace(census, chomes=chomes)


def _mover_rates(events: Events, rates: Rates) -> Rates:
    """Movers: their own sizes, no care homes, the movers' foreign share, numbers after the base."""
    household = replace(
        rates.household,
        size_shares=rates.changes.mover_size_shares,
        single_bands=rates.changes.mover_single_bands,
        care_home_population_share=0.0,
        facility_mean_threshold=1e9,
    )
    residence = replace(
        rates.residence,
        person_serial_start=events.next_person,
        household_serial_start=events.next_household,
        serial_gap_mean=1.0,
    )
    foreign = replace(rates.foreign, share=rates.changes.mover_foreign_share)
    return replace(rates, household=household, residence=residence, foreign=foreign)


def _fresh_numbers(events: Events, row: dict[str, str]) -> None:
    """A mover whose drawn 個人番号 or 住民票コード is already held by someone gets another."""
    if row["個人番号"] in events.my_numbers or row["住民票コード"] in events.resident_codes:
        mine, codes = events.personal_numbers(1)
        row["個人番号"], row["住民票コード"] = mine[0], codes[0]
    events.my_numbers.add(row["個人番号"])
    events.resident_codes.add(row["住民票コード"])
