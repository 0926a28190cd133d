"""The allocation policy on hand-made towns whose right answer is argued in each docstring."""

from __future__ import annotations

from sonae.housing.allocation import Allocation, Applicant, Site, allocate, default_vulnerable_cap


def site_of(result: Allocation) -> dict[int, int | None]:
    return {d.application_id: d.site_id for d in result.decisions}


def by_id(result: Allocation, application_id: int) -> str:
    return next(d.reason for d in result.decisions if d.application_id == application_id)


SITES = [
    Site(site_id=1, name="A団地", chome="X", units=4, barrier_free_units=1, vulnerable_cap=2),
    Site(site_id=2, name="B団地", chome="Y", units=3, barrier_free_units=0, vulnerable_cap=1),
    Site(site_id=3, name="C団地", chome=None, units=2, barrier_free_units=0, vulnerable_cap=1),
]


def town() -> list[Applicant]:
    def a(i: int, chome: str, name: str, **kw: object) -> Applicant:
        return Applicant(
            application_id=i, household_number=f"H{i}", chome=chome, chome_name=name, size=2, **kw
        )  # type: ignore[arg-type]

    return [
        a(1, "X", "甲町", elderly=1, needs_barrier_free=True),
        a(2, "X", "甲町"),
        a(3, "X", "甲町"),
        a(4, "Y", "乙町", infants=1),
        a(5, "Y", "乙町"),
        a(6, "Z", "丙町", disabled=1),
        a(7, "Z", "丙町"),
        a(8, "Z", "丙町", infants=1),
    ]


def test_neighbours_stay_together_and_the_vulnerable_are_spread() -> None:
    """8 households, 9 units: everyone is housed, no lottery. The argument:

    - X's household 1 needs a barrier-free unit, and only A団地 (in X) has one, so chome X
      (1, 2, 3) goes whole to A団地: its own chome, 1 priority household ≤ cap 2.
    - Chome Y (4, 5) goes whole to B団地 in Y: 1 priority household ≤ cap 1.
    - Chome Z (6, 7, 8) has 2 priority households. Nowhere takes it whole: A has 1 unit left,
      B 1 unit, C has 2 units and cap 1. So Z must be split. 6 (priority, first by id) goes to
      the roomiest site still under its cap, C団地; 8 (priority) to the only site still under
      its cap, A団地; 7 (general) joins its neighbour 6 at C団地.
    - No cap is exceeded: A holds 1 and 8 (2 ≤ 2), B holds 4 (1 ≤ 1), C holds 6 (1 ≤ 1).
    """
    result = allocate(town(), SITES, seed=7)
    assert site_of(result) == {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 3, 7: 3, 8: 1}
    assert result.lottery_pool == ()
    decision_1 = next(d for d in result.decisions if d.application_id == 1)
    assert decision_1.barrier_free is True
    assert not any(d.barrier_free for d in result.decisions if d.application_id != 1)
    assert "同じ丁目（甲町）の3世帯をまとめてA団地に配置" in by_id(result, 2)
    assert "一か所に入る空きがなく" in by_id(result, 8)
    assert "優先世帯（6歳未満の乳幼児がいる）" in by_id(result, 8)
    assert by_id(result, 5).startswith("一般世帯")
    assert all(d.reason.endswith("。") for d in result.decisions)


def overflow_town() -> list[Applicant]:
    """Ten households for the 9 units of SITES: 3 priority, 7 general."""
    general = [Applicant(i, f"H{i}", "Z", "丙町", 1) for i in (12, 13, 15, 17, 18, 19, 20)]
    priority = [
        Applicant(11, "H11", "X", "甲町", 2, elderly=1),
        Applicant(14, "H14", "Y", "乙町", 3, infants=1),
        Applicant(16, "H16", "Z", "丙町", 1, disabled=1),
    ]
    return priority + general


def test_lottery_only_among_equals_and_priority_first() -> None:
    """9 units, 3 priority + 7 general households. The 3 priority households are all housed
    without a draw; the 6 remaining units are drawn among the 7 general households only, so
    exactly one general household waits (waiting rank 1) and no priority household is ever in
    the pool."""
    result = allocate(overflow_town(), SITES, seed=2026)
    decisions = {d.application_id: d for d in result.decisions}
    assert sorted(result.lottery_pool) == [12, 13, 15, 17, 18, 19, 20]
    for pid in (11, 14, 16):
        assert decisions[pid].site_id is not None
        assert decisions[pid].lottery_rank is None
    waiting = [d for d in result.decisions if d.site_id is None]
    assert len(waiting) == 1
    assert waiting[0].waiting_rank == 1
    assert waiting[0].lottery_rank == 7
    assert waiting[0].application_id == result.lottery_pool[-1]
    assert "待機順位1" in waiting[0].reason


def test_lottery_is_reproducible_from_its_seed() -> None:
    first = allocate(overflow_town(), SITES, seed=2026)
    again = allocate(list(reversed(overflow_town())), SITES, seed=2026)
    assert first == again  # input order does not matter, only the seed
    others = {allocate(overflow_town(), SITES, seed=s).lottery_pool for s in range(20)}
    assert len(others) > 1  # and the seed does


def test_priority_households_fill_every_unit_then_general_wait_without_a_draw() -> None:
    """2 units, 2 priority and 1 general household: the priority households fit exactly, so
    there is nothing to draw and the general household waits (no lottery rank)."""
    sites = [Site(1, "A団地", "X", units=2, barrier_free_units=0, vulnerable_cap=2)]
    people = [
        Applicant(1, "H1", "X", "甲町", 1, elderly=1),
        Applicant(2, "H2", "X", "甲町", 1),
        Applicant(3, "H3", "X", "甲町", 1, infants=1),
    ]
    result = allocate(people, sites, seed=1)
    assert site_of(result) == {1: 1, 2: None, 3: 1}
    assert result.lottery_pool == ()
    assert "優先世帯で全戸が埋まったため待機" in by_id(result, 2)


def test_cap_bends_rather_than_leave_a_priority_household_unhoused() -> None:
    """One site, 2 units, cap 1, two priority households: the second is still housed (the
    cap spreads the vulnerable, it never keeps them out) and the reason says the cap was
    exceeded."""
    sites = [Site(1, "A団地", "X", units=2, barrier_free_units=0, vulnerable_cap=1)]
    people = [
        Applicant(1, "H1", "Q", "丁町", 1, elderly=1),
        Applicant(2, "H2", None, "不明", 1, elderly=1),
    ]
    result = allocate(people, sites, seed=1)
    assert site_of(result) == {1: 1, 2: 1}
    assert "上限（1戸）を超えて配置" in by_id(result, 2)


def test_default_cap_is_half_but_at_least_the_barrier_free_units() -> None:
    assert default_vulnerable_cap(10, 2) == 5
    assert default_vulnerable_cap(5, 0) == 3
    assert default_vulnerable_cap(4, 3) == 3


def test_a_barrier_free_unit_waits_for_the_household_that_needs_it() -> None:
    """A団地 (in chome P) has one unit, barrier-free; B団地 five ordinary units. Household 7 is
    general and lives in P; household 8 (要介護4) needs a barrier-free unit and lives in Q.

    P's group goes first (its chome has a site) and A団地 would be its own chome's site and the
    tightest fit, but its one barrier-free unit is held for 8: rule 5 is across sites, so 7
    goes to B団地's ordinary units and 8 gets the barrier-free unit."""
    sites = [
        Site(1, "A団地", "P", units=1, barrier_free_units=1, vulnerable_cap=1),
        Site(2, "B団地", None, units=5, barrier_free_units=0, vulnerable_cap=3),
    ]
    people = [
        Applicant(7, "H7", "P", "甲町", 2),
        Applicant(8, "H8", "Q", "乙町", 2, elderly=1, disabled=1, needs_barrier_free=True),
    ]
    result = allocate(people, sites, seed=1)
    decisions = {d.application_id: d for d in result.decisions}
    assert site_of(result) == {7: 2, 8: 1}
    assert decisions[8].barrier_free is True
    assert "バリアフリー住戸を必要とするためバリアフリー住戸" in decisions[8].reason
    assert decisions[7].barrier_free is False
    assert "バリアフリー" not in decisions[7].reason


def test_barrier_free_units_beyond_those_needed_may_go_to_general_households() -> None:
    """A団地 (in P): 3 units, all barrier-free; B団地: 5 ordinary units. One household needs a
    barrier-free unit (8, from Q); two are general: 7 from P, 9 from R.

    Two of A's three units are spare (3 barrier-free, 1 needed). 7 stays in its own chome's site
    and takes one of them (A has no ordinary unit): allowed, the reason says it is a spare one.
    8 takes another. 9 could take A's last one (the tightest fit) but an ordinary unit is free
    at B団地, so it goes there and the unit stays free for a later run's needing household."""
    sites = [
        Site(1, "A団地", "P", units=3, barrier_free_units=3, vulnerable_cap=3),
        Site(2, "B団地", None, units=5, barrier_free_units=0, vulnerable_cap=3),
    ]
    people = [
        Applicant(7, "H7", "P", "甲町", 2),
        Applicant(8, "H8", "Q", "乙町", 1, disabled=1, needs_barrier_free=True),
        Applicant(9, "H9", "R", "丙町", 3),
    ]
    result = allocate(people, sites, seed=1)
    decisions = {d.application_id: d for d in result.decisions}
    assert site_of(result) == {7: 1, 8: 1, 9: 2}
    assert decisions[7].barrier_free and decisions[8].barrier_free
    assert not decisions[9].barrier_free
    assert "バリアフリー住戸を必要とする世帯の分を除いて余ったバリアフリー住戸" in by_id(result, 7)


def test_a_site_at_its_cap_still_gives_its_barrier_free_unit_to_the_one_who_needs_it() -> None:
    """A団地's cap is already reached (cap left 0) but it has the only barrier-free unit; B団地 is
    ordinary with room under its cap. The household needing a barrier-free unit goes to A: the
    cap spreads the vulnerable, it must not cost one of them the unit they need (rule 5 before
    rule 4), and the reason says the cap was exceeded."""
    sites = [
        Site(1, "A団地", "P", units=2, barrier_free_units=1, vulnerable_cap=0),
        Site(2, "B団地", "Q", units=2, barrier_free_units=0, vulnerable_cap=1),
    ]
    people = [Applicant(8, "H8", "Q", "乙町", 1, disabled=1, needs_barrier_free=True)]
    result = allocate(people, sites, seed=1)
    assert site_of(result) == {8: 1}
    assert result.decisions[0].barrier_free is True
    assert "バリアフリー住戸の空きのある住宅で優先世帯の上限に達したため" in by_id(result, 8)
    assert "上限（0戸）を超えて配置" in by_id(result, 8)
