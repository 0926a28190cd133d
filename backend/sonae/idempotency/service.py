"""Idempotency keys: claim a key at the start of a request's transaction, store its answer.

    claim = idempotency.claim(session=..., principal=..., key=..., fingerprint=...)
    if claim.replay is not None: return claim.replay          # the first answer, again
    ... do the work ...
    idempotency.store(session=..., claim=claim, status_code=201, response=body)

The claim is an INSERT … ON CONFLICT DO NOTHING on (municipality_code, user_id, key). A
concurrent duplicate blocks on the unique index until the first transaction ends; if it
committed, the duplicate inserts nothing and reads the stored answer; if it rolled back, the
duplicate's insert goes through and it does the work itself. Only answers of committed
transactions are ever replayed: a refused request (an exception, rolled back) leaves no record
and its retry is judged afresh.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sonae.audit import service as audit
from sonae.errors import InvalidInputError
from sonae.idempotency.models import IdempotencyRecord
from sonae.security.roles import Principal

KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")
"""Tablets send a UUID; anything printable, 8 to 100 characters, is accepted."""


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: Any


@dataclass(frozen=True)
class Claim:
    record_id: int | None
    """Set when this request owns the key and must store its answer."""
    replay: Answer | None
    """Set when the key was used before with the same request: answer this again."""
    municipality_code: str
    """With record_id, the record's primary key (municipality_code, id)."""


def fingerprint(method: str, path: str, body: Any) -> str:
    """SHA-256 of the method, the path and the body in canonical JSON (key order, spacing)."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{method.upper()} {path}\n{canonical}".encode()).hexdigest()


def check_key(key: str | None) -> str | None:
    """None when the header is missing; InvalidInputError when it is malformed."""
    if key is None or not key.strip():
        return None
    if not KEY_PATTERN.match(key):
        raise InvalidInputError(
            "header 'Idempotency-Key': 8 to 100 characters of A-Z a-z 0-9 . _ : - (a UUID)"
        )
    return key


_table = cast(Table, IdempotencyRecord.__table__)
_records = _table.c
# Built once (every check-in and check-out runs them): building and cache-keying a statement
# cost more CPU than running it.
_CLAIM = (
    insert(_table)
    .values(
        municipality_code=bindparam("v_municipality_code"),
        user_id=bindparam("v_user_id"),
        key=bindparam("v_key"),
        request_hash=bindparam("v_request_hash"),
    )
    .on_conflict_do_nothing(index_elements=["municipality_code", "user_id", "key"])
    .returning(_records.id)
)
_STORED = select(_records.request_hash, _records.status_code, _records.response).where(
    _records.municipality_code == bindparam("v_municipality_code"),
    _records.user_id == bindparam("v_user_id"),
    _records.key == bindparam("v_key"),
)
# By the whole primary key (municipality_code, id): there is no index on id alone, and by id
# only this was a sequential scan of every key ever claimed (0.8 ms at 44k records, growing).
_BY_ID = (_records.municipality_code == bindparam("v_record_code")) & (
    _records.id == bindparam("v_record_id")
)
_STORE = (
    update(_table)
    .where(_BY_ID)
    .values(
        status_code=bindparam("v_status_code"),
        response=bindparam("v_response", type_=_records.response.type),
    )
)

# The answer and the request's audit entry in one statement (a data-modifying CTE): a round
# trip fewer on every check-in.
_STORE_WITH_AUDIT = _STORE.add_cte(audit.INSERT.cte("audit_entry"))
_RELEASE = delete(_table).where(_BY_ID)


def claim(*, session: Session, principal: Principal, key: str, fingerprint: str) -> Claim:
    whose = {
        "v_municipality_code": principal.municipality_code,
        "v_user_id": principal.user_id,
        "v_key": key,
    }
    record_id = session.execute(_CLAIM, {**whose, "v_request_hash": fingerprint}).scalar()
    if record_id is not None:
        return Claim(
            record_id=record_id, replay=None, municipality_code=principal.municipality_code
        )
    # Read committed: this statement sees the row the conflicting transaction committed.
    record = session.execute(_STORED, whose).one()
    if record.request_hash != fingerprint:
        raise InvalidInputError(
            "header 'Idempotency-Key': already used for a different request; send a new key"
        )
    if record.status_code is None:  # pragma: no cover - a claim is stored before commit
        raise InvalidInputError("header 'Idempotency-Key': the first request left no answer")
    replay = Answer(record.status_code, record.response)
    return Claim(record_id=None, replay=replay, municipality_code=principal.municipality_code)


def store(
    *,
    session: Session,
    claim: Claim,
    status_code: int,
    body: Any,
    audit_entry: Mapping[str, object] | None = None,
) -> None:
    """Store the answer; audit_entry (audit.service.entry) is written by the same statement."""
    if claim.record_id is None:
        raise ValueError("only the request that claimed the key stores its answer")
    params = {
        "v_record_code": claim.municipality_code,
        "v_record_id": claim.record_id,
        "v_status_code": status_code,
        "v_response": body,
    }
    if audit_entry is None:
        session.execute(_STORE, params)
    else:
        session.execute(_STORE_WITH_AUDIT, {**audit_entry, **params})


def release(*, session: Session, claim: Claim) -> None:
    """Give the key back when the request is refused: its retry is then judged afresh.

    The transaction's rollback would drop the claim too; releasing it explicitly keeps that
    true where the transaction outlives the request (a savepoint in tests, a batch)."""
    if claim.record_id is not None:
        where = {"v_record_code": claim.municipality_code, "v_record_id": claim.record_id}
        session.execute(_RELEASE, where)


def encode(body: Any) -> bytes:
    """The one serialisation of stored answers: JSONB reorders keys, so both the first answer
    and its replays are written with sorted keys, byte for byte the same."""
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
