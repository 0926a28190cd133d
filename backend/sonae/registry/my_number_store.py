"""Personal numbers of an import, stored in bulk: sealed by the security package's cipher.

This is security.service.store_my_number for many people at once (one call per person would
take minutes for a city): the same cipher (security.my_number.get_cipher), the same associated
data (security.service.my_number_context: municipality and person), the same table. The number
never reaches the person table, a log line or a message. Numbers already stored unchanged (same
keyed hash for the same person) are not sealed again.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import text
from sqlalchemy.orm import Session

from sonae.registry.bulk import copy_in, driver_connection, drop_temp, temp_table_like
from sonae.registry.existing import load_my_number_hashes
from sonae.security.my_number import get_cipher
from sonae.security.service import my_number_context

KEY_VERSION = 1
COLUMNS = ("municipality_code", "person_id", "nonce", "ciphertext", "lookup_hash", "key_version")
STAGE = "registry_my_number_stage"


class StoredNumbers:
    """The keyed hashes already stored for a municipality, to compare the file's numbers with.

    The file's numbers are hashed only when something is stored (a first import skips it).
    """

    def __init__(self, *, session: Session, municipality_code: str) -> None:
        self.held = load_my_number_hashes(session=session, municipality_code=municipality_code)
        self._hashes: dict[str, str] = {}

    @property
    def empty(self) -> bool:
        return int(self.held.num_rows) == 0

    def hashes(self, numbers: Any) -> Any:
        cipher = get_cipher()
        cache = self._hashes
        values = []
        for number in numbers.to_pylist():
            if number is not None and number not in cache:
                cache[number] = cipher.lookup_hash(number).hex()
            values.append(None if number is None else cache[number])
        return pa.array(values, pa.string())

    def clashes(self, numbers: Any, person_ids: Any) -> Any:
        """True where the number is stored for someone else (person_ids: null for new people)."""
        if self.empty:
            return pa.repeat(pa.scalar(False), len(numbers))
        holder = self.held["person_id"].take(
            pc.index_in(self.hashes(numbers), value_set=self.held["lookup_hash"])
        )
        other = pc.or_kleene(pc.is_null(person_ids), pc.not_equal(holder, person_ids))
        return pc.and_(pc.fill_null(other, False), pc.is_valid(holder))

    def to_store(self, numbers: Any, person_ids: Any) -> tuple[Any, bool]:
        """(rows whose number must be sealed and stored, whether any replaces a stored one)."""
        given = numbers.is_valid()
        if self.empty:
            return given, False
        own = pc.index_in(person_ids, value_set=self.held["person_id"])
        same = pc.equal(self.held["lookup_hash"].take(own), self.hashes(numbers))
        store = pc.and_(given, pc.invert(pc.fill_null(same, False)))
        replace = bool(pc.any(pc.and_(store, pc.is_valid(own))).as_py())
        return store, replace


def seal_numbers(*, municipality_code: str, person_ids: list[int], numbers: list[str]) -> Any:
    """Arrow table of COLUMNS, bytea as PostgreSQL hex text. CPU only: safe in a worker thread."""
    cipher = get_cipher()
    nonces, ciphertexts, hashes = [], [], []
    for person_id, number in zip(person_ids, numbers, strict=True):
        sealed = cipher.seal(number, context=my_number_context(municipality_code, person_id))
        nonces.append("\\x" + sealed.nonce.hex())
        ciphertexts.append("\\x" + sealed.ciphertext.hex())
        hashes.append("\\x" + sealed.lookup_hash.hex())
    count = len(person_ids)
    return pa.table(
        {
            "municipality_code": pa.repeat(pa.scalar(municipality_code), count),
            "person_id": pa.array(person_ids, pa.int64()),
            "nonce": pa.array(nonces, pa.string()),
            "ciphertext": pa.array(ciphertexts, pa.string()),
            "lookup_hash": pa.array(hashes, pa.string()),
            "key_version": pa.repeat(pa.scalar(KEY_VERSION, pa.int16()), count),
        }
    )


def store_my_numbers(*, session: Session, sealed: Any, replace: bool) -> int:
    """Insert the sealed numbers; with replace, update the people who already have one."""
    if sealed.num_rows == 0:
        return 0
    if not replace:
        return copy_in(session, "my_number", sealed)
    temp_table_like(session, STAGE, "my_number", COLUMNS)
    copy_in(session, STAGE, sealed)
    assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[2:])
    names = ", ".join(COLUMNS)
    driver_connection(session).execute(
        f"INSERT INTO my_number ({names}) SELECT {names} FROM {STAGE} "
        f"ON CONFLICT (municipality_code, person_id) DO UPDATE SET {assignments}, "
        "stored_at = now()"
    )
    drop_temp(session, STAGE)
    return int(sealed.num_rows)


def count_stored(*, session: Session, municipality_code: str) -> int:
    return int(
        session.execute(
            text("SELECT count(*) FROM my_number WHERE municipality_code = :code"),
            {"code": municipality_code},
        ).scalar_one()
    )
