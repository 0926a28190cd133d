"""The welfare file: linked by 宛名番号, values checked, the full state replacing the last."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry_rows import (
    URAYASU,
    WELFARE_HEADER,
    Importer,
    address_number,
    person,
    resident,
    write_rows,
)
from sonae.errors import ImportRejectedError
from sonae.welfare.models import CareLevel, WelfareRecord
from sonae.welfare.service import import_welfare


@pytest.fixture
def registry(tmp_path: Path, run_import: Importer) -> None:
    run_import(write_rows(tmp_path / "registry.csv", [resident(n) for n in range(1, 6)]))


def welfare_row(serial: int, **cells: str) -> dict[str, str]:
    return {"宛名番号": address_number(serial), **cells}


def write_welfare(path: Path, rows: list[dict[str, str]], encoding: str = "cp932") -> Path:
    return write_rows(path, rows, header=WELFARE_HEADER, encoding=encoding)


def record(session: Session, serial: int) -> WelfareRecord | None:
    return session.scalar(
        select(WelfareRecord).where(
            WelfareRecord.municipality_code == URAYASU,
            WelfareRecord.person_id == person(session, address_number(serial)).id,
        )
    )


def records(session: Session) -> int:
    query = select(func.count()).select_from(WelfareRecord)
    return session.scalar(query.where(WelfareRecord.municipality_code == URAYASU)) or 0


def test_rows_are_linked_by_address_number_and_typed(
    session: Session, tmp_path: Path, registry: None
) -> None:
    rows = [
        welfare_row(1, 要介護度="要介護３", 電話番号="047-351-1111"),
        welfare_row(2, 身体障害者手帳等級="2級", 身体障害種別="肢体不自由", 難病="1"),
        welfare_row(3, 療育手帳="ａ", 精神障害者保健福祉手帳等級="1", 手上げ="1", 言語支援="英語"),
    ]
    result = import_welfare(
        session=session, municipality_code=URAYASU, path=write_welfare(tmp_path / "w.csv", rows)
    )
    assert (result.rows, result.accepted, result.written, result.removed) == (3, 3, 3, 0)
    first, second, third = (record(session, n) for n in (1, 2, 3))
    assert first is not None and first.care_level is CareLevel.care_3
    assert first.phone == "047-351-1111" and not first.self_request
    assert second is not None and second.physical_disability_grade == 2
    assert second.physical_disability_type == "肢体不自由" and second.intractable_disease
    assert third is not None and third.intellectual_disability_grade == "A"
    assert (third.mental_disability_grade, third.self_request, third.language_need) == (
        1,
        True,
        "英語",
    )
    assert record(session, 4) is None


def test_a_new_file_replaces_the_state_and_removes_people_it_no_longer_lists(
    session: Session, tmp_path: Path, registry: None
) -> None:
    first = [welfare_row(1, 要介護度="要支援1"), welfare_row(2, 難病="1")]
    import_welfare(
        session=session, municipality_code=URAYASU, path=write_welfare(tmp_path / "a.csv", first)
    )
    second = [welfare_row(1, 要介護度="要介護5"), welfare_row(4, 手上げ="1")]
    result = import_welfare(
        session=session, municipality_code=URAYASU, path=write_welfare(tmp_path / "b.csv", second)
    )
    assert (result.written, result.unchanged, result.removed) == (2, 0, 1)
    session.expire_all()
    updated = record(session, 1)
    assert updated is not None and updated.care_level is CareLevel.care_5
    assert record(session, 2) is None and record(session, 4) is not None
    again = import_welfare(
        session=session, municipality_code=URAYASU, path=write_welfare(tmp_path / "c.csv", second)
    )
    assert (again.written, again.unchanged, again.removed) == (0, 2, 0)


@pytest.mark.parametrize(
    ("cells", "field", "reason"),
    [
        ({"宛名番号": address_number(99)}, "宛名番号", "not in the registry"),
        ({"宛名番号": address_number(2)[:-1] + "0"}, "宛名番号", "check digit is wrong"),
        ({"要介護度": "要介護6"}, "要介護度", "must be 要支援1–2 or 要介護1–5"),
        ({"身体障害者手帳等級": "7"}, "身体障害者手帳等級", "must be 1–6"),
        ({"身体障害種別": "心臓"}, "身体障害種別", "must be 視覚"),
        ({"療育手帳": "C"}, "療育手帳", "must be A or B"),
        ({"精神障害者保健福祉手帳等級": "4"}, "精神障害者保健福祉手帳等級", "must be 1–3"),
        ({"難病": "はい"}, "難病", "must be 1 or empty"),
        ({"電話番号": "電話なし"}, "電話番号", "must be digits"),
    ],
)
def test_a_bad_row_refuses_the_file_and_names_line_and_field(
    session: Session,
    tmp_path: Path,
    registry: None,
    cells: dict[str, str],
    field: str,
    reason: str,
) -> None:
    rows = [welfare_row(1, 要介護度="要介護1"), {**welfare_row(2), **cells}]
    with pytest.raises(ImportRejectedError) as refused:
        import_welfare(
            session=session,
            municipality_code=URAYASU,
            path=write_welfare(tmp_path / "w.csv", rows, encoding="utf-8-sig"),
        )
    [problem] = refused.value.problems
    assert (problem.feature, problem.field) == (3, field)
    assert problem.reason.startswith(reason)
    assert records(session) == 0


def test_skip_invalid_keeps_the_record_of_a_person_whose_row_was_refused(
    session: Session, tmp_path: Path, registry: None
) -> None:
    import_welfare(
        session=session,
        municipality_code=URAYASU,
        path=write_welfare(tmp_path / "a.csv", [welfare_row(1, 要介護度="要介護2")]),
    )
    rows = [welfare_row(1, 要介護度="要介護9"), welfare_row(99, 手上げ="1"), welfare_row(2)]
    result = import_welfare(
        session=session,
        municipality_code=URAYASU,
        path=write_welfare(tmp_path / "b.csv", rows),
        skip_invalid=True,
    )
    assert (result.accepted, result.rejected, result.removed) == (1, 2, 0)
    assert [(r.line, r.field) for r in result.report] == [(2, "要介護度"), (3, "宛名番号")]
    kept = record(session, 1)
    assert kept is not None and kept.care_level is CareLevel.care_2


def test_a_duplicate_address_number_is_refused(
    session: Session, tmp_path: Path, registry: None
) -> None:
    rows = [welfare_row(1), welfare_row(1, 手上げ="1")]
    with pytest.raises(ImportRejectedError) as refused:
        import_welfare(
            session=session, municipality_code=URAYASU, path=write_welfare(tmp_path / "w.csv", rows)
        )
    assert [p.feature for p in refused.value.problems] == [2, 3]
