"""Races between a check-in and a close, and between a check-out and a check-in elsewhere, on
real, separate connections that commit (the world of test_concurrency, cleaned up afterwards).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from sheltering.desk import URAYASU, by_number
from sheltering.racing import World, race, stays_of
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from sonae.errors import ConflictError
from sonae.event.models import DisasterEvent
from sonae.safety.models import SafetyCurrent, SafetyStatus, Whereabouts
from sonae.sheltering import intake, openings, stays
from sonae.sheltering.schemas import CheckinIn

WAIT = 1.0
"""Seconds a blocked statement is given to show that it waits (it would finish in ms)."""


def _event(session: Session, world: World) -> DisasterEvent:
    return session.get_one(DisasterEvent, (URAYASU, world.event_id))


def _check_in(engine: Engine, world: World, shelter_id: int, person_index: int) -> Any:
    """As the router does: event, opening and clock in one query, then the check-in."""
    with Session(engine) as session:
        found = openings.event_and_opening(
            session=session, municipality_code=URAYASU, event_id=world.event_id,
            shelter_id=shelter_id)  # fmt: skip
        assert found is not None
        body = {"people": [by_number(world.people[person_index])]}
        try:
            result = intake.check_in(session=session, event=found[0], shelter_id=shelter_id,
                                     request=CheckinIn.model_validate(body), by="race",
                                     opened=found[1])  # fmt: skip
        except ConflictError as exc:
            return exc
        session.commit()
        return result


def _close(engine: Engine, world: World, shelter_id: int) -> Any:
    with Session(engine) as session:
        try:
            openings.close_shelter(session=session, event=_event(session, world),
                                   shelter_id=shelter_id, closed_by="race")  # fmt: skip
        except ConflictError as exc:
            return exc
        session.commit()
        return "closed"


def _check_out(engine: Engine, world: World, shelter_id: int, stay_id: int) -> Any:
    with Session(engine) as session:
        try:
            stays.check_out(session=session, event=_event(session, world), shelter_id=shelter_id,
                            stay_ids=[stay_id], by="race",
                            departure=stays.Departure(Whereabouts.home))  # fmt: skip
        except ConflictError as exc:
            return f"refused: {exc}"
        session.commit()
        return "checked out"


def _in_thread(call: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(call()))
    thread.start()
    return thread, out


def test_a_close_waits_for_a_check_in_under_way_then_is_refused(
    engine: Engine, world: World
) -> None:
    a = world.shelter_ids[0]
    with Session(engine) as first:
        body = {"people": [by_number(world.people[0])]}
        intake.check_in(session=first, event=_event(first, world), shelter_id=a,
                        request=CheckinIn.model_validate(body), by="race")  # fmt: skip
        thread, out = _in_thread(partial(_close, engine, world, a))
        thread.join(timeout=WAIT)
        assert thread.is_alive(), out  # the close waits for the check-in's lock
        first.commit()
    thread.join(timeout=10)
    assert isinstance(out[0], ConflictError) and "still has 1 people" in str(out[0])
    with Session(engine) as session:
        assert openings.current_opening(session=session, event=_event(session, world),
                                        shelter_id=a) is not None  # fmt: skip


def test_a_check_in_that_waited_for_a_close_finds_the_shelter_closed(
    engine: Engine, world: World
) -> None:
    a = world.shelter_ids[0]
    with Session(engine) as first:
        openings.close_shelter(session=first, event=_event(first, world), shelter_id=a,
                               closed_by="race")  # fmt: skip
        thread, out = _in_thread(partial(_check_in, engine, world, a, 0))
        thread.join(timeout=WAIT)
        assert thread.is_alive(), out  # the check-in waits for the close's lock
        first.commit()
    thread.join(timeout=10)
    assert isinstance(out[0], ConflictError), out
    assert stays_of(engine, world.people[0].id) == []


def _agrees(engine: Engine, world: World, person_index: int) -> tuple[int | None, Any]:
    """The person's open stay's shelter, and the safety status; asserts they agree and that
    the stays do not overlap."""
    person = world.people[person_index]
    held = stays_of(engine, person.id)
    open_stays = [s for s in held if s.checked_out_at is None]
    with Session(engine) as session:
        current = session.scalars(select(SafetyCurrent).where(
            SafetyCurrent.event_id == world.event_id,
            SafetyCurrent.person_id == person.id)).one()  # fmt: skip
    for before, after in itertools.pairwise(held):
        assert before.checked_out_at is not None
        assert before.checked_out_at <= after.checked_in_at
    if open_stays:
        assert (current.status, current.shelter_id) == (
            SafetyStatus.evacuated, open_stays[0].shelter_id)  # fmt: skip
        return open_stays[0].shelter_id, current
    assert (current.status, current.whereabouts) == (SafetyStatus.safe, Whereabouts.home)
    return None, current


def test_a_check_in_whose_clock_was_read_before_a_check_out_elsewhere_follows_it(
    engine: Engine, world: World
) -> None:
    a, b = world.shelter_ids
    first = _check_in(engine, world, a, 0)
    with Session(engine) as later:
        # The check-in at b reads its clock (and the opening) first ...
        found = openings.event_and_opening(session=later, municipality_code=URAYASU,
                                           event_id=world.event_id, shelter_id=b)  # fmt: skip
        assert found is not None and found[1] is not None
        # ... the check-out at a (home) reads a later clock and commits ...
        assert _check_out(engine, world, a, first.outcomes[0].stay.id) == "checked out"
        # ... then the check-in inserts its stay: it must be the later one.
        body = {"people": [by_number(world.people[0])]}
        intake.check_in(session=later, event=found[0], shelter_id=b,
                        request=CheckinIn.model_validate(body), by="race",
                        opened=found[1])  # fmt: skip
        later.commit()
    assert _agrees(engine, world, 0)[0] == b


def test_a_check_out_racing_a_check_in_elsewhere_leaves_status_and_roster_agreeing(
    engine: Engine, world: World
) -> None:
    a, b = world.shelter_ids
    for i in range(len(world.people)):
        first = _check_in(engine, world, a, i)
        stay_id = first.outcomes[0].stay.id
        out, into = race(
            partial(_check_out, engine, world, a, stay_id),
            partial(_check_in, engine, world, b, i),
        )
        assert into.outcomes[0].stay.shelter_id == b
        # Whichever went second saw the first: a check-out after the transfer is refused.
        assert out in (
            "checked out",
            f"refused: stay {stay_id} ended with a transfer to another shelter",
        )
        assert _agrees(engine, world, i)[0] == b
