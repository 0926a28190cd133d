"""Declaring an event and driving it through its phases, on the hand-made town."""

from __future__ import annotations

from datetime import timedelta

import pytest
from geoalchemy2.shape import to_shape
from shapely.geometry import box
from shapely.ops import unary_union
from sqlalchemy import select

from event_town import NORTH, SOUTH, STRUCK, declare
from sonae.errors import ConflictError, InvalidInputError
from sonae.event import service
from sonae.event.clock import CLOCK_SKEW, server_clock
from sonae.event.models import DisasterEvent, EventHazard, EventPhase, PhaseTransition
from sonae.safety.models import SafetyTask
from sonae.support.build import build_support_list
from sonae.support.models import DisasterModeSwitch
from sonae.support_extract.disaster_mode import last_switch
from support.factory import AS_OF, Town, lonlat, square


def tasks_of(town: Town, event_id: int) -> dict[int, SafetyTask]:
    rows = town.session.scalars(select(SafetyTask).where(SafetyTask.event_id == event_id))
    return {t.person_id: t for t in rows}


def test_declaring_switches_disaster_mode_on_for_the_area_and_records_the_first_move(
    town: Town,
) -> None:
    event = declare(town)
    assert event.phase is EventPhase.initial_response
    assert event.affected_chome == [NORTH]
    moves = service.history(session=town.session, event_id=event.id)
    assert [(m.from_phase, m.to_phase, m.moved_by) for m in moves] == [
        (EventPhase.normal, EventPhase.initial_response, "hq-test")
    ]
    switch = last_switch(session=town.session, municipality_code=town.code)
    assert switch is not None and switch.active
    assert (switch.event_id, switch.affected_chome) == (event.id, [NORTH])


def test_the_area_is_the_union_of_the_chosen_chome(town: Town) -> None:
    event = declare(town, (NORTH, SOUTH))
    area = to_shape(event.affected_area)
    # The town's two chome: the halves of a 10 km square, split at north = 0.
    whole = unary_union([square(-5000, 0, 5000, 5000), square(-5000, -5000, 5000, 0)])
    assert area.symmetric_difference(whole).area < whole.area * 1e-9


def test_a_polygon_area_selects_the_chome_it_touches(town: Town) -> None:
    south_corner = box(*lonlat(-1000, -3000), *lonlat(1000, -2000))
    event = service.declare_event(
        session=town.session,
        municipality_code=town.code,
        declaration=service.Declaration(
            name="豪雨", hazard=EventHazard.flood, started_at=STRUCK, area=south_corner
        ),
        declared_by="hq-test",
    )
    assert event.affected_chome == [SOUTH]


def test_a_start_ahead_of_the_server_clock_is_refused_a_past_one_is_not(town: Town) -> None:
    """A wrong year would put every desk's time "before the event"; an event declared hours
    after the earthquake, or typed "now" on a clock a minute fast, is fine."""

    def declare_at(offset: timedelta) -> DisasterEvent:
        started_at = server_clock(town.session) + offset
        return service.declare_event(
            session=town.session,
            municipality_code=town.code,
            declaration=service.Declaration(
                name="テスト地震",
                hazard=EventHazard.earthquake,
                started_at=started_at,
                chome_keys=(NORTH,),
            ),
            declared_by="hq-test",
        )

    for ahead in (CLOCK_SKEW + timedelta(minutes=1), timedelta(days=365)):
        with pytest.raises(InvalidInputError, match=r"^field 'started_at': in the future"):
            declare_at(ahead)
    assert town.session.scalars(select(DisasterEvent)).first() is None
    assert last_switch(session=town.session, municipality_code=town.code) is None
    assert declare_at(timedelta(minutes=1)).phase is EventPhase.initial_response
    assert declare_at(-timedelta(hours=6)).phase is EventPhase.initial_response


@pytest.mark.parametrize(
    ("chome", "problem"),
    [((), "either as a polygon or as chome keys"), (("99999999999",), "unknown chome")],
)
def test_a_declaration_without_a_valid_area_is_refused(
    town: Town, chome: tuple[str, ...], problem: str
) -> None:
    with pytest.raises(InvalidInputError, match=problem):
        declare(town, chome)


def test_tasks_cover_the_residents_of_the_area_listed_people_first(town: Town) -> None:
    build_support_list(session=town.session, municipality_code=town.code, built_by="t", as_of=AS_OF)
    event = declare(town)
    tasks = tasks_of(town, event.id)
    people = town.people
    # 北町 has three residents (the fourth moved out); 南町 is outside the area.
    assert set(tasks) == {people[n].id for n in ("north-care", "north-a", "north-b")}
    assert tasks[people["north-care"].id].priority == 1  # on the list: care level 3
    assert {tasks[people[n].id].priority for n in ("north-a", "north-b")} == {2}
    assert {t.district for t in tasks.values()} == {"北町"}


def test_phases_move_forward_to_closed_and_closing_ends_disaster_mode(town: Town) -> None:
    event = declare(town)
    path = [
        EventPhase.sheltering,
        EventPhase.damage_certification,
        EventPhase.temporary_housing,
        EventPhase.reconstruction,
        EventPhase.closed,
    ]
    for phase in path:
        service.move_phase(
            session=town.session,
            event_id=event.id,
            to_phase=phase,
            reason="本部会議",
            moved_by="hq",
        )
    assert event.phase is EventPhase.closed and event.closed_at is not None
    moves = town.session.scalars(
        select(PhaseTransition.to_phase)
        .where(PhaseTransition.event_id == event.id)
        .order_by(PhaseTransition.id)
    ).all()
    assert moves == [EventPhase.initial_response, *path]
    switch = last_switch(session=town.session, municipality_code=town.code)
    assert isinstance(switch, DisasterModeSwitch) and not switch.active


def test_a_refused_move_changes_nothing(town: Town) -> None:
    event = declare(town)
    with pytest.raises(ConflictError, match="one step"):
        service.move_phase(
            session=town.session,
            event_id=event.id,
            to_phase=EventPhase.temporary_housing,
            reason="skip",
            moved_by="hq",
        )
    assert event.phase is EventPhase.initial_response
    assert len(service.history(session=town.session, event_id=event.id)) == 1


def test_a_move_needs_a_reason(town: Town) -> None:
    event = declare(town)
    with pytest.raises(InvalidInputError, match="reason"):
        service.move_phase(
            session=town.session,
            event_id=event.id,
            to_phase=EventPhase.sheltering,
            reason="  ",
            moved_by="hq",
        )
