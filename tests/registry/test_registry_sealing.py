"""Sealing a column of personal numbers at once gives what sealing them one by one gives."""

from __future__ import annotations

import pyarrow as pa
import pytest
from cryptography.exceptions import InvalidTag

from sonae.errors import InvalidInputError
from sonae.registry.my_number_store import end_to_end, hex_column, seal_numbers
from sonae.security.my_number import check_digit, get_cipher
from sonae.security.service import my_number_context

NUMBERS = [f"{n:011d}" + str(check_digit(f"{n:011d}")) for n in (31415926535, 27182818284, 1)]


def test_each_sealed_number_opens_for_its_own_person_only_and_hashes_as_alone() -> None:
    cipher = get_cipher()
    sealed = seal_numbers(
        municipality_code="122271",
        person_ids=pa.array([7, 8, 9], pa.int64()),
        numbers=pa.array(NUMBERS),
    )
    rows = sealed.to_pylist()
    assert [r["person_id"] for r in rows] == [7, 8, 9]
    for row, number in zip(rows, NUMBERS, strict=True):
        nonce, ciphertext = row["nonce"], row["ciphertext"]
        assert len(nonce) == 12
        context = my_number_context("122271", row["person_id"])
        assert cipher.open(nonce, ciphertext, context=context) == number
        assert row["lookup_hash"] == cipher.lookup_hash(number)
        with pytest.raises(InvalidTag):  # bound to the person: another id does not open it
            cipher.open(nonce, ciphertext, context=my_number_context("122271", 1))
    assert len({r["nonce"] for r in rows}) == 3  # a fresh nonce per number


def test_a_wrong_check_digit_or_length_anywhere_refuses_the_whole_column() -> None:
    cipher = get_cipher()
    wrong = NUMBERS[1][:11] + str((int(NUMBERS[1][11]) + 1) % 10)
    with pytest.raises(InvalidInputError) as raised:
        cipher.seal_many((NUMBERS[0] + wrong).encode(), [b"a", b"b"])
    assert wrong not in str(raised.value)
    with pytest.raises(InvalidInputError):
        end_to_end(pa.array([NUMBERS[0][:11], NUMBERS[1] + "0"]))  # 11 + 13 digits


def test_hex_column_writes_each_fixed_width_value_as_hex_text() -> None:
    assert hex_column(b"\x00\xff\x10\x01", 2).to_pylist() == ["00ff", "1001"]
    assert hex_column(b"\xab", 1).to_pylist() == ["ab"]
