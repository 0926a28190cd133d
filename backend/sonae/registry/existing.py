"""What the database already holds for a municipality's people, read in bulk for comparison."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from sqlalchemy import text
from sqlalchemy.orm import Session

from sonae.registry.bulk import copy_out

TRACKED = ("status", "household_number", "relation_to_head", "address_text")
"""What person_history records; a change in any of these is a history entry."""

EXISTING_SCHEMA = pa.schema(
    [
        ("address_number", pa.string()),
        ("id", pa.int64()),
        ("status", pa.string()),
        ("status_since", pa.date32()),
        ("household_number", pa.string()),
        ("relation_to_head", pa.string()),
        ("address_text", pa.string()),
    ]
)


def lock_registry(*, session: Session, municipality_code: str) -> None:
    """One registry import per municipality at a time (until the transaction ends)."""
    session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('sonae.registry:' || :code))"),
        {"code": municipality_code},
    )


def load_people(
    *, session: Session, municipality_code: str, address_numbers: list[str] | None = None
) -> Any:
    """Arrow table (EXISTING_SCHEMA) of the people held, or of those with the given numbers."""
    code = _code(municipality_code)
    where = f"p.municipality_code = '{code}'"
    if address_numbers is not None:
        if not address_numbers:
            return EXISTING_SCHEMA.empty_table()
        listed = ",".join(f"'{_digits(n)}'" for n in address_numbers)
        where += f" AND p.address_number IN ({listed})"
    query = (
        "SELECT p.address_number, p.id, p.status, p.status_since, p.household_number, "
        "p.relation_to_head, p.address_text "
        f"FROM person p WHERE {where}"
    )
    return copy_out(session, query, EXISTING_SCHEMA)


def load_my_number_hashes(*, session: Session, municipality_code: str) -> Any:
    """person_id and lookup_hash of every personal number held for the municipality."""
    code = _code(municipality_code)
    query = (
        "SELECT person_id, encode(lookup_hash, 'hex') FROM my_number "
        f"WHERE municipality_code = '{code}'"
    )
    schema = pa.schema([("person_id", pa.int64()), ("lookup_hash", pa.string())])
    return copy_out(session, query, schema)


def _code(municipality_code: str) -> str:
    # COPY takes no bind parameters: only a 6-digit code is ever put in the statement.
    if not (len(municipality_code) == 6 and municipality_code.isdigit()):
        raise ValueError("a municipality code is 6 digits")
    return municipality_code


def _digits(value: str) -> str:
    if not value.isdigit():
        raise ValueError("宛名番号 must be digits")
    return value


def load_person_ids(*, session: Session, municipality_code: str) -> Any:
    """address_number and id of every person held for the municipality (any status)."""
    code = _code(municipality_code)
    query = f"SELECT address_number, id FROM person WHERE municipality_code = '{code}'"
    schema = pa.schema([("address_number", pa.string()), ("id", pa.int64())])
    return copy_out(session, query, schema)
