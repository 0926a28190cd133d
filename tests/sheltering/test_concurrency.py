"""Concurrent check-ins on real, separate connections that commit (cleaned up afterwards).

The same person checked in at two shelters at once ends in exactly one open stay; the same
request sent twice at once (a tablet's retry racing its original) makes one stay and both get
the same answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

import pytest
from sheltering.desk import URAYASU, by_number, new_event, new_person, new_shelter
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from sonae.event.models import DisasterEvent
from sonae.idempotency import service as idempotency
from sonae.idempotency.models import IdempotencyRecord
from sonae.registry.models import Person, Sex
from sonae.safety.models import SafetyCurrent
from sonae.security.roles import Principal, Role
from sonae.shelter.models import Shelter
from sonae.sheltering import intake
from sonae.sheltering.models import ShelterStay, StayEnd
from sonae.sheltering.openings import open_shelter
from sonae.sheltering.schemas import CheckinIn

USER_ID = 987_654_321
ROUNDS = 5


@dataclass
class World:
    event_id: int
    shelter_ids: tuple[int, int]
    people: list[Person]


def principal(user_id: int = USER_ID) -> Principal:
    return Principal(user_id=user_id, username="race-test", roles=frozenset({Role.hq}),
                     municipality_code=URAYASU)  # fmt: skip


@pytest.fixture
def world(engine: Engine) -> Iterator[World]:
    with Session(engine, expire_on_commit=False) as session:
        event = new_event(session)
        a, b = new_shelter(session, capacity=100), new_shelter(session, capacity=100)
        for shelter in (a, b):
            open_shelter(session=session, event=event, shelter_id=shelter.id, opened_by="race")
        people = [
            new_person(session, 9100 + i, f"競合　{i}", "キョウゴウ", date(1970, 1, 1), Sex.male,
                       "浦安市当代島一丁目1番1号")
            for i in range(ROUNDS)
        ]  # fmt: skip
        session.commit()
        made = World(event.id, (a.id, b.id), people)
    try:
        yield made
    finally:
        with Session(engine) as session:
            session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.user_id == USER_ID))
            session.execute(delete(DisasterEvent).where(DisasterEvent.id == made.event_id))
            session.execute(delete(Shelter).where(Shelter.id.in_(made.shelter_ids)))
            session.execute(delete(Person).where(Person.id.in_([p.id for p in made.people])))
            session.commit()


def check_in(engine: Engine, event_id: int, shelter_id: int, body: dict[str, Any],
             key: str) -> tuple[int, Any]:  # fmt: skip
    """What the router does, minus HTTP and audit: claim, check in, store, commit."""
    with Session(engine) as session:
        event = session.get_one(DisasterEvent, (URAYASU, event_id))
        fingerprint = idempotency.fingerprint("POST", f"/{shelter_id}", body)
        claim = idempotency.claim(session=session, principal=principal(), key=key,
                                  fingerprint=fingerprint)  # fmt: skip
        if claim.replay is not None:
            session.commit()
            return claim.replay.status_code, claim.replay.body
        result = intake.check_in(session=session, event=event, shelter_id=shelter_id,
                                 request=CheckinIn.model_validate(body), by="race")  # fmt: skip
        answer = {"stays": [o.stay.id for o in result.outcomes], "occupancy": result.occupancy}
        idempotency.store(session=session, claim=claim, status_code=201, body=answer)
        session.commit()
        return 201, answer


def race(*calls: Callable[[], tuple[int, Any]]) -> list[tuple[int, Any]]:
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(isinstance(r, Exception) for r in results), results
    return results


def current_shelter(engine: Engine, event_id: int, person_id: int) -> int | None:
    with Session(engine) as session:
        return session.scalar(select(SafetyCurrent.shelter_id).where(
            SafetyCurrent.event_id == event_id, SafetyCurrent.person_id == person_id))  # fmt: skip


def stays_of(engine: Engine, person_id: int) -> list[ShelterStay]:
    with Session(engine) as session:
        return list(session.scalars(
            select(ShelterStay).where(ShelterStay.person_id == person_id).order_by(ShelterStay.id)
        ))  # fmt: skip


def test_the_same_person_at_two_shelters_at_once_ends_in_one_open_stay(
    engine: Engine, world: World
) -> None:
    a, b = world.shelter_ids
    for i, person in enumerate(world.people):
        body = {"people": [by_number(person)]}
        race(
            partial(check_in, engine, world.event_id, a, body, f"race-a-{i}-0000"),
            partial(check_in, engine, world.event_id, b, body, f"race-b-{i}-0000"),
        )
        stays = stays_of(engine, person.id)
        assert len(stays) == 2
        open_stays = [s for s in stays if s.checked_out_at is None]
        assert len(open_stays) == 1
        closed = next(s for s in stays if s.checked_out_at is not None)
        assert closed.ended_by is StayEnd.transferred
        assert open_stays[0].transferred_from_stay_id == closed.id
        # The one that waited is the later observation: the status follows the open stay.
        assert current_shelter(engine, world.event_id, person.id) == open_stays[0].shelter_id


def test_a_retry_racing_its_original_makes_one_stay_and_one_answer(
    engine: Engine, world: World
) -> None:
    a = world.shelter_ids[0]
    person = world.people[0]
    body = {"people": [by_number(person)]}
    one, two = race(
        lambda: check_in(engine, world.event_id, a, body, "retry-same-key"),
        lambda: check_in(engine, world.event_id, a, body, "retry-same-key"),
    )
    assert one == two
    assert len(stays_of(engine, person.id)) == 1
    with Session(engine) as session:
        keys = session.scalars(select(IdempotencyRecord.status_code).where(
            IdempotencyRecord.user_id == USER_ID)).all()  # fmt: skip
        assert keys == [201]
