"""An event waives consent (49条の11第3項) inside its affected area only; several open events
waive it in the union of their areas, each until it is closed or switched off."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from event_town import NORTH, SOUTH, declare
from sonae.audit.models import AuditEntry
from sonae.errors import ConflictError, NotFoundError, PermissionDeniedError
from sonae.event import service
from sonae.event.clock import server_clock
from sonae.event.models import DisasterEvent, EventPhase
from sonae.support.build import build_support_list
from sonae.support.models import DisasterModeSwitch
from sonae.support_extract.disaster_mode import (
    disaster_mode_active,
    disaster_mode_state,
    set_disaster_mode,
    switch_for_event,
)
from sonae.support_extract.extract import ExtractMode, extract_districts
from support.factory import AS_OF, Town


def test_a_disaster_extract_gives_everyone_listed_in_the_area_and_only_consenters_outside(
    town: Town,
) -> None:
    south = town.person("south-care", born=date(1990, 1, 1), at=(300, -100), care_level="care_4")
    build = build_support_list(
        session=town.session, municipality_code=town.code, built_by="t", as_of=AS_OF
    )
    declare(town)  # 北町 only
    extract = extract_districts(
        session=town.session,
        municipality_code=town.code,
        build_id=build.id,
        districts=None,
        mode=ExtractMode.disaster,
        principal=None,
        username="test",
    )
    # Nobody has consented: the listed person of 北町 is given, the one of 南町 is not.
    assert [r.person_id for r in extract.rows] == [town.people["north-care"].id]
    assert south.id not in {r.person_id for r in extract.rows}
    assert extract.left_out_without_consent == 1


def _listed(town: Town) -> tuple[int, int, int]:
    """(build id, listed person of 北町, listed person of 南町); nobody has consented."""
    south = town.person("south-care", born=date(1990, 1, 1), at=(300, -100), care_level="care_4")
    build = build_support_list(
        session=town.session, municipality_code=town.code, built_by="t", as_of=AS_OF
    )
    return build.id, town.people["north-care"].id, south.id


def _given(town: Town, build_id: int) -> set[int]:
    extract = extract_districts(
        session=town.session,
        municipality_code=town.code,
        build_id=build_id,
        districts=None,
        mode=ExtractMode.disaster,
        principal=None,
        username="test",
    )
    return {r.person_id for r in extract.rows}


def _close(town: Town, event: DisasterEvent) -> None:
    service.move_phase(
        session=town.session,
        event_id=event.id,
        to_phase=EventPhase.closed,
        reason="本部会議",
        moved_by="hq",
    )


def test_a_small_event_adds_to_a_city_wide_one_and_closing_it_leaves_the_other_in_force(
    town: Town,
) -> None:
    build_id, north, south = _listed(town)
    city_wide = declare(town, (NORTH, SOUTH))
    small = declare(town, (SOUTH,))
    state = disaster_mode_state(session=town.session, municipality_code=town.code)
    assert [h.event_id for h in state.holders] == [city_wide.id, small.id]
    assert state.area == {NORTH, SOUTH}
    # The later, smaller event does not shrink the area waived by the city-wide one.
    assert _given(town, build_id) == {north, south}

    _close(town, small)
    state = disaster_mode_state(session=town.session, municipality_code=town.code)
    assert [h.event_id for h in state.holders] == [city_wide.id]
    assert state.last_switch is not None and state.last_switch.reason == f"event {small.id} closed"
    assert _given(town, build_id) == {north, south}


def test_the_area_is_the_union_of_the_open_events_and_the_log_is_only_appended(
    town: Town,
) -> None:
    build_id, north, south = _listed(town)
    first = declare(town, (NORTH,))
    second = declare(town, (SOUTH,))
    assert _given(town, build_id) == {north, south}
    switch_for_event(
        session=town.session,
        municipality_code=town.code,
        event_id=first.id,
        active=False,
        switched_by="hq",
        reason="危険解消",
    )
    assert _given(town, build_id) == {south}
    _close(town, second)
    with pytest.raises(PermissionDeniedError, match="disaster mode"):
        _given(town, build_id)
    log = town.session.execute(
        select(DisasterModeSwitch.event_id, DisasterModeSwitch.active).order_by(
            DisasterModeSwitch.id
        )
    )
    assert [tuple(row) for row in log] == [
        (first.id, True),
        (second.id, True),
        (first.id, False),
        (second.id, False),
    ]


def test_a_switch_by_hand_is_a_lane_of_its_own(town: Town) -> None:
    build_id, north, south = _listed(town)
    event = declare(town, (NORTH,))

    def by_hand(active: bool, reason: str) -> None:
        set_disaster_mode(
            session=town.session,
            municipality_code=town.code,
            active=active,
            switched_by="hq",
            reason=reason,
        )

    by_hand(True, "市内全域に避難指示")
    assert _given(town, build_id) == {north, south}
    by_hand(False, "避難指示解除")
    # The event still holds its own area.
    assert _given(town, build_id) == {north}
    by_hand(True, "再度の避難指示")
    _close(town, event)
    state = disaster_mode_state(session=town.session, municipality_code=town.code)
    assert [(h.event_id, h.affected_chome) for h in state.holders] == [(None, None)]
    assert _given(town, build_id) == {north, south}


def test_a_closed_event_holds_nothing_and_cannot_be_switched_on_again(town: Town) -> None:
    event = declare(town, (NORTH,))
    event.closed_at = server_clock(town.session)  # closed without its switch off (old log)
    town.session.flush()
    assert not disaster_mode_active(session=town.session, municipality_code=town.code)
    with pytest.raises(ConflictError, match="closed"):
        switch_for_event(
            session=town.session,
            municipality_code=town.code,
            event_id=event.id,
            active=True,
            switched_by="hq",
            reason="再開",
        )
    with pytest.raises(NotFoundError):
        switch_for_event(
            session=town.session,
            municipality_code=town.code,
            event_id=event.id + 1000,
            active=False,
            switched_by="hq",
            reason="-",
        )


def test_a_disaster_extract_records_the_events_that_allowed_it(town: Town) -> None:
    build_id, north, _ = _listed(town)
    first = declare(town, (NORTH,))
    second = declare(town, (SOUTH,))
    _given(town, build_id)
    entry = town.session.scalars(
        select(AuditEntry).where(AuditEntry.resource == f"support_list_build/{build_id}/extract")
    ).one()
    assert entry.detail["mode"] == "disaster"
    assert entry.detail["disaster_events"] == [first.id, second.id]
    assert entry.detail["disaster_by_hand"] is False
    assert north in entry.person_ids
