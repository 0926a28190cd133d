"""The livelihood-support table (被災者生活再建支援法) as data, and the pure estimator over it.

Nothing here touches the database: the estimate a counter clerk sees and the amount an application
records are the same function of (level, household size, plan) read from
data/reference/livelihood_support.toml.
"""

from __future__ import annotations

import calendar
import enum
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from sonae.config import PROJECT_ROOT
from sonae.errors import InvalidInputError

TABLE_FILE = PROJECT_ROOT / "data" / "reference" / "livelihood_support.toml"
LARGEST_HOUSEHOLD = 99
"""The most people an estimate takes (the API and the CLI alike): more is a typo, not a home."""


class SupportLevel(enum.StrEnum):
    """The six damage levels of the certificate, plus the two the law treats as 全壊."""

    total_collapse = "total_collapse"
    large_scale_half = "large_scale_half"
    medium_scale_half = "medium_scale_half"
    half = "half"
    quasi_half = "quasi_half"
    partial = "partial"
    demolition = "demolition"
    """解体: a 半壊 (or worse) dwelling demolished for unavoidable reasons"""
    long_term_evacuation = "long_term_evacuation"
    """長期避難: the area is closed to residents for a long time"""


SUPPORT_LEVEL_LABELS: dict[SupportLevel, str] = {
    SupportLevel.total_collapse: "全壊",
    SupportLevel.large_scale_half: "大規模半壊",
    SupportLevel.medium_scale_half: "中規模半壊",
    SupportLevel.half: "半壊",
    SupportLevel.quasi_half: "準半壊",
    SupportLevel.partial: "準半壊に至らない（一部損壊）",
    SupportLevel.demolition: "解体",
    SupportLevel.long_term_evacuation: "長期避難",
}


class Plan(enum.StrEnum):
    """How the household rebuilds (加算支援金の区分); none: basic support only."""

    build = "build"
    repair = "repair"
    rent = "rent"
    none = "none"


PLAN_LABELS: dict[Plan, str] = {
    Plan.build: "建設・購入",
    Plan.repair: "補修",
    Plan.rent: "賃借（公営住宅以外）",
    Plan.none: "再建方法未定（基礎支援金のみ）",
}


class SupportKind(enum.StrEnum):
    basic = "basic"
    """基礎支援金"""
    additional = "additional"
    """加算支援金"""


SUPPORT_KIND_LABELS: dict[SupportKind, str] = {
    SupportKind.basic: "基礎支援金",
    SupportKind.additional: "加算支援金",
}


@dataclass(frozen=True)
class LevelAmounts:
    basic: int
    build: int
    repair: int
    rent: int

    def additional(self, plan: Plan) -> int:
        return 0 if plan is Plan.none else int(getattr(self, plan.value))


@dataclass(frozen=True)
class SupportTable:
    law: str
    verify: str
    single_person_ratio: Fraction
    basic_months: int
    additional_months: int
    levels: dict[SupportLevel, LevelAmounts]

    def amounts(self, level: SupportLevel) -> LevelAmounts:
        return self.levels.get(level, LevelAmounts(0, 0, 0, 0))


@dataclass(frozen=True)
class Estimate:
    level: SupportLevel
    household_size: int
    plan: Plan
    basic: int
    additional: int

    @property
    def total(self) -> int:
        return self.basic + self.additional


def read_table(path: Path = TABLE_FILE) -> SupportTable:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        numerator, denominator = doc["single_person_ratio"]
        levels = {
            SupportLevel(code): LevelAmounts(
                basic=int(row["basic"]),
                build=int(row["build"]),
                repair=int(row["repair"]),
                rent=int(row["rent"]),
            )
            for code, row in doc["levels"].items()
        }
        return SupportTable(
            law=str(doc["law"]),
            verify=str(doc["verify"]),
            single_person_ratio=Fraction(int(numerator), int(denominator)),
            basic_months=int(doc["deadline_months"]["basic"]),
            additional_months=int(doc["deadline_months"]["additional"]),
            levels=levels,
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError, TypeError) as exc:
        raise InvalidInputError(f"{path.name}: not a livelihood-support table: {exc}") from exc


@lru_cache(maxsize=1)
def default_table() -> SupportTable:
    return read_table()


def scaled(amount: int, household_size: int, table: SupportTable) -> int:
    """A single-person household gets the ratio (¾) of each amount; yen are never fractional in
    the table, but round down if a future ratio makes them so (the law pays whole yen)."""
    if household_size == 1:
        return int(amount * table.single_person_ratio)
    return amount


def require_plan_fits(level: SupportLevel, plan: Plan) -> None:
    """Refuse (422) repair (補修) for a 解体 household.

    Why: a 解体世帯 is one whose dwelling was demolished or must be (法第2条第2号ロ), and the
    repair grant is for 「その居住する住宅を補修する世帯」 (法第3条第2項第2号): there is nothing
    left to repair, so it rebuilds by build/buy or rent. The law's table prints a repair amount
    on the row 解体 shares with 全壊 and 長期避難 (the amounts of 第3条第2項 are written once
    for all of them); the amount stays in livelihood_support.toml as printed and is never given.
    Verify against the Cabinet Office's 事務の手引き for the rare case of a demolished
    household repairing another dwelling it lives in.
    """
    if level is SupportLevel.demolition and plan is Plan.repair:
        raise InvalidInputError(
            "field 'plan': repair (補修) is not possible for a household whose dwelling is"
            " demolished (解体); build or buy (建設・購入) or rent (賃借) instead"
        )


def estimate(
    *,
    level: SupportLevel,
    household_size: int,
    plan: Plan,
    table: SupportTable | None = None,
    additional_already: int = 0,
) -> Estimate:
    """Basic plus additional support for one household.

    additional_already is the additional support the household was already granted (rent
    before deciding to build): the additional support then totals at most the amount of the
    later plan (法第3条第3項: 賃借の後に建設・購入なら合計 200 万円, 補修なら 100 万円), so the new
    grant is what remains under that plan's amount.
    """
    if household_size < 1:
        raise InvalidInputError("household_size: must be at least 1")
    require_plan_fits(level, plan)
    table = table or default_table()
    amounts = table.amounts(level)
    basic = scaled(amounts.basic, household_size, table)
    additional = scaled(amounts.additional(plan), household_size, table)
    additional = max(0, additional - additional_already)
    return Estimate(level, household_size, plan, basic, additional)


def add_months_period_end(start: date, months: int) -> date:
    """The last day of a period of `months` months counted from `start` inclusive (起算して…月を
    経過する日, 民法143条): the day before the corresponding day, or the month's last day when
    that month has no corresponding day (Jan 31 + 1 month ends on the last day of February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)


def deadline(kind: SupportKind, disaster_date: date, table: SupportTable | None = None) -> date:
    table = table or default_table()
    months = table.basic_months if kind is SupportKind.basic else table.additional_months
    return add_months_period_end(disaster_date, months)
