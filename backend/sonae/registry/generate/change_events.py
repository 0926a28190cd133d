"""A month of 異動 on an existing registry: deaths, moves out, 転居, 世帯分離, births.

Counts are binomial draws at the monthly rates of welfare_rates.toml [changes]; each person takes
part in at most one event a month. Rows describe the person after the change (for 転出 and 死亡:
as they were, with 住民状態 転出 / 死亡), as docs/registry_format.md asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from sonae.registry.generate.addresses import household_addresses
from sonae.registry.generate.base import Base
from sonae.registry.generate.households import BOY_SHARE
from sonae.registry.generate.names import FULL_WIDTH_SPACE, NamePools
from sonae.registry.generate.notation import format_date
from sonae.registry.generate.numbering import my_numbers, resident_codes, with_check_digits
from sonae.registry.generate.rates import BoolArray, IntArray, Rates, Rng
from sonae.registry.generate.succession import Member, successor

NEWBORN_STATUS = "出生による経過滞在者"  # until a status is granted (住基法 30条の45)
MAX_HOUSEHOLD = 10  # larger households are institutions: their residents move one by one


@dataclass(frozen=True)
class Month:
    first: date
    last: date

    def days(self, rng: Rng, n: int) -> IntArray:
        start = self.first.toordinal()
        result: IntArray = start + rng.integers(0, self.last.toordinal() - start + 1, n)
        return result


@dataclass
class Change:
    """A row of the change file: the person after the change, why, and when (ordinal)."""

    row: dict[str, str]
    change: str
    on: int


class Events:
    """The month's changes so far, and which base rows (`touched`) already have one."""

    def __init__(self, base: Base, rates: Rates, rng: Rng, month: Month) -> None:
        self.base, self.rates, self.rng, self.month = base, rates, rng, month
        self.n = len(base)
        self.age = base.ages(month.first)
        self.touched = np.zeros(self.n, bool)
        self.changes: list[Change] = []
        self.next_person = base.max_serial("宛名番号") + 1
        self.next_household = base.max_serial("世帯番号") + 1
        self.numbers = list(base.members)
        self.sizes = np.array([len(rows) for rows in base.members.values()])
        self.my_numbers = base.taken("個人番号")
        self.resident_codes = base.taken("住民票コード")

    def emit(self, row: dict[str, str], change: str, on: int, **fields: str) -> None:
        self.changes.append(Change({**row, **fields}, change, on))

    def date(self, on: int, foreign: bool) -> str:
        return format_date(on, foreign, 0)

    def household_numbers(self, count: int) -> list[str]:
        serials = self.next_household + np.arange(count, dtype=np.int64)
        self.next_household += count
        return with_check_digits(serials)

    def people_numbers(self, count: int) -> tuple[list[str], list[str], list[str]]:
        """New 宛名番号, 個人番号 and 住民票コード, none of them in the base or already issued."""
        serials = self.next_person + np.arange(count, dtype=np.int64)
        self.next_person += count
        return (with_check_digits(serials), *self.personal_numbers(count))

    def personal_numbers(self, count: int) -> tuple[list[str], list[str]]:
        """New 個人番号 and 住民票コード, distinct from every one issued so far."""
        mine = my_numbers(self.rng, count, self.my_numbers)
        codes = resident_codes(self.rng, count, self.resident_codes)
        self.my_numbers.update(mine)
        self.resident_codes.update(codes)
        return mine, codes

    def free_households(self) -> list[str]:
        """Households none of whose members has had an event yet (institutions left out)."""
        index = self.base.household_index
        touched = np.bincount(index, weights=self.touched, minlength=len(self.numbers)) > 0
        free = ~touched & (self.sizes <= MAX_HOUSEHOLD)
        return [self.numbers[k] for k in np.flatnonzero(free).tolist()]

    def deaths(self) -> None:
        c = self.rates.changes
        count = self.rng.binomial(self.n, c.deaths_per_year / 12)
        hazard = 2.0 ** (self.age / c.mortality_doubling_years)
        chosen = self.rng.choice(self.n, size=count, replace=False, p=hazard / hazard.sum())
        for i, on in zip(chosen.tolist(), self.month.days(self.rng, count).tolist(), strict=True):
            self.touched[i] = True
            self.emit(self.base.row(i), "死亡", on, 住民状態="死亡")
            if self.base.relation[i] == "世帯主":
                self._new_head(i, on)

    def _new_head(self, gone: int, on: int) -> None:
        rows = [
            j
            for j in self.base.members[self.base.household[gone]]
            if j == gone or not self.touched[j]
        ]
        members = [
            Member(self.base.relation[j], int(self.age[j]), bool(self.base.male[j])) for j in rows
        ]
        for position, relation in successor(members, rows.index(gone)).items():
            j = rows[position]
            self.touched[j] = True
            if relation != self.base.relation[j]:
                self.emit(self.base.row(j), "世帯変更", on, 続柄=relation)

    def moves_out(self) -> None:
        c = self.rates.changes
        count = self.rng.binomial(self.n, c.move_out)
        whole = round(count * c.move_out_whole_household_share)
        households = self.free_households()
        order = self.rng.permutation(len(households))
        moved = 0
        for h in order.tolist():
            if moved >= whole:
                break
            rows = self.base.members[households[h]]
            on = int(self.month.days(self.rng, 1)[0])
            for j in rows:
                self._move_out(j, on)
            moved += len(rows)
        single = (self.age >= 18) & (self.age <= 35) & self._relation("子") & ~self.touched
        for j in self._pick(single, count - moved).tolist():
            self._move_out(j, int(self.month.days(self.rng, 1)[0]))

    def _move_out(self, j: int, on: int) -> None:
        self.touched[j] = True
        self.emit(self.base.row(j), "転出", on, 住民状態="転出")

    def address_changes(self) -> None:
        households = self.free_households()
        count = self.rng.binomial(len(households), self.rates.changes.address_change)
        chosen = self.rng.choice(len(households), size=count, replace=False)
        census = self.base.census
        weights = np.array([c.households for c in census.chomes], dtype=float)
        chome = self.rng.choice(len(census.chomes), size=count, p=weights / weights.sum())
        ordinary = np.zeros(count, np.int64)
        new = household_addresses(self.rng, census, chome, ordinary, ordinary > 0, self.rates)
        for k, h in enumerate(chosen.tolist()):
            on = int(self.month.days(self.rng, 1)[0])
            for j in self.base.members[households[h]]:
                self.touched[j] = True
                since = self.date(on, bool(self.base.foreign[j]))
                self.emit(
                    self.base.row(j),
                    "転居",
                    on,
                    住所=new.text[k],
                    方書=new.annex[k],
                    住所を定めた年月日=since,
                )

    def household_splits(self) -> None:
        count = self.rng.binomial(self.n, self.rates.changes.household_split)
        sizes = self.sizes[self.base.household_index]
        adult_child = (self.age >= 20) & (self.age <= 45) & self._relation("子")
        chosen = self._pick(adult_child & (sizes >= 3) & ~self.touched, count)
        numbers = self.household_numbers(chosen.size)
        for j, number in zip(chosen.tolist(), numbers, strict=True):
            self.touched[j] = True
            on = int(self.month.days(self.rng, 1)[0])
            self.emit(self.base.row(j), "世帯変更", on, 世帯番号=number, 続柄="世帯主")

    def births(self, pools: NamePools) -> None:
        c = self.rates.changes
        count = self.rng.binomial(self.n, c.births_per_year / 12)
        mothers = (
            ~self.base.male
            & ~self.touched
            & np.isin(self.base.relation, ["世帯主", "妻", "子の妻"])
        )
        weight = c.fertility[np.minimum(self.age, self.rates.max_age)] * mothers
        if weight.sum() == 0 or count == 0:
            return
        count = min(count, int((weight > 0).sum()))
        chosen = self.rng.choice(self.n, size=count, replace=False, p=weight / weight.sum())
        numbers = self.people_numbers(count)
        for k, mother in enumerate(chosen.tolist()):
            self.touched[mother] = True
            on = int(self.month.days(self.rng, 1)[0])
            row = self._newborn(mother, on, pools)
            self.emit(
                row,
                "出生",
                on,
                宛名番号=numbers[0][k],
                個人番号=numbers[1][k],
                住民票コード=numbers[2][k],
            )

    def _newborn(self, mother: int, on: int, pools: NamePools) -> dict[str, str]:
        base = self.base.row(mother)
        head = self.base.row(self.base.members[self.base.household[mother]][0])
        foreign = bool(self.base.foreign[mother])
        male = bool(self.rng.random() < BOY_SHARE)
        table = pools.male if male else pools.female
        given = int(self.rng.integers(*table.bounds[0]))
        surname = head["氏名"].split(FULL_WIDTH_SPACE)[0]
        if foreign:
            labels = [n.label for n in self.rates.foreign.nationalities]
            nationality = base["国籍・地域"]
            group = labels.index(nationality) + 1 if nationality in labels else 1
            given_roman = table.display[int(self.rng.integers(*table.bounds[group]))]
            name, kana, roman = (
                f"{surname}{FULL_WIDTH_SPACE}{given_roman}",
                "",
                f"{surname} {given_roman}",
            )
        else:
            kana_surname = head["氏名フリガナ"].split(FULL_WIDTH_SPACE)[0]
            name = f"{surname}{FULL_WIDTH_SPACE}{table.display[given]}"
            kana, roman = f"{kana_surname}{FULL_WIDTH_SPACE}{table.kana[given]}", ""
        status = base["在留資格"]
        if foreign and status not in self.rates.foreign.inherited_statuses:
            status = NEWBORN_STATUS
        day = self.date(on, foreign)
        relation = "孫" if base["続柄"] == "子の妻" else "子"
        return {
            **base,
            "氏名": name,
            "氏名フリガナ": kana,
            "氏名（アルファベット）": roman,
            "旧氏": "",
            "生年月日": day,
            "性別": "男" if male else "女",
            "続柄": relation,
            "住民となった年月日": day,
            "住所を定めた年月日": day,
            "在留資格": status,
        }

    def _relation(self, relation: str) -> BoolArray:
        result: BoolArray = np.array([r == relation for r in self.base.relation])
        return result

    def _pick(self, candidates: BoolArray, count: int) -> IntArray:
        pool = np.flatnonzero(candidates)
        chosen: IntArray = self.rng.choice(pool, size=min(max(count, 0), pool.size), replace=False)
        return chosen
