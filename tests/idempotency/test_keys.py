"""Fingerprints and keys, without a database."""

from __future__ import annotations

import pytest

from sonae.errors import InvalidInputError
from sonae.idempotency.service import check_key, encode, fingerprint


def test_the_fingerprint_ignores_key_order_but_not_values_or_path() -> None:
    one = fingerprint("post", "/a", {"x": 1, "y": [1, {"b": 2, "a": 1}]})
    assert one == fingerprint("POST", "/a", {"y": [1, {"a": 1, "b": 2}], "x": 1})
    assert one != fingerprint("POST", "/a", {"x": 2, "y": [1, {"a": 1, "b": 2}]})
    assert one != fingerprint("POST", "/b", {"x": 1, "y": [1, {"a": 1, "b": 2}]})


def test_answers_are_encoded_with_sorted_keys_so_replays_match() -> None:
    assert encode({"b": 1, "a": "避難"}) == encode({"a": "避難", "b": 1})
    assert encode({"b": 1, "a": "避難"}) == '{"a":"避難","b":1}'.encode()


@pytest.mark.parametrize("key", [None, "", "   "])
def test_a_missing_key_is_none(key: str | None) -> None:
    assert check_key(key) is None


@pytest.mark.parametrize("key", ["short", "x" * 101, "has space in it", "日本語のキーです"])
def test_a_malformed_key_is_refused(key: str) -> None:
    with pytest.raises(InvalidInputError):
        check_key(key)


def test_a_uuid_is_a_key() -> None:
    assert (
        check_key("0b7c9a34-2f7e-4c8e-9d3a-5e8f1a2b3c4d") == "0b7c9a34-2f7e-4c8e-9d3a-5e8f1a2b3c4d"
    )
