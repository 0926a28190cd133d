"""Who is listed, with which reasons, hazards, shelter and priority: small towns checked by hand."""

from __future__ import annotations

import math
import random
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.hazard.models import HazardType
from sonae.registry.models import ResidentStatus
from sonae.shelter.models import ShelterKind
from sonae.support.build import build_support_list
from sonae.support.facts import current_people
from sonae.support.models import SupportListBuild, SupportListEntry
from sonae.support.rules import Facts, default_rules, evaluate
from support.factory import AS_OF, Town, lonlat, lonlat_box, square

YOUNG = date(1990, 6, 1)  # 35 on AS_OF: only welfare rules can list them


def build(town: Town, **kwargs: object) -> SupportListBuild:
    return build_support_list(
        session=town.session,
        municipality_code=town.code,
        built_by="test",
        as_of=kwargs.pop("as_of", AS_OF),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def entries(session: Session, result: SupportListBuild) -> dict[int, SupportListEntry]:
    rows = session.scalars(
        select(SupportListEntry).where(
            SupportListEntry.municipality_code == result.municipality_code,
            SupportListEntry.build_id == result.id,
        )
    )
    return {e.person_id: e for e in rows}


def listed_reasons(town: Town, result: SupportListBuild) -> dict[str, list[str]]:
    by_id = entries(town.session, result)
    return {label: by_id[p.id].reasons for label, p in town.people.items() if p.id in by_id}


def test_each_rule_lists_at_its_boundary_and_not_below(town: Town) -> None:
    town.person("care3", born=YOUNG, care_level="care_3")
    town.person("care2", born=YOUNG, care_level="care_2")
    town.person("phys2", born=YOUNG, physical_disability_grade=2)
    town.person("phys3", born=YOUNG, physical_disability_grade=3)
    town.person("intA", born=YOUNG, intellectual_disability_grade="A")
    town.person("intB", born=YOUNG, intellectual_disability_grade="B")
    town.person("mental2", born=YOUNG, mental_disability_grade=2)
    town.person("mental3", born=YOUNG, mental_disability_grade=3)
    town.person("disease", born=YOUNG, intractable_disease=True)
    town.person("asked", born=YOUNG, self_request=True)
    town.person("language", born=YOUNG, language_need="英語")  # optional rule, off by default
    town.person("nothing", born=YOUNG)
    town.person("alone75", born=date(1951, 4, 1))  # 75 exactly on AS_OF
    town.person("alone74", born=date(1951, 4, 2))  # 75 the day after
    result = build(town)
    assert listed_reasons(town, result) == {
        "care3": ["care_level_3_plus"],
        "phys2": ["physical_disability_1_2"],
        "intA": ["intellectual_a"],
        "mental2": ["mental_1_2"],
        "disease": ["intractable_disease"],
        "asked": ["self_request"],
        "alone75": ["elderly_alone"],
    }
    assert result.residents == 14 and result.listed == 7
    assert result.counts["by_reason"]["elderly_alone"] == 1


def test_elderly_only_households_against_mixed_ones_and_people_no_longer_resident(
    town: Town,
) -> None:
    town.person("old_a", born=date(1945, 1, 1), household="H1")
    town.person("old_b", born=date(1951, 3, 31), household="H1")  # 75
    town.person("old_c", born=date(1940, 1, 1), household="H2")
    town.person("young_c", born=date(1975, 1, 1), household="H2")  # mixed: not listed
    town.person("old_d", born=date(1940, 1, 1), household="H3")
    town.person("almost_d", born=date(1951, 4, 2), household="H3")  # 74: not elderly-only
    town.person("widow", born=date(1940, 1, 1), household="H4")
    town.person(
        "dead_spouse", born=date(1938, 1, 1), household="H4", status=ResidentStatus.deceased
    )
    town.person("gone", born=date(1930, 1, 1), status=ResidentStatus.moved_out, care_level="care_5")
    result = build(town)
    assert listed_reasons(town, result) == {
        "old_a": ["elderly_only_household"],
        "old_b": ["elderly_only_household"],
        "widow": ["elderly_alone"],  # the deceased spouse no longer counts in the household
    }


def test_a_person_whose_address_did_not_geocode_is_listed_with_unknown_hazards(town: Town) -> None:
    person = town.person("lost", born=YOUNG, at=None, care_level="care_4")
    result = build(town)
    entry = entries(town.session, result)[person.id]
    assert entry.hazards[0]["hazard_type"] == "unknown"
    assert entry.shelter_id is None and entry.shelter_distance_m is None
    assert entry.district is None
    assert result.counts["by_hazard"] == {"unknown": 1}
    assert result.counts["by_district"] == {"": 1}


def test_hazard_exposure_takes_the_highest_rank_per_scenario_and_counts_the_edge_as_inside(
    town: Town,
) -> None:
    town.hazard(
        HazardType.flood,
        "計画規模",
        [(1, square(0, 0, 200, 200)), (3, square(100, 100, 300, 300))],
    )
    town.hazard(HazardType.flood, "想定最大規模", [(5, square(0, 0, 1000, 1000))])
    lon0, lat0 = lonlat(2000, 2000)
    lon1, lat1 = lonlat(2100, 2100)
    town.hazard(HazardType.landslide, "土砂", [(2, lonlat_box(lon0, lat0, lon1, lat1))])
    both = town.person("both", born=YOUNG, care_level="care_3", at=(150, 150))
    low = town.person("low", born=YOUNG, care_level="care_3", at=(50, 50))
    edge = town.person("edge", born=YOUNG, care_level="care_3", at_lonlat=(lon0, (lat0 + lat1) / 2))
    outside = town.person("outside", born=YOUNG, care_level="care_3", at=(-100, -100))
    by_id = entries(town.session, build(town))
    assert [(h["scenario"], h["rank"]) for h in by_id[both.id].hazards] == [
        ("想定最大規模", 5),
        ("計画規模", 3),
    ]
    assert [(h["scenario"], h["rank"]) for h in by_id[low.id].hazards] == [
        ("想定最大規模", 5),
        ("計画規模", 1),
    ]
    assert by_id[edge.id].hazards == [
        {"hazard_type": "landslide", "scenario": "土砂", "rank": 2, "rank_label": "ランク2"}
    ]
    assert by_id[outside.id].hazards == []


def test_the_nearest_suitable_shelter_skips_nearer_unsuitable_and_unknown_ones(town: Town) -> None:
    town.hazard(HazardType.flood, "洪水", [(2, square(900, 900, 1100, 1100))])
    exposed = town.person("exposed", born=YOUNG, self_request=True, at=(1000, 1000))
    town.shelter("no flood", (1000, 1100), flags=("earthquake",))
    town.shelter("unknown flags", (1000, 1050), kind=ShelterKind.designated_shelter, flags=None)
    good = town.shelter("flood ok", (1000, 1300), flags=("flood", "earthquake"))
    town.shelter("flood farther", (1000, 1500), flags=("flood",))
    safe = town.person("safe", born=YOUNG, self_request=True, at=(-1000, -1000))
    designated = town.shelter(
        "designated", (-1000, -1100), kind=ShelterKind.designated_shelter, flags=None
    )
    by_id = entries(town.session, build(town))
    assert by_id[exposed.id].shelter_id == good.id
    assert by_id[exposed.id].shelter_distance_m == pytest.approx(300, abs=0.2)
    assert by_id[safe.id].shelter_id == designated.id
    assert by_id[safe.id].shelter_distance_m == pytest.approx(100, abs=0.2)


def test_a_shelter_must_fit_every_hazard_and_liquefaction_needs_the_earthquake_flag(
    town: Town,
) -> None:
    town.hazard(HazardType.flood, "洪水", [(1, square(0, 0, 500, 500))])
    town.hazard(HazardType.liquefaction, "液状化", [(2, square(0, 0, 500, 500))])
    person = town.person("p", born=YOUNG, self_request=True, at=(250, 250))
    town.shelter("flood only", (250, 300), flags=("flood",))
    town.shelter("earthquake only", (250, 350), flags=("earthquake",))
    both = town.shelter("both", (250, 450), flags=("flood", "earthquake"))
    by_id = entries(town.session, build(town))
    assert by_id[person.id].shelter_id == both.id


def test_welfare_shelters_are_for_people_needing_care_within_the_distance_limit(
    town: Town,
) -> None:
    cared = town.person("cared", born=YOUNG, care_level="care_4", at=(2000, -2000))
    alone = town.person("alone", born=date(1940, 1, 1), at=(2000, -2000))
    far = town.person("far", born=YOUNG, physical_disability_grade=1, at=(-4000, -2000))
    ordinary = town.shelter(
        "ordinary", (2000, -2100), kind=ShelterKind.designated_shelter, flags=None
    )
    welfare = town.shelter(
        "welfare", (2000, -2500), kind=ShelterKind.designated_shelter, is_welfare=True, flags=None
    )
    by_id = entries(town.session, build(town))
    assert by_id[cared.id].shelter_id == welfare.id
    assert by_id[cared.id].shelter_distance_m == pytest.approx(500, abs=0.2)
    assert by_id[alone.id].shelter_id == ordinary.id  # 福祉避難所 take people needing care
    # the welfare shelter is 6.5 km away, beyond 3 km: the nearest ordinary one instead
    assert by_id[far.id].shelter_id == ordinary.id


def test_priority_follows_the_documented_formula_and_orders_the_list(town: Town) -> None:
    town.hazard(
        HazardType.flood, "洪水", [(3, square(0, 0, 500, 500)), (1, square(600, 0, 900, 300))]
    )
    top = town.person("top", born=YOUNG, care_level="care_5", at=(100, 100))
    flood1 = town.person("flood1", born=YOUNG, self_request=True, at=(700, 100), household="H")
    town.person("flood1_kid", born=date(2010, 1, 1), household="H", at=(700, 100))
    lost = town.person("lost", born=date(1995, 1, 1), self_request=True, at=None)
    old = town.person("old", born=date(1936, 1, 1), care_level="care_3", at=(-300, -300))
    walker = town.person(
        "walker",
        born=date(1975, 6, 1),
        physical_disability_grade=1,
        physical_disability_type="肢体不自由",
        at=(-300, -300),
        household="W",
    )
    town.person("walker_son", born=date(2000, 1, 1), household="W", at=(-300, -300))
    by_id = entries(town.session, build(town))
    expected = {
        top.id: 40 * 1 + 20 * 1 + 15,
        lost.id: 40 + 15,  # no location: counted as fully exposed, so it gets checked
        old.id: 20 * 3 / 5 + 15 + 10 * (90 - 65) / 35,
        flood1.id: 40 * 1 / 3,
        walker.id: 15,
    }
    assert {pid: by_id[pid].priority for pid in expected} == pytest.approx(expected, abs=0.01)
    ordered = [
        e.person_id
        for e in sorted(by_id.values(), key=lambda e: -e.priority)
        if e.person_id in expected
    ]
    assert ordered == [top.id, lost.id, old.id, walker.id, flood1.id]


def test_districts_and_counts(town: Town) -> None:
    town.hazard(HazardType.flood, "洪水", [(1, square(0, 0, 500, 500))])
    town.person("north", born=YOUNG, care_level="care_3", at=(100, 100))
    town.person("south", born=YOUNG, care_level="care_3", at=(100, -100))
    town.person("south2", born=YOUNG, intellectual_disability_grade="A", at=(100, -200), chome=None)
    result = build(town)
    assert result.counts == {
        "by_reason": {"care_level_3_plus": 2, "intellectual_a": 1},
        "by_hazard": {"flood": 1, "none": 2},
        "by_district": {"北町": 1, "南町": 2},  # south2 found by its point in the chome
    }


def test_the_sql_agrees_with_the_python_rules_and_facts(town: Town) -> None:
    town.person("a", born=date(1940, 2, 29), household="X", care_level="care_3", phone="0")
    town.person("b", born=date(1948, 7, 1), household="X", physical_disability_grade=2)
    town.person("c", born=date(1951, 4, 1), intractable_disease=True, language_need="中国語")
    town.person("d", born=YOUNG, mental_disability_grade=1, self_request=True, at=None)
    result = build(town)
    by_id = entries(town.session, result)
    now = current_people(
        session=town.session, municipality_code=town.code, person_ids=list(by_id), as_of=AS_OF
    )
    rules = default_rules()
    for person_id, entry in by_id.items():
        snapshot = {k: v for k, v in entry.snapshot.items() if k not in ("hazards", "needs_care")}
        assert snapshot == now[person_id].snapshot
        assert entry.reasons == evaluate(rules, Facts.from_snapshot(entry.snapshot))


def test_a_build_stores_the_rule_set_it_used_and_two_builds_fit_in_one_transaction(
    town: Town,
) -> None:
    town.person("a", born=YOUNG, care_level="care_3")
    first, second = build(town), build(town)
    assert first.rule_set_id == second.rule_set_id
    assert first.id != second.id and second.listed == first.listed == 1


def test_the_chosen_shelter_is_the_brute_force_nearest_suitable_one(town: Town) -> None:
    """Random people and shelters: the build's Voronoi cells against a plain nearest search."""
    rng = random.Random(7)
    town.hazard(HazardType.flood, "洪水", [(1, square(0, -3000, 3000, 3000))])
    flags_choice = [(), ("flood",), ("earthquake",), ("flood", "earthquake"), None]
    shelters = []
    for i in range(25):
        at = (rng.uniform(-3000, 3000), rng.uniform(-3000, 3000))
        flags = flags_choice[i % len(flags_choice)]
        welfare = i % 4 == 0
        kind = ShelterKind.designated_shelter if flags is None else ShelterKind.emergency_site
        shelters.append((town.shelter(f"s{i}", at, kind=kind, is_welfare=welfare, flags=flags), at))
    twin = town.shelter("twin", shelters[3][1], flags=("flood",))  # same place, larger id
    lone = town.shelter("only tsunami", (2900, 2900), flags=("flood", "tsunami"))
    town.hazard(HazardType.tsunami, "津波", [(1, square(2500, 2500, 3000, 3000))])
    people = []
    for i in range(60):
        at = (rng.uniform(-2900, 2900), rng.uniform(-2900, 2900))
        care = {"care_level": "care_4"} if i % 3 == 0 else {"self_request": True}
        people.append((town.person(f"p{i}", born=YOUNG, at=at, **care), at, i % 3 == 0))
    tsunami_person = town.person("t", born=YOUNG, self_request=True, at=(2800, 2800))
    by_id = entries(town.session, build(town))
    shelters += [(twin, shelters[3][1]), (lone, (2900, 2900))]

    def suitable(shelter: object, needs: set[str], care: bool) -> bool:
        flags = {f for f in ("flood", "earthquake", "tsunami") if getattr(shelter, f)}
        return needs <= flags and (care or not shelter.is_welfare)  # type: ignore[attr-defined]

    for person, (x, y), care in people:
        needs = {"flood"} if 0 <= x <= 3000 else set()
        needs |= {"tsunami"} if x >= 2500 and y >= 2500 else set()
        candidates = [(s, at) for s, at in shelters if suitable(s, needs, care)]
        if care:
            welfare = [(s, at) for s, at in candidates if s.is_welfare]
            near = min(welfare, key=lambda c: (math.dist((x, y), c[1]), c[0].id), default=None)
            if near is not None and math.dist((x, y), near[1]) <= 3000:
                candidates = [near]
        best = min(candidates, key=lambda c: (math.dist((x, y), c[1]), c[0].id))
        assert by_id[person.id].shelter_id == best[0].id, person.name
        assert by_id[person.id].shelter_distance_m == pytest.approx(
            math.dist((x, y), best[1]), abs=0.1
        )
    assert twin.id not in {e.shelter_id for e in by_id.values()}  # co-located: the lower id
    assert by_id[tsunami_person.id].shelter_id == lone.id  # the only one fitting both hazards
