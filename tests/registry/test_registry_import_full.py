"""Full registry files (全件): what is written, and files refused whole with nothing written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry_rows import (
    AS_OF,
    HEADER,
    Counts,
    Importer,
    address_number,
    history_of,
    household_number,
    my_number,
    person,
    resident,
    write_rows,
)
from sonae.errors import ImportRejectedError
from sonae.registry.models import ChangeKind, GeocodeStatus, RegistryImport, ResidentStatus, Sex
from sonae.registry.problems import write_report


def family(head: int = 1) -> list[dict[str, str]]:
    """A household of three in 当代島一丁目, and a single resident of 舞浜三丁目."""
    return [
        resident(head),
        resident(head + 1, head, 続柄="妻", 性別="女", 生年月日="S52.7.10"),
        resident(head + 2, head, 続柄="子", 生年月日="平成元年1月8日"),
        resident(head + 3, 住所="千葉県浦安市舞浜三丁目5番1号", 生年月日="1990/4/1"),
    ]


def test_a_valid_cp932_file_is_imported_with_history_numbers_and_locations(
    session: Session, tmp_path: Path, run_import: Importer, counts: Counts
) -> None:
    path = write_rows(tmp_path / "registry.csv", family(), encoding="cp932")
    result = run_import(path)
    assert (result.kind, result.encoding, result.rows, result.accepted) == ("full", "cp932", 4, 4)
    assert counts() == {"person": 4, "history": 4, "my_number": 4, "imports": 1}
    child = person(session, address_number(3))
    assert child.birth_date == date(1989, 1, 8)
    assert child.household_number == household_number(1)
    assert child.relation_to_head == "子"
    assert (child.sex, child.status) == (Sex.male, ResidentStatus.resident)
    assert child.chome_key_code == "12227001001"
    assert child.geocode_status is GeocodeStatus.address_point
    assert child.location is not None
    assert person(session, address_number(2)).birth_date == date(1977, 7, 10)
    assert person(session, address_number(4)).chome_key_code == "12227014003"
    [entry] = history_of(session, child.id)
    assert (entry.change, entry.effective_on) == (ChangeKind.initial, AS_OF)
    record = session.scalar(select(RegistryImport).where(RegistryImport.id == result.import_id))
    assert record is not None
    assert (record.kind, record.rows, record.accepted, record.rejected, record.geocoded) == (
        "full",
        4,
        4,
        0,
        4,
    )


def test_utf8_with_bom_reads_the_same(tmp_path: Path, run_import: Importer) -> None:
    result = run_import(write_rows(tmp_path / "r.csv", family(), encoding="utf-8-sig"))
    assert (result.encoding, result.accepted, result.match_rate) == ("utf-8-sig", 4, 1.0)


def test_importing_the_same_file_again_changes_nothing(
    session: Session, tmp_path: Path, run_import: Importer, counts: Counts
) -> None:
    path = write_rows(tmp_path / "r.csv", family())
    run_import(path)
    before = counts()
    again = run_import(path)
    assert (again.inserted, again.updated, again.unchanged, again.history) == (0, 0, 4, 0)
    assert again.my_numbers == 0
    assert counts() == {**before, "imports": before["imports"] + 1}


BAD_CELLS = [
    ("宛名番号", address_number(3)[:-1] + str((int(address_number(3)[-1]) + 1) % 10)),
    ("宛名番号", "12345"),
    ("世帯番号", household_number(1)[:-1] + str((int(household_number(1)[-1]) + 1) % 10)),
    ("個人番号", my_number(3)[:-1] + str((int(my_number(3)[-1]) + 1) % 10)),
    ("個人番号", my_number(3)[:11]),
    ("生年月日", "平成31年5月1日"),
    ("生年月日", "令和元年4月30日"),
    ("生年月日", "昭和64年1月8日"),
    ("生年月日", "R5.2.30"),
    ("生年月日", "H0.4.1"),
    ("生年月日", "2027-01-01"),
    ("生年月日", "昨年"),
    ("性別", "男性"),
    ("住民種別", "不明"),
    ("住民状態", "在住"),
    ("氏名", ""),
    ("住所", ""),
    ("氏名フリガナ", "うらやす　たろう"),
    ("住民票コード", "123"),
    ("住所を定めた年月日", "平成31年4月31日"),
]


@pytest.mark.parametrize(("column", "value"), BAD_CELLS)
def test_one_bad_cell_refuses_the_whole_file_without_repeating_the_value(
    tmp_path: Path, run_import: Importer, counts: Counts, column: str, value: str
) -> None:
    rows = family()
    rows[2][column] = value
    before = counts()
    with pytest.raises(ImportRejectedError) as refused:
        run_import(write_rows(tmp_path / "bad.csv", rows, encoding="cp932"))
    assert counts() == before
    message = str(refused.value)
    assert "bad.csv" in message and f"line 4, field {column}: " in message
    assert [(p.feature, p.field) for p in refused.value.problems] == [(4, column)]
    if value:
        assert value not in message
        assert all(value not in p.reason for p in refused.value.problems)


def test_a_missing_required_column_is_one_error_naming_every_missing_column(
    tmp_path: Path, run_import: Importer, counts: Counts
) -> None:
    header = [c for c in HEADER if c not in ("性別", "住所")]
    with pytest.raises(ImportRejectedError) as refused:
        run_import(write_rows(tmp_path / "r.csv", family(), header=header))
    [problem] = refused.value.problems
    assert problem.feature == 1 and "性別" in problem.reason and "住所" in problem.reason
    assert counts()["person"] == 0


def test_a_duplicate_address_number_is_refused_on_both_lines(
    tmp_path: Path, run_import: Importer, counts: Counts
) -> None:
    rows = family()
    rows[3]["宛名番号"] = rows[1]["宛名番号"]
    rows[3]["個人番号"] = rows[1]["個人番号"]
    with pytest.raises(ImportRejectedError) as refused:
        run_import(write_rows(tmp_path / "r.csv", rows))
    reasons = {(p.feature, p.field): p.reason for p in refused.value.problems}
    assert reasons == {
        (3, "宛名番号"): "the same 宛名番号 is on line 5 too",
        (5, "宛名番号"): "the same 宛名番号 is on line 3 too",
    }
    assert counts()["person"] == 0


def test_one_personal_number_for_two_address_numbers_is_refused(
    tmp_path: Path, run_import: Importer
) -> None:
    rows = family()
    rows[3]["個人番号"] = rows[0]["個人番号"]
    with pytest.raises(ImportRejectedError) as refused:
        run_import(write_rows(tmp_path / "r.csv", rows))
    problems = {(p.feature, p.field): p.reason for p in refused.value.problems}
    assert problems == {
        (2, "個人番号"): "the same 個人番号 is on line 5 for another 宛名番号",
        (5, "個人番号"): "the same 個人番号 is on line 2 for another 宛名番号",
    }
    assert rows[0]["個人番号"] not in str(refused.value)


def test_skip_invalid_imports_the_rest_and_reports_lines_not_values(
    session: Session, tmp_path: Path, run_import: Importer, counts: Counts
) -> None:
    rows = family()
    rows[1]["生年月日"] = "平成31年5月1日"
    rows[3]["個人番号"] = "123456789012"
    result = run_import(write_rows(tmp_path / "r.csv", rows), skip_invalid=True)
    assert (result.rows, result.accepted, result.rejected) == (4, 2, 2)
    assert counts()["person"] == 2
    report = tmp_path / "report.csv"
    assert write_report(report, result.file, result.report) == 2
    text = report.read_text(encoding="utf-8-sig")
    assert "r.csv,3,,生年月日,rejected,平成 ended on 2019-04-30" in text
    assert "r.csv,5,,個人番号,rejected,check digit is wrong" in text
    assert "平成31年5月1日" not in text and "123456789012" not in text
    record = session.get(RegistryImport, ("122271", result.import_id))
    assert record is not None and (record.accepted, record.rejected) == (2, 2)


def test_full_width_digits_wareki_letters_and_half_width_kana_are_normalised(
    session: Session, tmp_path: Path, run_import: Importer
) -> None:
    row = resident(7, 生年月日="Ｓ５０．４．１", 住所="当代島１－２－３", 氏名フリガナ="ｳﾗﾔｽ　ﾀﾛｳ")
    row["宛名番号"] = row["宛名番号"].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    run_import(write_rows(tmp_path / "r.csv", [row]))
    stored = person(session, address_number(7))
    assert stored.birth_date == date(1975, 4, 1)
    assert stored.chome_key_code == "12227001001"
    assert stored.name_kana == "ウラヤス　タロウ"


def test_a_full_file_without_a_held_resident_marks_them_erased_and_reports_them(
    session: Session, tmp_path: Path, run_import: Importer
) -> None:
    run_import(write_rows(tmp_path / "first.csv", family()))
    later = family()
    gone = later.pop(3)
    later[2]["住所"] = "浦安市北栄二丁目1番1号"
    result = run_import(write_rows(tmp_path / "second.csv", later), as_of=date(2026, 11, 20))
    assert (result.erased, result.updated, result.unchanged) == (1, 1, 2)
    erased = person(session, gone["宛名番号"])
    assert erased.status is ResidentStatus.erased and erased.status_since == date(2026, 11, 20)
    assert [h.change for h in history_of(session, erased.id)] == [
        ChangeKind.initial,
        ChangeKind.correction,
    ]
    moved = person(session, address_number(3))
    assert moved.chome_key_code == "12227002002"
    assert [(h.change, h.address_text) for h in history_of(session, moved.id)] == [
        (ChangeKind.initial, "浦安市当代島一丁目2番3号"),
        (ChangeKind.correction, "浦安市北栄二丁目1番1号"),
    ]
    [gone_line] = [r for r in result.report if r.kind == "no_longer_in_registry"]
    assert gone_line.address_number == gone["宛名番号"]


def test_a_full_file_dropping_many_residents_is_refused_unless_allowed(
    tmp_path: Path, run_import: Importer, counts: Counts
) -> None:
    run_import(write_rows(tmp_path / "all.csv", [resident(n) for n in range(1, 61)]))
    partial = write_rows(tmp_path / "partial.csv", [resident(n) for n in range(1, 6)])
    with pytest.raises(ImportRejectedError, match="would mark 55 of the 60 residents"):
        run_import(partial)
    assert run_import(partial, allow_erase=True).erased == 55


def test_a_full_file_without_rows_is_refused(tmp_path: Path, run_import: Importer) -> None:
    with pytest.raises(ImportRejectedError, match="no data rows"):
        run_import(write_rows(tmp_path / "empty.csv", []))
