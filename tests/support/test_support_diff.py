"""Each reason the diff gives, on people whose change between two builds is known."""

from __future__ import annotations

from datetime import date

from geoalchemy2.shape import from_shape
from shapely.geometry import Point

from sonae.hazard.models import HazardType
from sonae.registry.models import ResidentStatus
from sonae.support import service as support_service
from sonae.support.build import build_support_list
from sonae.support.diff import SupportListDiff, diff_builds
from sonae.support.diff_reasons import ChangeCode
from sonae.support.diff_report import report_csv, report_rows
from sonae.support.models import SupportListBuild
from sonae.support.rules import default_rules
from sonae.welfare.models import CareLevel, WelfareRecord
from support.factory import AS_OF, Town, lonlat, square

LATER = date(2026, 10, 1)
YOUNG = date(1990, 6, 1)


def build(town: Town, as_of: date, rule_set_id: int | None = None) -> SupportListBuild:
    return build_support_list(
        session=town.session,
        municipality_code=town.code,
        built_by="test",
        as_of=as_of,
        rule_set_id=rule_set_id,
    )


def diff(town: Town, a: SupportListBuild, b: SupportListBuild) -> SupportListDiff:
    return diff_builds(
        session=town.session, municipality_code=town.code, build_id=a.id, other_build_id=b.id
    )


def summary(town: Town, result: SupportListDiff) -> dict[str, tuple[str, list[str]]]:
    names = {p.id: label for label, p in town.people.items()}
    return {
        names[i.person_id]: (i.kind, [f"{c.code}:{c.detail or ''}" for c in i.changes])
        for i in result.items
    }


def welfare_of(town: Town, label: str) -> WelfareRecord:
    person = town.people[label]
    record = town.session.query(WelfareRecord).filter_by(person_id=person.id).one()
    return record


def test_every_reason_a_person_is_added_removed_or_changed(town: Town) -> None:
    session = town.session
    town.person("mover", born=YOUNG, care_level="care_3", at=(100, 100))
    town.person("turning", born=date(1951, 6, 1), at=(100, 100))  # 74 → 75
    town.person("care_up", born=YOUNG, care_level="care_2")
    town.person("care_more", born=YOUNG, care_level="care_3")
    town.person("care_down", born=YOUNG, care_level="care_3")
    town.person("disability", born=YOUNG, physical_disability_grade=2)
    town.person("dies", born=YOUNG, care_level="care_4")
    town.person("leaves", born=YOUNG, care_level="care_4")
    town.person("exposed", born=YOUNG, intractable_disease=True, at=(-2000, -2000))
    town.person("parent", born=date(1946, 1, 1), household="H1")
    town.person("child", born=date(1976, 1, 1), household="H1")
    town.person("husband", born=date(1945, 1, 1), household="H2")
    town.person("wife", born=date(1947, 1, 1), household="H2")
    town.person("steady", born=YOUNG, care_level="care_5")
    town.person("asks", born=YOUNG, care_level="care_3", at=(-3000, 3000))
    town.person("erased", born=YOUNG, care_level="care_3")
    town.person("sheltered", born=YOUNG, care_level="care_3", at=(3000, 3000))
    town.shelter("origin", (0, 0), flags=None)
    before = build(town, AS_OF)

    mover = town.people["mover"]
    mover.address_text = "テスト町転居先2-2"
    mover.location = from_shape(Point(*lonlat(300, 400)), srid=6668)
    welfare_of(town, "care_up").care_level = CareLevel.care_3
    welfare_of(town, "care_more").care_level = CareLevel.care_5
    welfare_of(town, "care_down").care_level = CareLevel.care_2
    welfare_of(town, "disability").physical_disability_grade = 1
    town.people["dies"].status = ResidentStatus.deceased
    town.people["leaves"].status = ResidentStatus.moved_out
    town.people["child"].status = ResidentStatus.moved_out
    town.people["wife"].status = ResidentStatus.deceased
    town.hazard(HazardType.flood, "洪水", [(2, square(-2500, -2500, -1500, -1500))])
    welfare_of(town, "asks").self_request = True
    town.people["erased"].status = ResidentStatus.erased
    town.shelter("new and near", (3000, 3100), flags=None)
    newcomer = town.person("newcomer", born=YOUNG, care_level="care_3")
    newcomer.became_resident_on = date(2026, 7, 1)
    session.flush()
    after = build(town, LATER)

    assert summary(town, diff(town, before, after)) == {
        "turning": ("added", ["turned_age:75"]),
        "care_up": ("added", ["care_level_changed:→要介護3"]),
        "parent": ("added", ["household_changed:now_alone"]),
        "newcomer": ("added", ["moved_in:"]),
        "care_down": ("removed", ["care_level_changed:要介護3→要介護2"]),
        "dies": ("removed", ["died:"]),
        "leaves": ("removed", ["moved_away:"]),
        "wife": ("removed", ["died:"]),
        "mover": ("changed", ["moved:"]),
        "care_more": ("changed", ["care_level_changed:要介護3→要介護5"]),
        "disability": ("changed", ["disability_changed:"]),
        "exposed": ("changed", ["hazard_changed:", "shelter_changed:"]),  # none fits a flood
        "husband": ("changed", ["household_changed:now_alone"]),
        "asks": ("changed", ["self_request_changed:"]),
        "erased": ("removed", ["erased:"]),
        "sheltered": ("changed", ["shelter_changed:"]),
    }


def test_a_rule_change_alone_is_named_as_such(town: Town) -> None:
    town.person("seventy", born=date(1955, 1, 1))  # 71, alone
    town.person("care3", born=YOUNG, care_level="care_3")
    town.person("both", born=date(1940, 1, 1), care_level="care_3")  # 86, alone, care 3
    before = build(town, AS_OF)
    rules = default_rules().model_copy(
        update={
            "elderly_alone": default_rules().elderly_alone.model_copy(  # type: ignore[union-attr]
                update={"min_age": 65, "label": "65歳以上のひとり暮らし"}
            ),
            "care_level": None,
        }
    )
    new_rules = support_service.create_rule_set(
        session=town.session, municipality_code=town.code, rules=rules, created_by="test"
    )
    after = build(town, AS_OF, rule_set_id=new_rules.id)
    result = diff(town, before, after)
    assert summary(town, result) == {
        "seventy": ("added", ["rule_changed:"]),
        "care3": ("removed", ["rule_changed:"]),
        "both": ("changed", ["rule_changed:"]),
    }
    rows = {row["氏名"]: row for row in report_rows(session=town.session, diff=result)}
    assert rows["試験　both"]["区分"] == "変更"
    assert rows["試験　both"]["変更の理由"] == "掲載基準の変更"
    assert rows["試験　both"]["掲載事由（前）"] == "要介護3〜5・75歳以上のひとり暮らし"
    assert rows["試験　both"]["掲載事由（後）"] == "65歳以上のひとり暮らし"
    assert rows["試験　seventy"]["区分"] == "追加"
    text = report_csv(list(rows.values())).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("区分,宛名番号,氏名,地区,変更の理由")


def test_two_builds_of_unchanged_data_differ_in_nothing(town: Town) -> None:
    town.person("a", born=date(1940, 1, 1), care_level="care_3")
    town.person("b", born=YOUNG, intellectual_disability_grade="A")
    first = build(town, AS_OF)
    second = build(town, LATER)  # everyone is half a year older, no threshold crossed
    result = diff(town, first, second)
    assert result.items == []
    assert result.counts() == {"added": 0, "removed": 0, "changed": 0}


def test_change_codes_have_japanese_labels() -> None:
    from sonae.support.diff_reasons import CHANGE_LABELS

    assert set(CHANGE_LABELS) == set(ChangeCode)


def test_a_household_whose_youngest_turns_75_is_named_as_turning_75(town: Town) -> None:
    """An elder listed for care gains the 75-and-over household reason when the spouse turns
    75: the change is the spouse's birthday, not 'other'."""
    town.person("elder", born=date(1940, 1, 1), care_level="care_3", household="H3")
    town.person("spouse", born=date(1951, 6, 1), household="H3")  # 74 → 75
    before = build(town, AS_OF)
    after = build(town, LATER)
    assert summary(town, diff(town, before, after)) == {
        "elder": ("changed", ["turned_age:75"]),
        "spouse": ("added", ["turned_age:75"]),
    }
