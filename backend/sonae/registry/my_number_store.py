"""Personal numbers of an import, stored in bulk: sealed by the security package's cipher.

This is security.service.store_my_number for many people at once (one call per person would
take minutes for a city): the same cipher (security.my_number.get_cipher), the same associated
data (security.service.my_number_context: municipality and person), the same table. The number
never reaches the person table, a log line or a message. Numbers already stored unchanged (same
keyed hash for the same person) are not sealed again.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import text
from sqlalchemy.orm import Session

from sonae.errors import InvalidInputError
from sonae.registry.arrow import flat
from sonae.registry.bulk import copy_in, driver_connection, drop_temp, temp_table_like
from sonae.registry.existing import load_my_number_hashes
from sonae.registry.partitions import Targets
from sonae.security.my_number import CIPHERTEXT_SIZE, get_cipher
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
        empty = pa.array([], pa.string())
        self._hashes = pa.table({"number": empty, "hash": empty})
        """Each number of the file hashed so far, and its hex keyed hash."""

    @property
    def empty(self) -> bool:
        return int(self.held.num_rows) == 0

    def hashes(self, numbers: Any) -> Any:
        """Hex keyed hash of each number (null stays null), each distinct number hashed once."""
        numbers = flat(numbers)
        known = self._hashes
        fresh = pc.unique(pc.drop_null(numbers))
        fresh = fresh.filter(pc.invert(pc.is_in(fresh, value_set=known.column("number"))))
        if len(fresh):
            digests = get_cipher().lookup_hashes(end_to_end(fresh), len(fresh))
            computed = pa.table({"number": fresh, "hash": hex_column(digests, 32)})
            known = self._hashes = pa.concat_tables([known, computed])
        return known.column("hash").take(pc.index_in(numbers, value_set=known.column("number")))

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


def seal_numbers(*, municipality_code: str, person_ids: Any, numbers: Any) -> Any:
    """Arrow table of COLUMNS, bytea as binary (for binary COPY). CPU only: safe in a worker thread.

    The cipher seals the whole column in one call (security.my_number.seal_many): the numbers
    were validated column-wise already and are checked again there, on a matrix, not per row.
    """
    count = len(person_ids)
    contexts = [
        my_number_context(municipality_code, person_id).encode()
        for person_id in person_ids.to_pylist()
    ]
    sealed = get_cipher().seal_many(end_to_end(numbers), contexts)
    return pa.table(
        {
            "municipality_code": pa.repeat(pa.scalar(municipality_code), count),
            "person_id": person_ids,
            "nonce": fixed_width(sealed.nonces, 12),
            "ciphertext": fixed_width(sealed.ciphertexts, CIPHERTEXT_SIZE),
            "lookup_hash": fixed_width(sealed.lookup_hashes, 32),
            "key_version": pa.repeat(pa.scalar(KEY_VERSION, pa.int16()), count),
        }
    )


def end_to_end(numbers: Any) -> bytes:
    """The 12-digit numbers of a string column (no nulls) laid end to end, from Arrow's buffer."""
    array = flat(numbers)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)
    offsets = offsets[array.offset : array.offset + len(array) + 1]
    if array.null_count or not np.all(np.diff(offsets) == 12):
        raise InvalidInputError("個人番号 is not 12 digits with a valid check digit")
    data = array.buffers()[2]
    return b"" if data is None else data.to_pybytes()[int(offsets[0]) : int(offsets[-1])]


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def fixed_width(values: bytes, width: int) -> Any:
    """Fixed-width byte strings laid end to end, as an Arrow column over the same bytes."""
    count = len(values) // width
    return pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(width), count, [None, pa.py_buffer(values)]
    )


def hex_column(values: bytes, width: int) -> Any:
    """Fixed-width byte strings laid end to end, as an Arrow column of hex text (as the held
    hashes are read back), encoded on a numpy matrix rather than per value."""
    count = len(values) // width
    raw = np.frombuffer(values, dtype=np.uint8).reshape(count, width)
    text = np.empty((count, 2 * width), dtype=np.uint8)
    text[:, 0::2] = _HEX[raw >> 4]
    text[:, 1::2] = _HEX[raw & 15]
    offsets = np.arange(count + 1, dtype=np.int32) * 2 * width
    return pa.StringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(text.tobytes()))


def store_my_numbers(*, session: Session, sealed: Any, replace: bool, targets: Targets) -> int:
    """Insert the sealed numbers into my_number (or the city's first partition); with
    replace, update the people who already have one."""
    if sealed.num_rows == 0:
        return 0
    if not replace:
        return copy_in(session, targets.my_number, sealed, binary=True, freeze=targets.first_load)
    temp_table_like(session, STAGE, "my_number", COLUMNS)
    copy_in(session, STAGE, sealed, binary=True)
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
