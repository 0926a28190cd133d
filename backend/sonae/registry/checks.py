"""Check digits, computed on whole columns at once (numpy), and the scalar forms for tests.

宛名番号 and 世帯番号 (住民記録システム標準仕様書 1.1.13): a 9-digit serial and a check digit,
modulus 11 with weights 2–7 repeating from the right (M11W2-7); a remainder of 0 or 1 gives 0.
個人番号 (番号法施行令 第8条): the same as sonae.security.my_number.check_digit, vectorised.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Mask = np.ndarray[Any, np.dtype[np.bool_]]

M11_WEIGHTS_9 = np.array([2 + (8 - i) % 6 for i in range(9)], dtype=np.int64)
"""Weights of the 9 serial digits, left to right (the rightmost digit weighs 2)."""
MY_NUMBER_WEIGHTS_11 = np.array(
    [n + 1 if n <= 6 else n - 5 for n in range(11, 0, -1)], dtype=np.int64
)
"""Q_n of the first 11 digits, left to right (P_n is the n-th digit from the right)."""


def m11_check_digit(serial: str) -> int:
    total = sum(int(d) * int(w) for d, w in zip(serial, M11_WEIGHTS_9, strict=True))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def with_m11_check_digit(serial: int) -> str:
    """A 10-digit number for a 9-digit serial (for tests and synthetic data)."""
    digits = f"{serial:09d}"
    return digits + str(m11_check_digit(digits))


def all_digits(column: Any, length: int) -> Mask:
    """True where the (normalised) cell is exactly `length` ASCII digits."""
    matched = pc.match_substring_regex(column, f"^[0-9]{{{length}}}$")
    return np.asarray(pc.fill_null(matched, False).to_numpy(zero_copy_only=False), dtype=bool)


def m11_valid(column: Any, digits_ok: Mask) -> Mask:
    """True where the cell's last digit is the M11W2-7 check digit of the first nine."""
    matrix = _digit_matrix(column, digits_ok, 10)
    remainder = (matrix[:, :9] @ M11_WEIGHTS_9) % 11
    expected = np.where(remainder <= 1, 0, 11 - remainder)
    valid: Mask = digits_ok & (expected == matrix[:, 9])
    return valid


def my_number_valid(column: Any, digits_ok: Mask) -> Mask:
    """True where the cell is a 12-digit personal number with the right check digit."""
    matrix = _digit_matrix(column, digits_ok, 12)
    remainder = (matrix[:, :11] @ MY_NUMBER_WEIGHTS_11) % 11
    expected = np.where(remainder <= 1, 0, 11 - remainder)
    valid: Mask = digits_ok & (expected == matrix[:, 11])
    return valid


def as_int64(column: Any, digits_ok: Mask, length: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    """The digits as integers (0 where not all digits), for fast duplicate finding."""
    matrix = _digit_matrix(column, digits_ok, length)
    powers = 10 ** np.arange(length - 1, -1, -1, dtype=np.int64)
    values: np.ndarray[Any, np.dtype[np.int64]] = matrix @ powers
    return values


def _digit_matrix(column: Any, digits_ok: Mask, length: int) -> np.ndarray[Any, Any]:
    """rows x length matrix of digit values; rows that are not all digits read as zeros."""
    filler = "0" * length
    filled = pc.if_else(pa.array(digits_ok), column, filler)
    if hasattr(filled, "combine_chunks"):
        filled = filled.combine_chunks()
    filled = pc.fill_null(filled, filler)
    offsets = np.frombuffer(filled.buffers()[1], dtype=np.int32)
    data = np.frombuffer(filled.buffers()[2], dtype=np.uint8)
    start = int(offsets[filled.offset])
    count = len(filled)
    matrix = data[start : start + count * length].reshape(count, length).astype(np.int64) - 48
    return matrix
