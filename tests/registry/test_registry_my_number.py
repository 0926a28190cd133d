"""The personal number: sealed in its own table, never in the person's row, found by its hash."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from registry_rows import URAYASU, Importer, address_number, my_number, person, resident, write_rows
from sonae.errors import ImportRejectedError
from sonae.security.models import MyNumberRecord
from sonae.security.my_number import get_cipher
from sonae.security.service import find_person_id_by_my_number, my_number_context


def record_of(session: Session, person_id: int) -> MyNumberRecord:
    found = session.scalar(
        select(MyNumberRecord).where(
            MyNumberRecord.municipality_code == URAYASU, MyNumberRecord.person_id == person_id
        )
    )
    assert found is not None
    return found


def test_the_number_is_encrypted_bound_to_the_person_and_found_by_its_hash(
    session: Session, tmp_path: Path, run_import: Importer
) -> None:
    run_import(write_rows(tmp_path / "r.csv", [resident(1), resident(2, 1)]))
    holder = person(session, address_number(2))
    record = record_of(session, holder.id)
    number = my_number(2)
    assert number.encode() not in record.ciphertext and record.ciphertext != number.encode()
    opened = get_cipher().open(
        record.nonce, record.ciphertext, context=my_number_context(URAYASU, holder.id)
    )
    assert opened == number
    assert (
        find_person_id_by_my_number(session=session, municipality_code=URAYASU, number=number)
        == holder.id
    )
    row = session.execute(
        text("SELECT p::text FROM person p WHERE municipality_code = :c AND id = :i"),
        {"c": URAYASU, "i": holder.id},
    ).scalar_one()
    assert number not in row


def test_a_changed_number_replaces_the_stored_one(
    session: Session, tmp_path: Path, run_import: Importer
) -> None:
    run_import(write_rows(tmp_path / "a.csv", [resident(1)]))
    first = record_of(session, person(session, address_number(1)).id).ciphertext
    result = run_import(write_rows(tmp_path / "b.csv", [resident(1, 個人番号=my_number(50))]))
    assert result.my_numbers == 1
    session.expire_all()
    holder = person(session, address_number(1)).id
    assert record_of(session, holder).ciphertext != first
    assert (
        find_person_id_by_my_number(
            session=session, municipality_code=URAYASU, number=my_number(50)
        )
        == holder
    )


def test_a_number_held_by_another_person_refuses_the_row(
    tmp_path: Path, run_import: Importer
) -> None:
    run_import(write_rows(tmp_path / "a.csv", [resident(1), resident(2)]))
    newcomer = resident(3, 個人番号=my_number(1))
    with pytest.raises(ImportRejectedError) as refused:
        run_import(write_rows(tmp_path / "b.csv", [resident(2), newcomer]))
    [problem] = refused.value.problems
    assert (problem.feature, problem.field) == (3, "個人番号")
    assert problem.reason == "already recorded for another person in the registry"
    assert my_number(1) not in str(refused.value)
