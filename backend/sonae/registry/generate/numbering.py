"""宛名番号, 世帯番号, 個人番号 and 住民票コード, vectorised.

宛名番号 and 世帯番号: a 9-digit serial and a check digit, modulus 11 with weights 2–7 from the
right (M11W2-7, 標準仕様書 1.1.13; remainder 0 or 1 → 0, as docs/registry_format.md says).
個人番号: 11 digits and the check digit of 番号法施行令 第8条 — the same rule as
sonae.security.my_number.check_digit, computed on arrays (the tests compare the two).
住民票コード: 11 random digits. Its check digit (平成14年総務省告示第436号) is not modelled: we
could not verify the formula, so only the format is right.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sonae.registry.generate.rates import IntArray, Rng

SERIAL_DIGITS = 9
MY_NUMBER_BODY = 10**11
_M11W27 = np.array([2, 3, 4, 5, 6, 7, 2, 3, 4])  # weight of the n-th digit from the right
_MY_NUMBER_WEIGHTS = np.array([2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6])  # Q_n, n = 1..11


def _digits_from_right(values: IntArray, count: int) -> IntArray:
    powers = 10 ** np.arange(count, dtype=np.int64)
    result: IntArray = (values[:, None] // powers) % 10
    return result


def _mod11(values: IntArray, weights: IntArray) -> IntArray:
    remainder = (_digits_from_right(values, weights.size) @ weights) % 11
    result: IntArray = np.where(remainder <= 1, 0, 11 - remainder)
    return result


def m11w27(serial: int) -> int:
    """The check digit of a 9-digit serial."""
    return int(_mod11(np.array([serial], np.int64), _M11W27)[0])


def with_check_digits(serials: IntArray) -> list[str]:
    """10-digit 宛名番号 / 世帯番号: the serial, zero-padded to 9 digits, and its check digit."""
    if serials.size and (serials.min() < 1 or serials.max() >= 10**SERIAL_DIGITS):
        raise ValueError("serials must have at most 9 digits")
    numbers = serials * 10 + _mod11(serials, _M11W27)
    return [f"{n:010d}" for n in numbers.tolist()]


def serials(rng: Rng, count: int, start: int, gap_mean: float) -> IntArray:
    """Increasing serials from `start`; gaps stand for numbers of people who left long ago."""
    if count == 0:
        return np.zeros(0, np.int64)
    gaps = rng.geometric(1.0 / gap_mean, count).astype(np.int64)
    gaps[0] = 0
    result: IntArray = start + np.cumsum(gaps)
    return result


def my_numbers(rng: Rng, count: int, taken: set[str] | None = None) -> list[str]:
    """Distinct 12-digit numbers with a valid check digit, none of them in `taken`."""

    def draw(n: int) -> list[str]:
        bodies = rng.integers(0, MY_NUMBER_BODY, n, dtype=np.int64)
        numbers = bodies * 10 + _mod11(bodies, _MY_NUMBER_WEIGHTS)
        return [f"{v:012d}" for v in numbers.tolist()]

    return _distinct(draw, count, taken or set())


def resident_codes(rng: Rng, count: int, taken: set[str] | None = None) -> list[str]:
    """Distinct 11-digit 住民票コード (format only: see the module docstring)."""

    def draw(n: int) -> list[str]:
        return [f"{v:011d}" for v in rng.integers(0, 10**11, n, dtype=np.int64).tolist()]

    return _distinct(draw, count, taken or set())


def _distinct(draw: Callable[[int], list[str]], count: int, taken: set[str]) -> list[str]:
    """`count` distinct values from `draw`, in draw order, none of them in `taken`."""
    chosen: dict[str, None] = {}  # an ordered set
    while len(chosen) < count:
        for value in draw(count - len(chosen) + 16):
            if value not in taken:
                chosen[value] = None
    return list(chosen)[:count]
