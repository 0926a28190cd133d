"""Change files (異動): applied in 異動日 order, each with its history entry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from registry_rows import (
    HEADER,
    Counts,
    Importer,
    address_number,
    change,
    history_of,
    household_number,
    person,
    resident,
    write_rows,
)
from sonae import japan_time
from sonae.errors import ImportRejectedError, InvalidInputError
from sonae.registry.models import ChangeKind, ResidentStatus


@pytest.fixture
def held(tmp_path: Path, run_import: Importer) -> list[dict[str, str]]:
    """Two households held from a full file: 1 (with 2) and 3."""
    rows = [resident(1), resident(2, 1, 続柄="妻", 性別="女"), resident(3)]
    run_import(write_rows(tmp_path / "full.csv", rows))
    return rows


def test_moving_out_and_back_in_keeps_the_same_person_with_ordered_history(
    session: Session, tmp_path: Path, run_import: Importer, held: list[dict[str, str]]
) -> None:
    before = person(session, address_number(3)).id
    back = {**held[2], "住所": "浦安市高洲一丁目1番1号", "世帯番号": household_number(9)}
    rows = [  # written out of order on purpose: the 異動日 decides
        change(back, "転入", "令和8年11月20日"),
        change({**held[2], "住民状態": "転出"}, "転出", "2026-11-10"),
    ]
    result = run_import(write_rows(tmp_path / "changes.csv", rows), as_of=date(2026, 11, 20))
    assert (result.kind, result.accepted, result.inserted, result.updated) == ("changes", 2, 0, 1)
    session.expire_all()
    again = person(session, address_number(3))
    assert again.id == before
    assert again.status is ResidentStatus.resident
    assert (again.address_text, again.chome_key_code) == ("浦安市高洲一丁目1番1号", "12227017001")
    assert [(h.change, h.effective_on, h.status) for h in history_of(session, again.id)] == [
        (ChangeKind.initial, date(2026, 11, 1), ResidentStatus.resident),
        (ChangeKind.moved_out, date(2026, 11, 10), ResidentStatus.moved_out),
        (ChangeKind.moved_in, date(2026, 11, 20), ResidentStatus.resident),
    ]


def test_death_sets_the_status_and_its_date(
    session: Session, tmp_path: Path, run_import: Importer, held: list[dict[str, str]]
) -> None:
    run_import(
        write_rows(tmp_path / "c.csv", [change({**held[0], "住民状態": "死亡"}, "死亡", "R8.10.3")])
    )
    session.expire_all()
    dead = person(session, address_number(1))
    assert (dead.status, dead.status_since) == (ResidentStatus.deceased, date(2026, 10, 3))
    assert history_of(session, dead.id)[0].change is ChangeKind.death


def test_household_change_and_birth(
    session: Session, tmp_path: Path, run_import: Importer, held: list[dict[str, str]]
) -> None:
    split = {**held[1], "世帯番号": household_number(5), "続柄": "世帯主"}
    baby = resident(
        10, 1, 続柄="子", 生年月日="令和8年10月1日", 住民となった年月日="令和8年10月1日"
    )
    result = run_import(
        write_rows(
            tmp_path / "c.csv",
            [change(split, "世帯変更", "2026-10-05"), change(baby, "出生", "2026-10-01")],
        )
    )
    assert (result.inserted, result.updated, result.history) == (1, 1, 2)
    session.expire_all()
    wife = person(session, address_number(2))
    assert (wife.household_number, wife.relation_to_head) == (household_number(5), "世帯主")
    born = person(session, address_number(10))
    assert born.status_since == date(2026, 10, 1)
    assert [h.change for h in history_of(session, born.id)] == [ChangeKind.birth]


@pytest.mark.parametrize(
    ("kind", "serial", "status", "reason"),
    [
        ("転出", 99, "転出", "not in the registry"),
        ("出生", 1, "住民", "出生 of a 宛名番号 that is already in the registry"),
        ("転入", 1, "住民", "転入 of a person who is already a resident"),
        ("転居", 99, "住民", "not in the registry"),
    ],
)
def test_changes_that_contradict_the_registry_refuse_the_file(
    tmp_path: Path,
    run_import: Importer,
    counts: Counts,
    held: list[dict[str, str]],
    kind: str,
    serial: int,
    status: str,
    reason: str,
) -> None:
    rows = [
        change({**held[2], "住所": "浦安市港1番"}, "転居", "2026-09-01"),
        change(resident(serial, 住民状態=status), kind, "2026-09-02"),
    ]
    before = counts()
    with pytest.raises(ImportRejectedError) as refused:
        run_import(write_rows(tmp_path / "c.csv", rows))
    assert [(p.feature, p.field, p.reason) for p in refused.value.problems] == [
        (3, "異動事由", reason)
    ]
    assert counts() == before


def test_the_status_must_match_the_change(tmp_path: Path, run_import: Importer) -> None:
    rows = [change(resident(3), "転出", "2026-09-01")]
    with pytest.raises(ImportRejectedError) as refused:
        run_import(write_rows(tmp_path / "c.csv", rows))
    [problem] = refused.value.problems
    assert (problem.feature, problem.field, problem.reason) == (
        2,
        "住民状態",
        "must be 転出 after 転出",
    )


def test_a_change_file_needs_its_date_column(tmp_path: Path, run_import: Importer) -> None:
    rows = [change(resident(3), "転居", "2026-09-01")]
    with pytest.raises(ImportRejectedError) as refused:
        run_import(write_rows(tmp_path / "c.csv", rows, header=[*HEADER, "異動事由"]))
    assert "missing required columns: 異動日" in str(refused.value)


def test_skip_invalid_drops_a_refused_change_and_applies_the_others(
    session: Session, tmp_path: Path, run_import: Importer, held: list[dict[str, str]]
) -> None:
    rows = [
        change({**held[2], "住民状態": "転出"}, "転出", "2026-09-01"),
        change(resident(99, 住民状態="死亡"), "死亡", "2026-09-02"),
    ]
    result = run_import(write_rows(tmp_path / "c.csv", rows), skip_invalid=True)
    assert (result.accepted, result.rejected) == (1, 1)
    session.expire_all()
    assert person(session, address_number(3)).status is ResidentStatus.moved_out


def test_a_birth_date_after_the_change_date_is_refused(
    tmp_path: Path, run_import: Importer
) -> None:
    baby = resident(10, 生年月日="2026-11-12")
    path = write_rows(tmp_path / "c.csv", [change(baby, "出生", "2026-11-11")])
    with pytest.raises(ImportRejectedError) as refused:
        run_import(path, as_of=date(2026, 11, 20))
    [problem] = refused.value.problems
    assert (problem.feature, problem.field, problem.reason) == (
        2,
        "生年月日",
        "after the 異動日 of the row",
    )


def test_a_change_dated_after_the_file_is_refused_and_nothing_written(
    session: Session, tmp_path: Path, run_import: Importer, held: list[dict[str, str]]
) -> None:
    """A death dated after a file of 2026-11-01 would make the person gone before the day: an
    event declared in between would leave them without a safety-confirmation task."""
    rows = [
        change({**held[2], "住民状態": "転出"}, "転出", "2026-10-30"),
        change({**held[0], "住民状態": "死亡"}, "死亡", "2026-11-13"),
    ]
    path = write_rows(tmp_path / "c.csv", rows)
    with pytest.raises(ImportRejectedError) as refused:
        run_import(path)
    [problem] = refused.value.problems
    assert (problem.feature, problem.field, problem.reason) == (
        3,
        "異動日",
        "after the date of the file (--as-of)",
    )
    session.expire_all()
    assert person(session, address_number(3)).status is ResidentStatus.resident
    result = run_import(path, as_of=date(2026, 11, 13))
    assert result.accepted == 2


def test_a_file_dated_after_today_is_refused_and_nothing_written(
    session: Session,
    tmp_path: Path,
    run_import: Importer,
    held: list[dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """README once imported December's changes as of 12-31 in November: 155 deaths dated
    December were stored as facts, and the shelter desks could no longer find those people."""
    monkeypatch.setattr(japan_time, "today", lambda: date(2026, 11, 24))
    path = write_rows(
        tmp_path / "c.csv", [change({**held[0], "住民状態": "死亡"}, "死亡", "2026-11-30")]
    )
    with pytest.raises(InvalidInputError, match=r"--as-of 2026-11-30: after today \(in Japan\)"):
        run_import(path, as_of=date(2026, 11, 30))
    session.expire_all()
    assert person(session, address_number(1)).status is ResidentStatus.resident
    assert run_import(path, as_of=date(2026, 11, 24), skip_invalid=True).accepted == 0
