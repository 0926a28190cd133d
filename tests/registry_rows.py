"""Hand-made registry and welfare files for the tests: rows whose right answer we know.

Every number here is made up: 宛名番号 and 世帯番号 from small serials with their M11W2-7 check
digit, personal numbers with the 番号法施行令 check digit. No real person.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.registry.checks import with_m11_check_digit
from sonae.registry.models import Person, PersonHistory, RegistryImport
from sonae.registry.result import RegistryImportResult
from sonae.registry.service import import_registry
from sonae.security.models import MyNumberRecord
from sonae.security.my_number import check_digit

URAYASU = "122271"
AS_OF = date(2026, 11, 1)
HEADER = [
    "宛名番号",
    "世帯番号",
    "住民種別",
    "住民状態",
    "氏名",
    "氏名フリガナ",
    "氏名（アルファベット）",
    "旧氏",
    "生年月日",
    "性別",
    "続柄",
    "住所",
    "方書",
    "個人番号",
    "住民票コード",
    "住民となった年月日",
    "住所を定めた年月日",
    "国籍・地域",
    "在留資格",
]
CHANGE_HEADER = [*HEADER, "異動事由", "異動日"]
WELFARE_HEADER = [
    "宛名番号",
    "要介護度",
    "身体障害者手帳等級",
    "身体障害種別",
    "療育手帳",
    "精神障害者保健福祉手帳等級",
    "難病",
    "言語支援",
    "電話番号",
    "手上げ",
]


def address_number(serial: int) -> str:
    return with_m11_check_digit(serial)


def household_number(serial: int) -> str:
    return with_m11_check_digit(500_000 + serial)


def my_number(serial: int) -> str:
    first_eleven = f"{20_000_000_000 + serial * 7919:011d}"
    return first_eleven + str(check_digit(first_eleven))


def resident(serial: int, household: int | None = None, **cells: str) -> dict[str, str]:
    """A valid row of a Japanese resident of 当代島一丁目; override cells by column name."""
    row = {
        "宛名番号": address_number(serial),
        "世帯番号": household_number(household or serial),
        "住民種別": "日本人住民",
        "住民状態": "住民",
        "氏名": f"浦安　太郎{serial}",
        "氏名フリガナ": "ウラヤス　タロウ",
        "氏名（アルファベット）": "",
        "旧氏": "",
        "生年月日": "昭和50年4月1日",
        "性別": "男",
        "続柄": "世帯主",
        "住所": "浦安市当代島一丁目2番3号",
        "方書": "",
        "個人番号": my_number(serial),
        "住民票コード": f"{10_000_000_000 + serial:011d}",
        "住民となった年月日": "平成10年4月1日",
        "住所を定めた年月日": "2010-04-01",
        "国籍・地域": "",
        "在留資格": "",
    }
    row.update(cells)
    return row


def change(row: Mapping[str, str], kind: str, on: str) -> dict[str, str]:
    return {**row, "異動事由": kind, "異動日": on}


def write_rows(
    path: Path,
    rows: Iterable[Mapping[str, str]],
    *,
    header: list[str] | None = None,
    encoding: str = "utf-8-sig",
) -> Path:
    rows = list(rows)
    if header is None:
        header = CHANGE_HEADER if any("異動事由" in r for r in rows) else HEADER
    with path.open("w", encoding=encoding, newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(header)
        for row in rows:
            out.writerow([row.get(name, "") for name in header])
    return path


Importer = Callable[..., RegistryImportResult]
Counts = Callable[[], dict[str, int]]


@pytest.fixture
def run_import(session: Session) -> Importer:
    """run_import(path, **options): import into Urayasu as of AS_OF, in the test's transaction."""

    def run(path: Path, **options: Any) -> RegistryImportResult:
        options.setdefault("as_of", AS_OF)
        return import_registry(session=session, municipality_code=URAYASU, path=path, **options)

    return run


@pytest.fixture
def counts(session: Session) -> Counts:
    """Rows held for Urayasu in every table a registry import writes."""

    def count() -> dict[str, int]:
        result = {}
        for name, model in (
            ("person", Person),
            ("history", PersonHistory),
            ("my_number", MyNumberRecord),
            ("imports", RegistryImport),
        ):
            query = select(func.count()).select_from(model)
            result[name] = session.scalar(query.where(model.municipality_code == URAYASU)) or 0
        return result

    return count


def person(session: Session, number: str) -> Person:
    found = session.scalar(
        select(Person).where(Person.municipality_code == URAYASU, Person.address_number == number)
    )
    assert found is not None
    return found


def history_of(session: Session, person_id: int) -> list[PersonHistory]:
    return list(
        session.scalars(
            select(PersonHistory)
            .where(PersonHistory.municipality_code == URAYASU, PersonHistory.person_id == person_id)
            .order_by(PersonHistory.effective_on, PersonHistory.id)
        )
    )
