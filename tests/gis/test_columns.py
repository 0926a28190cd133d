"""Column mapping: Japanese source columns to the fields a layer wants."""

from __future__ import annotations

import pandas as pd
import pytest

from sonae.errors import ImportRejectedError
from sonae.gis.columns import FieldSpec, parse_column_options, resolve_columns, text_value

SPECS = (
    FieldSpec("source_id", ("共通ID", "ID")),
    FieldSpec("name", ("施設・場所名", "名称")),
    FieldSpec("note", ("備考",), required=False),
)


def table(*columns: str) -> pd.DataFrame:
    return pd.DataFrame({c: ["x"] for c in columns})


def test_defaults_are_tried_in_order_and_missing_optional_fields_are_none() -> None:
    resolved = resolve_columns("s.geojson", table("ID", "名称", "住所"), SPECS, {})
    assert resolved == {"source_id": "ID", "name": "名称", "note": None}


def test_a_missing_required_column_is_named_with_the_files_columns() -> None:
    with pytest.raises(ImportRejectedError) as caught:
        resolve_columns("s.geojson", table("共通ID", "住所", "備考"), SPECS, {})
    assert caught.value.file == "s.geojson"
    [problem] = caught.value.problems
    assert problem.field == "施設・場所名"
    for column in ("共通ID", "住所", "備考"):
        assert column in problem.reason


def test_an_override_names_another_column() -> None:
    frame = table("共通ID", "施設名")
    assert resolve_columns("s.csv", frame, SPECS, {"name": "施設名"})["name"] == "施設名"


def test_an_override_to_an_absent_column_is_refused_even_for_an_optional_field() -> None:
    with pytest.raises(ImportRejectedError) as caught:
        resolve_columns("s.csv", table("共通ID", "名称"), SPECS, {"note": "メモ"})
    assert [p.field for p in caught.value.problems] == ["メモ"]


def test_an_unknown_override_field_is_refused() -> None:
    with pytest.raises(ImportRejectedError) as caught:
        resolve_columns("s.csv", table("共通ID", "名称"), SPECS, {"capacity": "収容人数"})
    [problem] = caught.value.problems
    assert problem.field == "capacity"
    assert "no such field" in problem.reason
    for field in ("source_id", "name", "note"):
        assert field in problem.reason


def test_parse_column_options() -> None:
    assert parse_column_options(None) == {}
    assert parse_column_options(["name=施設名", " note = 備考 "]) == {
        "name": "施設名",
        "note": "備考",
    }


@pytest.mark.parametrize("option", ["abc", "=施設名", "name=", "name= "])
def test_parse_column_options_rejects_malformed_options(option: str) -> None:
    with pytest.raises(ValueError, match="field=column"):
        parse_column_options([option])


@pytest.mark.parametrize(
    ("cell", "expected"), [(None, None), (float("nan"), None), ("  ", None), (" 浦安 ", "浦安")]
)
def test_text_value(cell: object, expected: str | None) -> None:
    assert text_value(cell) == expected
