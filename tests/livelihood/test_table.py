"""The estimator against the law's table, every amount written out by hand (DOMAIN.md §3).

Multi-person: the table as printed. Single-person: ¾ of each amount, worked out by hand
(1,000,000 → 750,000; 500,000 → 375,000; 2,000,000 → 1,500,000; 250,000 → 187,500).
"""

from __future__ import annotations

from datetime import date

import pytest

from sonae.errors import InvalidInputError
from sonae.livelihood.table import (
    Plan,
    SupportKind,
    SupportLevel,
    add_months_period_end,
    deadline,
    estimate,
    read_table,
)

L = SupportLevel
# (level, plan) → (basic, additional) for a household of 2 or more
MULTI = {
    (L.total_collapse, Plan.build): (1_000_000, 2_000_000),
    (L.total_collapse, Plan.repair): (1_000_000, 1_000_000),
    (L.total_collapse, Plan.rent): (1_000_000, 500_000),
    (L.total_collapse, Plan.none): (1_000_000, 0),
    (L.demolition, Plan.build): (1_000_000, 2_000_000),
    (L.demolition, Plan.rent): (1_000_000, 500_000),
    (L.demolition, Plan.none): (1_000_000, 0),
    (L.long_term_evacuation, Plan.build): (1_000_000, 2_000_000),
    (L.long_term_evacuation, Plan.repair): (1_000_000, 1_000_000),
    (L.long_term_evacuation, Plan.rent): (1_000_000, 500_000),
    (L.long_term_evacuation, Plan.none): (1_000_000, 0),
    (L.large_scale_half, Plan.build): (500_000, 2_000_000),
    (L.large_scale_half, Plan.repair): (500_000, 1_000_000),
    (L.large_scale_half, Plan.rent): (500_000, 500_000),
    (L.large_scale_half, Plan.none): (500_000, 0),
    (L.medium_scale_half, Plan.build): (0, 1_000_000),
    (L.medium_scale_half, Plan.repair): (0, 500_000),
    (L.medium_scale_half, Plan.rent): (0, 250_000),
    (L.medium_scale_half, Plan.none): (0, 0),
}
SINGLE = {
    (L.total_collapse, Plan.build): (750_000, 1_500_000),
    (L.total_collapse, Plan.repair): (750_000, 750_000),
    (L.total_collapse, Plan.rent): (750_000, 375_000),
    (L.total_collapse, Plan.none): (750_000, 0),
    (L.demolition, Plan.build): (750_000, 1_500_000),
    (L.demolition, Plan.rent): (750_000, 375_000),
    (L.demolition, Plan.none): (750_000, 0),
    (L.long_term_evacuation, Plan.build): (750_000, 1_500_000),
    (L.long_term_evacuation, Plan.repair): (750_000, 750_000),
    (L.long_term_evacuation, Plan.rent): (750_000, 375_000),
    (L.long_term_evacuation, Plan.none): (750_000, 0),
    (L.large_scale_half, Plan.build): (375_000, 1_500_000),
    (L.large_scale_half, Plan.repair): (375_000, 750_000),
    (L.large_scale_half, Plan.rent): (375_000, 375_000),
    (L.large_scale_half, Plan.none): (375_000, 0),
    (L.medium_scale_half, Plan.build): (0, 750_000),
    (L.medium_scale_half, Plan.repair): (0, 375_000),
    (L.medium_scale_half, Plan.rent): (0, 187_500),
    (L.medium_scale_half, Plan.none): (0, 0),
}


@pytest.mark.parametrize(("key", "amounts"), MULTI.items(), ids=lambda v: str(v))
@pytest.mark.parametrize("size", [2, 3, 6])
def test_multi_person_amounts(
    key: tuple[SupportLevel, Plan], amounts: tuple[int, int], size: int
) -> None:
    level, plan = key
    result = estimate(level=level, household_size=size, plan=plan)
    assert (result.basic, result.additional) == amounts
    assert result.total == sum(amounts)


@pytest.mark.parametrize(("key", "amounts"), SINGLE.items(), ids=lambda v: str(v))
def test_single_person_gets_three_quarters(
    key: tuple[SupportLevel, Plan], amounts: tuple[int, int]
) -> None:
    level, plan = key
    result = estimate(level=level, household_size=1, plan=plan)
    assert (result.basic, result.additional) == amounts


@pytest.mark.parametrize("level", [L.half, L.quasi_half, L.partial])
@pytest.mark.parametrize("plan", list(Plan))
@pytest.mark.parametrize("size", [1, 4])
def test_half_and_below_get_nothing_unless_demolished(
    level: SupportLevel, plan: Plan, size: int
) -> None:
    assert estimate(level=level, household_size=size, plan=plan).total == 0


@pytest.mark.parametrize("size", [1, 3])
def test_a_demolished_dwelling_cannot_be_repaired(size: int) -> None:
    """解体: the dwelling is gone (法第2条第2号ロ); the law's row prints a repair amount it shares
    with 全壊 and 長期避難, but there is nothing to repair. Build and rent stay (rows above)."""
    with pytest.raises(InvalidInputError, match=r"^field 'plan': repair \(補修\) is not possible"):
        estimate(level=L.demolition, household_size=size, plan=Plan.repair)
    with pytest.raises(InvalidInputError, match="解体"):
        estimate(
            level=L.demolition, household_size=size, plan=Plan.repair, additional_already=500_000
        )


def test_rent_then_build_is_capped_at_the_build_amount() -> None:
    """Rented first (500,000), then builds: the additional totals 2,000,000, so 1,500,000 more."""
    later = estimate(
        level=L.total_collapse, household_size=3, plan=Plan.build, additional_already=500_000
    )
    assert later.additional == 1_500_000
    assert 500_000 + later.additional == 2_000_000


def test_rent_then_build_single_person_cap() -> None:
    """Single person: rent 375,000 then build, capped at 1,500,000 → 1,125,000."""
    later = estimate(
        level=L.large_scale_half, household_size=1, plan=Plan.build, additional_already=375_000
    )
    assert later.additional == 1_125_000
    assert later.basic == 375_000


def test_medium_scale_half_rent_then_build() -> None:
    """中規模半壊: rent 250,000 then build; total additional at most 1,000,000 → 750,000."""
    later = estimate(
        level=L.medium_scale_half, household_size=2, plan=Plan.build, additional_already=250_000
    )
    assert later.additional == 750_000


def test_household_size_must_be_positive() -> None:
    with pytest.raises(InvalidInputError):
        estimate(level=L.total_collapse, household_size=0, plan=Plan.none)


def test_deadlines_count_from_the_disaster_day() -> None:
    """Noto 2024-01-01: 13 months from the day → last day 2025-01-31; 37 months → 2027-01-31."""
    assert deadline(SupportKind.basic, date(2024, 1, 1)) == date(2025, 1, 31)
    assert deadline(SupportKind.additional, date(2024, 1, 1)) == date(2027, 1, 31)
    # Kumamoto 2016-04-14 → 2017-05-13 and 2019-05-13
    assert deadline(SupportKind.basic, date(2016, 4, 14)) == date(2017, 5, 13)
    assert deadline(SupportKind.additional, date(2016, 4, 14)) == date(2019, 5, 13)


def test_period_without_a_corresponding_day_ends_at_the_month_end() -> None:
    """Jan 31 + 13 months: February has no 31st, so the period ends on its last day (民法143条)."""
    assert add_months_period_end(date(2024, 1, 31), 13) == date(2025, 2, 28)
    assert add_months_period_end(date(2023, 1, 31), 13) == date(2024, 2, 29)
    assert add_months_period_end(date(2024, 2, 29), 24) == date(2026, 2, 28)
    assert add_months_period_end(date(2024, 4, 1), 24) == date(2026, 3, 31)


def test_the_table_file_names_the_law_and_asks_to_verify() -> None:
    table = read_table()
    assert "被災者生活再建支援法" in table.law
    assert "確認" in table.verify
