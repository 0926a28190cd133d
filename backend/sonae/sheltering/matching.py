"""Find the registered person a shelter is checking in, from what the desk can see.

Three ways: the 宛名番号; the four basic facts from the face of the My Number card (氏名, 住所,
生年月日, 性別 — never the number); or name, kana, birth date and address typed by staff. The
last two are matched with normalisation on both sides: names by NFKC, spaces dropped, old
characters to their standard form (registry.normalise.VARIANTS), hiragana to katakana and
small kana to full size; addresses by registry.normalise.normalise_address. The birth date
narrows the registry first (an equality), so normalisation runs on a handful of rows.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from sonae.errors import NotFoundError
from sonae.municipality.models import Municipality
from sonae.registry.models import Person, ResidentStatus, Sex
from sonae.registry.normalise import VARIANTS, normalise_address

_SPACES = dict.fromkeys(map(ord, " \u3000\t"), None)
_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_HIRAGANA_START, _HIRAGANA_END = 0x3041, 0x3096


@dataclass(frozen=True)
class Candidate:
    """A person who might be the one at the desk; hints only, for staff to ask about."""

    person_id: int
    name_hint: str
    kana_hint: str | None
    town: str
    sex: Sex


class Ambiguous(Exception):
    """More than one registered person fits; the desk must choose (never shown in logs)."""

    def __init__(self, candidates: list[Candidate]) -> None:
        super().__init__(f"{len(candidates)} candidates")
        self.candidates = candidates


def normalise_name(text: str) -> str:
    """浦安　太郎 / 浦安太郎 → 浦安太郎; ｳﾗﾔｽ ﾀﾛｳ / うらやす たろう → ウラヤスタロウ."""
    plain = unicodedata.normalize("NFKC", text).translate(_SPACES).translate(VARIANTS)
    plain = "".join(
        chr(ord(c) + 0x60) if _HIRAGANA_START <= ord(c) <= _HIRAGANA_END else c for c in plain
    )
    return plain.translate(_SMALL_KANA)


def _name_key(text: str) -> str:
    """A name for comparison: normalised, and romanised names case-folded (a desk types
    "Yuan Ming-Chu" for a resident registered as "YUAN MING-CHU")."""
    return normalise_name(text).casefold()


def _name_keys(person: Person) -> set[str]:
    """The registered name, and a foreign resident's romanised name (氏名 may be in kanji)."""
    return {_name_key(n) for n in (person.name, person.name_roman) if n}


# Built once: the intake looks a person up by 宛名番号 on every check-in.
_BY_ADDRESS_NUMBER = select(Person.__table__.c.id).where(
    Person.__table__.c.municipality_code == bindparam("v_code"),
    Person.__table__.c.address_number == bindparam("v_number"),
    Person.__table__.c.status == ResidentStatus.resident,
)


def by_address_number(*, session: Session, municipality_code: str, number: str) -> int:
    """The person id of the resident with this 宛名番号 (the intake's hot path: the id only)."""
    where = {"v_code": municipality_code, "v_number": unicodedata.normalize("NFKC", number).strip()}
    person_id: int | None = session.execute(_BY_ADDRESS_NUMBER, where).scalar()
    if person_id is None:
        raise NotFoundError("no registered resident with that 宛名番号")
    return person_id


def by_facts(
    *,
    session: Session,
    municipality_code: str,
    birth_date: date,
    name: str | None = None,
    name_kana: str | None = None,
    address: str | None = None,
    sex: Sex | None = None,
    chosen: int | None = None,
) -> Person:
    """The one resident matching every given fact; Ambiguous if several; NotFoundError if none.

    chosen picks one of the candidates a previous answer offered: it must still be among them.
    """
    rows = session.scalars(
        select(Person).where(
            Person.municipality_code == municipality_code,
            Person.birth_date == birth_date,
            Person.status == ResidentStatus.resident,
        )
    ).all()
    names = _municipality_names(session, municipality_code)
    wanted_name = _name_key(name) if name else None
    wanted_kana = normalise_name(name_kana) if name_kana else None
    wanted_address = normalise_address(address, names) if address else None
    found = [
        p
        for p in rows
        if (sex is None or p.sex is sex)
        and (wanted_name is None or wanted_name in _name_keys(p))
        and (wanted_kana is None or normalise_name(p.name_kana or "") == wanted_kana)
        and (wanted_address is None or _same_address(p, wanted_address, names))
    ]
    if chosen is not None:
        found = [p for p in found if p.id == chosen]
    if not found:
        raise NotFoundError("no registered resident matches: check the facts or record the "
                            "person as unregistered")  # fmt: skip
    if len(found) > 1:
        raise Ambiguous([_candidate(p, names) for p in sorted(found, key=lambda p: p.id)])
    return found[0]


def _same_address(person: Person, wanted: str, names: list[str]) -> bool:
    """The card and the desk may add the 方書 (building, room): a longer address still matches."""
    held = _loose(normalise_address(person.address_text, names))
    wanted = _loose(wanted)
    if wanted == held:
        return True
    if not wanted.startswith(held):
        return False
    rest = wanted[len(held) :]
    # 当代島1丁目2-3 must not match 当代島1丁目2-35: the held address ends at a number boundary.
    return not (rest[:1].isdigit() and held[-1:].isdigit())


def _loose(address: str) -> str:
    """当代島1丁目2-3 and 当代島1-2-3 alike: the desk may not know which number is the 丁目."""
    return address.replace("丁目", "-")


def _candidate(person: Person, names: list[str]) -> Candidate:
    town = normalise_address(person.address_text, names)
    cut = next((i for i, c in enumerate(town) if c.isdigit()), len(town))
    return Candidate(
        person_id=person.id,
        name_hint=_mask(normalise_name(person.name)),
        kana_hint=_mask(normalise_name(person.name_kana)) if person.name_kana else None,
        town=town[:cut],
        sex=person.sex,
    )


def _mask(text: str) -> str:
    return text[:1] + "＊" * max(len(text) - 1, 0)


def _municipality_names(session: Session, municipality_code: str) -> list[str]:
    name = session.scalar(select(Municipality.name).where(Municipality.code == municipality_code))
    return [name] if name else []
