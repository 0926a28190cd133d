"""和暦 and 西暦, era boundaries included."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from sonae.registry.dates import parse_date, parse_date_column
from sonae.registry.generate.notation import SEIREKI_STYLES, WAREKI_STYLES, seireki, wareki


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和5年4月1日", date(2023, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        ("大正15年12月24日", date(1926, 12, 24)),
        ("R5.4.1", date(2023, 4, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("S25.3.1", date(1950, 3, 1)),
        ("r5.4.1", date(2023, 4, 1)),
        ("Ｈ３１．４．３０", date(2019, 4, 30)),
        ("令和５年４月１日", date(2023, 4, 1)),
        ("㍻元年1月8日", date(1989, 1, 8)),
        ("1990-04-01", date(1990, 4, 1)),
        ("1990/4/1", date(1990, 4, 1)),
        ("１９９０－０４－０１", date(1990, 4, 1)),
        ("2000-02-29", date(2000, 2, 29)),
    ],
)
def test_dates_registries_write(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("平成31年5月1日", "平成 ended on 2019-04-30"),
        ("令和元年4月30日", "令和 began on 2019-05-01"),
        ("H32.1.1", "平成 ended on 2019-04-30"),
        ("昭和64年1月8日", "昭和 ended on 1989-01-07"),
        ("平成元年1月7日", "平成 began on 1989-01-08"),
        ("令和0年5月1日", "令和 has no year 0"),
        ("R5.2.29", "no such day in the calendar"),
        ("1990-13-01", "no such day in the calendar"),
        ("4月2日", "not a date"),
        ("19900401", "not a date"),
        ("X5.4.1", "not a date"),
    ],
)
def test_impossible_dates_say_why_without_the_text(text: str, reason: str) -> None:
    result = parse_date(text)
    assert isinstance(result, str) and result.startswith(reason)
    assert text not in result


def test_a_column_is_parsed_once_per_distinct_value_and_errors_point_at_rows() -> None:
    column = pa.array(["R5.4.1", None, "平成31年5月1日", "R5.4.1", "1990/4/1", "平成31年5月1日"])
    parsed = parse_date_column(column)
    assert parsed.values.to_pylist() == [
        date(2023, 4, 1),
        None,
        None,
        date(2023, 4, 1),
        date(1990, 4, 1),
        None,
    ]
    assert {k: v.tolist() for k, v in parsed.errors.items()} == {"平成 ended on 2019-04-30": [2, 5]}


def test_every_day_since_meiji_in_every_notation_reads_back_as_itself() -> None:
    """The generator's notations (kanji, abbreviated, full width, zero padded; ISO, slash) of
    each day from the first of 明治 to 2030: era boundaries, leap days and 元年 included."""
    first, last = date(1868, 10, 23).toordinal(), date(2030, 12, 31).toordinal()
    days = [date.fromordinal(o) for o in range(first, last + 1)]
    for style in WAREKI_STYLES:
        parsed = parse_date_column(pa.array([wareki(d.toordinal(), style) for d in days]))
        assert parsed.errors == {} and parsed.values.to_pylist() == days, style
    for style in SEIREKI_STYLES:
        parsed = parse_date_column(pa.array([seireki(d.toordinal(), style) for d in days]))
        assert parsed.errors == {} and parsed.values.to_pylist() == days, style


def test_the_day_after_each_era_ended_is_refused_in_that_era() -> None:
    column = pa.array(["明治45年7月30日", "大正15年12月25日", "昭和64年1月8日", "H31.5.1"])
    parsed = parse_date_column(column)
    assert parsed.values.null_count == 4
    assert {k: v.tolist() for k, v in parsed.errors.items()} == {
        "明治 ended on 1912-07-29": [0],
        "大正 ended on 1926-12-24": [1],
        "昭和 ended on 1989-01-07": [2],
        "平成 ended on 2019-04-30": [3],
    }
