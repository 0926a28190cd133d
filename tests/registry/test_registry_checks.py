"""Check digits and duplicate finding, on whole columns."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa

from sonae.registry.checks import (
    all_digits,
    as_int64,
    m11_check_digit,
    m11_valid,
    my_number_valid,
    with_m11_check_digit,
)
from sonae.registry.duplicates import duplicate_rows, shared_rows
from sonae.security.my_number import check_digit, is_valid


def test_m11w2_7_by_hand() -> None:
    # 1·2 = 2 → 11 − 2 = 9;  123456789: 9·2+8·3+7·4+6·5+5·6+4·7+3·2+2·3+1·4 = 174, 174 mod 11 = 9
    assert m11_check_digit("000000001") == 9
    assert m11_check_digit("123456789") == 2
    assert m11_check_digit("000000006") == 0  # 12 mod 11 = 1 → 0
    assert m11_check_digit("000000000") == 0


def test_vectorised_m11_agrees_with_the_scalar_rule() -> None:
    rng = random.Random(7)
    values = [with_m11_check_digit(rng.randrange(10**9)) for _ in range(500)]
    wrong = [v[:-1] + str((int(v[-1]) + 1) % 10) for v in values[:100]]
    column = pa.array([*values, *wrong, None, "12345"])
    digits = all_digits(column, 10)
    assert digits.tolist() == [True] * 600 + [False, False]
    assert m11_valid(column, digits).tolist() == [True] * 500 + [False] * 102


def test_vectorised_my_number_agrees_with_the_security_package() -> None:
    rng = random.Random(11)
    numbers = [f"{rng.randrange(10**12):012d}" for _ in range(2000)]
    numbers += [n[:11] + str(check_digit(n[:11])) for n in numbers[:500]]
    column = pa.array(numbers)
    ours = my_number_valid(column, all_digits(column, 12))
    assert ours.tolist() == [is_valid(n) for n in numbers]
    assert ours.sum() >= 500


def test_digits_as_integers() -> None:
    column = pa.array(["0000000019", "x", "1234567890"])
    ok = all_digits(column, 10)
    assert as_int64(column, ok, 10).tolist() == [19, 0, 1234567890]


def test_duplicates_point_at_another_row_of_their_group() -> None:
    clashes = duplicate_rows(np.array([5, 7, 5, 9, 5, 7]))
    pairs = sorted(zip(clashes.rows.tolist(), clashes.other_rows.tolist(), strict=True))
    assert pairs == [(0, 2), (1, 5), (2, 0), (4, 0), (5, 1)]


def test_a_number_shared_by_two_owners_but_not_repeated_by_one() -> None:
    numbers = np.array([11, 11, 22, 22, 33])
    owners = np.array([1, 1, 2, 3, 4])
    clashes = shared_rows(numbers, owners)
    assert sorted(zip(clashes.rows.tolist(), clashes.other_rows.tolist(), strict=True)) == [
        (2, 3),
        (3, 2),
    ]
