"""The personal number (個人番号) in and out of storage: the only code that handles it clear.

Importers call store_my_number and find_person_id_by_my_number; exactly one endpoint
(GET /api/registry/persons/{id}/my-number) calls read_my_number, for a stated purpose, audited.
"""

from __future__ import annotations

import enum

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.audit import service as audit
from sonae.errors import ConflictError, NotFoundError, PermissionDeniedError
from sonae.security.models import MyNumberRecord
from sonae.security.my_number import get_cipher, validate
from sonae.security.roles import Permission, Principal, Role

MY_NUMBER_RESOURCE = "registry.my_number"
MY_NUMBER_READERS = (Role.welfare, Role.hq)


class MyNumberPurpose(enum.StrEnum):
    """Why a personal number is read: the 個人番号利用事務 (番号法 第9条 and 別表, or a 条例 under
    第9条第2項) the reader is doing. Verify the list against the current 別表 and the
    municipality's 条例 before production; a purpose outside it must not be added lightly."""

    disaster_victim_registry = "disaster_victim_registry"
    """被災者台帳の作成 (災害対策基本法 第90条の3)"""
    support_list = "support_list"
    """避難行動要支援者名簿の作成・更新 (災害対策基本法 第49条の10)"""
    livelihood_support_payment = "livelihood_support_payment"
    """被災者生活再建支援金の支給 (被災者生活再建支援法)"""
    disaster_condolence_grant = "disaster_condolence_grant"
    """災害弔慰金・災害障害見舞金の支給, 災害援護資金の貸付 (災害弔慰金の支給等に関する法律)"""
    disaster_relief = "disaster_relief"
    """災害救助法による救助 (応急仮設住宅の供与等)"""


def my_number_context(municipality_code: str, person_id: int) -> str:
    """AES-GCM associated data: a sealed number opens only for the person it was stored for."""
    return f"{municipality_code}:{person_id}"


def _record_of(
    *, session: Session, municipality_code: str, person_id: int
) -> MyNumberRecord | None:
    return session.scalar(
        select(MyNumberRecord).where(
            MyNumberRecord.municipality_code == municipality_code,
            MyNumberRecord.person_id == person_id,
        )
    )


def find_person_id_by_my_number(
    *, session: Session, municipality_code: str, number: str
) -> int | None:
    """The person holding this number, by its keyed hash; None when nobody does."""
    lookup_hash = get_cipher().lookup_hash(number)
    return session.scalar(
        select(MyNumberRecord.person_id).where(
            MyNumberRecord.municipality_code == municipality_code,
            MyNumberRecord.lookup_hash == lookup_hash,
        )
    )


def store_my_number(
    *, session: Session, municipality_code: str, person_id: int, number: str
) -> None:
    """Store (or replace) the person's number, encrypted and bound to the person.

    Raises InvalidInputError for a malformed number and ConflictError when the number is
    already recorded for another person; neither message repeats the number.
    """
    validate(number)
    holder = find_person_id_by_my_number(
        session=session, municipality_code=municipality_code, number=number
    )
    if holder is not None and holder != person_id:
        raise ConflictError(
            f"個人番号 of person {person_id} is already recorded for another person"
        )
    sealed = get_cipher().seal(number, context=my_number_context(municipality_code, person_id))
    record = _record_of(session=session, municipality_code=municipality_code, person_id=person_id)
    if record is None:
        record = MyNumberRecord(municipality_code=municipality_code, person_id=person_id)
        session.add(record)
    record.nonce = sealed.nonce
    record.ciphertext = sealed.ciphertext
    record.lookup_hash = sealed.lookup_hash
    record.key_version = 1
    session.flush()


def read_my_number(
    *,
    session: Session,
    principal: Principal,
    person_id: int,
    purpose: MyNumberPurpose,
    request: Request | None = None,
) -> str:
    """The clear number, for a reader with the permission and a purpose; the read is audited
    in the same transaction, so it is never returned unrecorded."""
    if not principal.may(Permission.my_number_read) or not principal.has(*MY_NUMBER_READERS):
        raise PermissionDeniedError(
            "reading a 個人番号 needs the my_number_read permission and role welfare or hq"
        )
    code = principal.municipality_code
    record = _record_of(session=session, municipality_code=code, person_id=person_id)
    if record is None:
        raise NotFoundError(f"no 個人番号 is recorded for person {person_id}")
    number = get_cipher().open(
        record.nonce, record.ciphertext, context=my_number_context(code, person_id)
    )
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource=MY_NUMBER_RESOURCE,
        person_ids=[person_id],
        fields=["my_number"],
        purpose_code=purpose.value,
        request=request,
    )
    return number
