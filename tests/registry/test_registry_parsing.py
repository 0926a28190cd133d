"""Reading the file: encodings, header, rows that cannot be split, line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry_rows import HEADER, resident, write_rows
from sonae.errors import ImportRejectedError
from sonae.registry.columns import CHANGE_COLUMNS, REGISTRY_COLUMNS
from sonae.registry.parsing import read_table

KNOWN = (*REGISTRY_COLUMNS, *CHANGE_COLUMNS)


@pytest.mark.parametrize(
    ("encoding", "reported"), [("cp932", "cp932"), ("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8")]
)
def test_every_accepted_encoding_reads_the_same_cells(
    tmp_path: Path, encoding: str, reported: str
) -> None:
    row = resident(1, 氏名="髙橋　﨑子", 住所="浦安市当代島１－２－３")
    raw = read_table(write_rows(tmp_path / "r.csv", [row], encoding=encoding), known=KNOWN)
    assert raw.encoding == reported
    assert raw.table.column("name").to_pylist() == ["髙橋　﨑子"]
    assert raw.table.column("address_text").to_pylist() == ["浦安市当代島１－２－３"]
    assert raw.table.column("name_roman").to_pylist() == [None]
    assert raw.lines.tolist() == [2]


def test_an_explicit_encoding_wins(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "r.csv", [resident(1)], encoding="cp932")
    assert read_table(path, known=KNOWN, encoding="cp932").encoding == "cp932"
    with pytest.raises(ImportRejectedError, match=r"line 1: not UTF-8"):
        read_table(path, known=KNOWN, encoding="utf-8")


def test_bytes_neither_utf8_nor_cp932_are_refused_with_their_line(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "r.csv", [resident(1), resident(2)], encoding="utf-8")
    path.write_bytes(path.read_bytes().replace("浦安　太郎2".encode(), b"\x82\xff\x82"))
    with pytest.raises(ImportRejectedError) as refused:
        read_table(path, known=KNOWN)
    assert [p.feature for p in refused.value.problems] == [3]
    assert "\\x" not in str(refused.value)


def test_rows_that_cannot_be_split_name_their_file_line(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "r.csv", [resident(1), resident(2), resident(3)])
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    lines[2] = lines[2].rsplit(",", 1)[0]  # one field short
    path.write_bytes("\r\n".join([lines[0], "", *lines[1:]]).encode())  # and a blank line
    raw = read_table(path, known=KNOWN)
    assert [(p.feature, p.reason) for p in raw.problems] == [(4, "expected 19 fields, found 18")]
    assert raw.lines.tolist() == [3, 5]
    assert raw.rows == 3


def test_unknown_columns_are_ignored_and_named(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "r.csv", [resident(1)], header=[*HEADER, "備考"])
    assert read_table(path, known=KNOWN).ignored_columns == ["備考"]


def test_a_column_twice_in_the_header_is_refused(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "r.csv", [resident(1)], header=[*HEADER, "氏名"])
    with pytest.raises(ImportRejectedError, match="column 氏名 appears twice"):
        read_table(path, known=KNOWN)
