"""宛名番号, 世帯番号, 個人番号, 住民票コード: formats, check digits, uniqueness."""

from __future__ import annotations

from collections import Counter

import numpy as np
from synthetic_registry import m11w27_by_the_book

from sonae.registry.generate.numbering import m11w27, my_numbers, with_check_digits
from sonae.registry.generate.run import GenerateResult
from sonae.security.my_number import check_digit, is_valid


def test_m11w27_worked_example() -> None:
    # 000000001: 1×2 = 2 → 11 − 2 = 9; 000000005: 5×2 = 10 → 1; 000000006: 12 % 11 = 1 → 0
    assert [m11w27(1), m11w27(5), m11w27(6)] == [9, 1, 0]
    assert with_check_digits(np.array([1, 123456789])) == ["0000000019", "1234567892"]


def test_every_address_and_household_number(registry_rows: list[dict[str, str]]) -> None:
    for column in ("宛名番号", "世帯番号"):
        numbers = [row[column] for row in registry_rows]
        assert all(len(n) == 10 and n.isdigit() for n in numbers), column
        assert all(m11w27_by_the_book(n) for n in numbers), column
    assert len({row["宛名番号"] for row in registry_rows}) == len(registry_rows)


def test_every_personal_number_is_valid_and_unique(registry_rows: list[dict[str, str]]) -> None:
    numbers = [row["個人番号"] for row in registry_rows]
    assert all(is_valid(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_resident_codes_are_eleven_digits_and_unique(registry_rows: list[dict[str, str]]) -> None:
    codes = [row["住民票コード"] for row in registry_rows]
    assert all(len(c) == 11 and c.isdigit() for c in codes)
    assert len(set(codes)) == len(codes)


def test_vectorised_check_digit_agrees_with_security_module() -> None:
    numbers = my_numbers(np.random.default_rng(5), 20_000)
    assert all(int(n[11]) == check_digit(n[:11]) for n in numbers)
    assert Counter(n[11] for n in numbers).keys() <= set("0123456789")


def test_numbers_avoid_those_already_taken() -> None:
    first = my_numbers(np.random.default_rng(1), 50)
    again = my_numbers(np.random.default_rng(1), 50, taken=set(first[:10]))
    assert not set(again) & set(first[:10]) and len(set(again)) == 50


def test_address_numbers_follow_arrival(urayasu: GenerateResult) -> None:
    """Numbers are handed out as people arrive: an earlier arrival never has a larger serial."""
    population = urayasu.population
    serial = np.array([int(n[:9]) for n in population.address_number])
    order = np.argsort(serial)
    assert (np.diff(population.dates.became[order]) >= 0).all()
