"""Shelters: GSI flags, welfare shelters, capacity estimates, and refused files."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.config import PROJECT_ROOT
from sonae.errors import ImportRejectedError
from sonae.municipality.models import ImportRecord
from sonae.shelter.models import HAZARD_FLAGS, Shelter, ShelterCapacityRule, ShelterKind
from sonae.shelter.service import (
    GSI_FLAG_COLUMNS,
    import_shelters,
    read_capacity_rules,
    replace_capacity_rules,
)

URAYASU = PROJECT_ROOT / "data" / "cities" / "urayasu"
CODE = "122271"
DESIGNATED = URAYASU / "shelters_designated.geojson"
EMERGENCY = URAYASU / "evacuation_sites_emergency.geojson"
RULES = PROJECT_ROOT / "data" / "reference" / "shelter_capacity_rules.csv"


def collection(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return loaded


def properties(path: Path) -> list[dict[str, Any]]:
    return [f["properties"] for f in collection(path)["features"]]


def shelters(session: Session, code: str = CODE) -> list[Shelter]:
    return list(session.scalars(select(Shelter).where(Shelter.municipality_code == code)))


def expected_rule(rules: list[dict[str, str]], name: str) -> dict[str, str] | None:
    """The rules CSV read on its own: lowest priority number whose pattern is found wins."""
    ordered = sorted(rules, key=lambda r: int(r["priority"]))
    return next((r for r in ordered if re.search(r["name_pattern"], name)), None)


def rules_csv(path: Path, rows: list[tuple[str, int, str, int]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "priority", "name_pattern", "capacity", "basis"])
        writer.writerows((*row, "テスト用の推定") for row in rows)
    return path


@pytest.mark.parametrize("flag", HAZARD_FLAGS)
def test_each_gsi_flag_counts_the_ones_in_its_column(session: Session, flag: str) -> None:
    column = GSI_FLAG_COLUMNS[flag]
    sites = properties(EMERGENCY)
    ones = sum(1 for p in sites if str(p[column]).strip() == "1")
    stored = [getattr(s, flag) for s in shelters(session) if s.kind == ShelterKind.emergency_site]
    assert stored.count(True) == ones
    assert stored.count(False) == len(sites) - ones


def test_designated_shelters_carry_only_the_flags_the_city_declares(session: Session) -> None:
    """GSI's 指定避難所 file has no hazard columns; Urayasu's city.toml declares earthquake."""
    designated = [s for s in shelters(session) if s.kind == ShelterKind.designated_shelter]
    assert len(designated) == len(properties(DESIGNATED))
    assert all(s.earthquake is True for s in designated)
    others = [flag for flag in HAZARD_FLAGS if flag != "earthquake"]
    assert all(getattr(s, flag) is None for s in designated for flag in others)


def test_without_a_declaration_designated_shelters_carry_no_flags(session: Session) -> None:
    import_shelters(
        session=session, municipality_code=CODE, path=DESIGNATED,
        kind=ShelterKind.designated_shelter,
    )  # fmt: skip
    designated = [s for s in shelters(session) if s.kind == ShelterKind.designated_shelter]
    assert all(getattr(s, flag) is None for s in designated for flag in HAZARD_FLAGS)


def test_a_declared_hazard_must_be_a_known_flag(session: Session) -> None:
    with pytest.raises(ImportRejectedError, match="unknown hazard 'quake'"):
        import_shelters(
            session=session, municipality_code=CODE, path=DESIGNATED,
            kind=ShelterKind.designated_shelter, declared_suitable=["quake"],
        )  # fmt: skip


def test_welfare_shelters_are_those_accepting_people_needing_care(session: Session) -> None:
    expected = {
        p["共通ID"]
        for path in (DESIGNATED, EMERGENCY)
        for p in properties(path)
        if "要配慮者" in (p.get("受入対象者") or "")
    }
    assert expected  # the real file has welfare shelters
    assert {s.source_id for s in shelters(session) if s.is_welfare} == expected


def test_every_shelter_without_a_capacity_gets_the_first_matching_estimate(
    session: Session,
) -> None:
    with RULES.open(encoding="utf-8", newline="") as handle:
        rules = list(csv.DictReader(handle))
    without = [s for s in shelters(session) if s.capacity is None]
    assert without
    for shelter in without:
        rule = expected_rule(rules, shelter.name)
        assert rule is not None, shelter.name
        assert (shelter.capacity_rule, shelter.estimated_capacity) == (
            rule["name"],
            int(rule["capacity"]),
        )


def test_hand_made_rules_change_the_estimates(session: Session, tmp_path: Path) -> None:
    rows = [("公園", 1, "公園", 1000), ("学校", 2, "学校", 400), ("残り", 9, ".", 7)]
    path = rules_csv(tmp_path / "rules.csv", rows)
    before = {s.id: s.estimated_capacity for s in shelters(session)}
    replace_capacity_rules(session=session, municipality_code=CODE, rules=read_capacity_rules(path))
    with path.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    stored = shelters(session)
    for shelter in stored:
        rule = expected_rule(written, shelter.name)
        assert rule is not None
        assert shelter.capacity_rule == rule["name"]
        assert shelter.estimated_capacity == int(rule["capacity"])
    assert any(before[s.id] != s.estimated_capacity for s in stored)
    names = session.scalars(
        select(ShelterCapacityRule.name).where(ShelterCapacityRule.municipality_code == CODE)
    )
    assert sorted(names) == sorted(r[0] for r in rows)


def test_an_official_capacity_is_never_overridden_by_an_estimate(
    session: Session, tmp_path: Path, fresh_code: str
) -> None:
    data = collection(DESIGNATED)
    data["features"] = data["features"][:2]
    data["features"][0]["properties"]["収容人数"] = "120"
    data["features"][1]["properties"]["収容人数"] = ""
    path = tmp_path / "with_capacity.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    rules = read_capacity_rules(rules_csv(tmp_path / "rules.csv", [("全部", 1, ".", 33)]))
    replace_capacity_rules(session=session, municipality_code=fresh_code, rules=rules)
    import_shelters(
        session=session,
        municipality_code=fresh_code,
        path=path,
        kind=ShelterKind.designated_shelter,
    )
    by_id = {s.source_id: s for s in shelters(session, fresh_code)}
    official, unknown = (by_id[f["properties"]["共通ID"]] for f in data["features"])
    assert (official.capacity, official.estimated_capacity, official.capacity_rule) == (
        120,
        None,
        None,
    )
    assert (unknown.capacity, unknown.estimated_capacity, unknown.capacity_rule) == (
        None,
        33,
        "全部",
    )


def test_a_bad_regex_in_the_rules_is_refused_naming_the_line(tmp_path: Path) -> None:
    rows = [("小学校", 10, "小学校", 200), ("壊れた", 20, "(中学校", 250), ("その他", 99, ".", 50)]
    path = rules_csv(tmp_path / "broken_rules.csv", rows)
    with pytest.raises(ImportRejectedError) as caught:
        read_capacity_rules(path)
    assert caught.value.file == "broken_rules.csv"
    [problem] = caught.value.problems
    assert problem.feature == 3  # header is line 1, the broken rule is the second data line
    assert "bad rule" in problem.reason


def test_a_file_without_the_name_column_is_refused_and_nothing_written(
    session: Session, tmp_path: Path, fresh_code: str, count
) -> None:
    data = collection(DESIGNATED)
    for feature in data["features"]:
        del feature["properties"]["施設・場所名"]
    path = tmp_path / "no_names.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with pytest.raises(ImportRejectedError) as caught:
        import_shelters(
            session=session,
            municipality_code=fresh_code,
            path=path,
            kind=ShelterKind.designated_shelter,
        )
    assert caught.value.file == "no_names.geojson"
    assert [p.field for p in caught.value.problems] == ["施設・場所名"]
    assert "no_names.geojson" in str(caught.value)
    assert count(Shelter, fresh_code) == 0
    assert count(ImportRecord, fresh_code) == 0


def test_a_site_far_outside_the_city_is_refused_and_nothing_written(
    session: Session, tmp_path: Path, count
) -> None:
    data = collection(EMERGENCY)
    for feature in data["features"]:
        feature["properties"]["共通ID"] = "TEST-" + feature["properties"]["共通ID"]
    far = 5
    data["features"][far - 1]["geometry"]["coordinates"] = [139.7528, 35.6852]  # 皇居
    path = tmp_path / "moved_site.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    before = count(Shelter, CODE)
    with pytest.raises(ImportRejectedError) as caught:
        import_shelters(
            session=session, municipality_code=CODE, path=path, kind=ShelterKind.emergency_site
        )
    assert caught.value.file == "moved_site.geojson"
    assert [p.feature for p in caught.value.problems] == [far]
    assert "outside" in str(caught.value)
    assert count(Shelter, CODE) == before
    assert count(Shelter, CODE, Shelter.source_id.startswith("TEST-")) == 0


def test_an_unknown_hazard_flag_is_refused_naming_the_feature_and_nothing_written(
    session: Session, tmp_path: Path, count
) -> None:
    data = collection(EMERGENCY)
    for feature in data["features"]:
        feature["properties"]["共通ID"] = "TEST-" + feature["properties"]["共通ID"]
    data["features"][2]["properties"]["地震"] = "はい"  # a yes that is known
    data["features"][3]["properties"]["地震"] = "０"  # full-width 0: a known no
    data["features"][6]["properties"]["地震"] = "要確認"  # neither: not read as "no"
    path = tmp_path / "flags.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with pytest.raises(ImportRejectedError) as caught:
        import_shelters(
            session=session, municipality_code=CODE, path=path, kind=ShelterKind.emergency_site
        )
    assert [(p.feature, p.field) for p in caught.value.problems] == [(7, "地震")]
    assert "not a hazard flag" in str(caught.value)
    assert count(Shelter, CODE, Shelter.source_id.startswith("TEST-")) == 0


def test_known_spellings_of_yes_and_no_are_read_as_such(session: Session, tmp_path: Path) -> None:
    data = collection(EMERGENCY)
    data["features"] = data["features"][:4]
    for feature, mark in zip(data["features"], ("はい", "○", "０", "×"), strict=True):
        feature["properties"]["共通ID"] = "TEST-" + feature["properties"]["共通ID"]
        feature["properties"]["地震"] = mark
    path = tmp_path / "flags.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    import_shelters(
        session=session, municipality_code=CODE, path=path, kind=ShelterKind.emergency_site
    )
    by_id = {s.source_id: s.earthquake for s in shelters(session)}
    assert [by_id[f["properties"]["共通ID"]] for f in data["features"]] == [
        True,
        True,
        False,
        False,
    ]
