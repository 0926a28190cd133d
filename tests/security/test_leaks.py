"""The personal-number leak guard (tests/leaks.py) finds what it is meant to find."""

from __future__ import annotations

from leaks import leaks, valid_numbers_in

from sonae.security.my_number import check_digit

ELEVEN = "12345678901"
VALID = ELEVEN + str(check_digit(ELEVEN))
INVALID = ELEVEN + str((check_digit(ELEVEN) + 1) % 10)


def test_a_valid_number_planted_in_a_body_is_found_and_not_repeated() -> None:
    body = '{"id": 7, "note": "' + VALID + '"}'
    found = leaks([("GET /api/support-lists/1/entries", body)], [])
    assert found == ["response of GET /api/support-lists/1/entries: 1 valid personal number(s)"]
    assert VALID not in "".join(found)


def test_a_valid_number_in_a_log_line_is_found() -> None:
    found = leaks([], [("Captured stderr call", f"2026 [info] exported number={VALID}\n")])
    assert found == ["log (Captured stderr call): 1 valid personal number(s)"]


def test_the_my_number_endpoint_is_the_one_exception() -> None:
    body = f'{{"my_number": "{VALID}"}}'
    assert leaks([("GET /api/registry/persons/12/my-number", body)], []) == []
    assert leaks([("GET /api/registry/persons/12/entries", body)], []) != []


def test_invalid_check_digits_and_longer_runs_are_not_numbers() -> None:
    assert valid_numbers_in(INVALID) == 0
    assert valid_numbers_in("9" + VALID) == 0  # 13 digits: not a personal number
    assert valid_numbers_in(f"request_id=b74c{VALID}ab1a") == 0  # inside a hex token
    assert valid_numbers_in(f'"{VALID}" 番号{VALID}、 n={VALID}') == 3
