"""The world of the concurrency tests: an event with two open shelters and a few residents,
committed on a connection of its own (removed afterwards), and a way to run calls at once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sheltering.desk import URAYASU, new_event, new_person, new_shelter
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from sonae.event.models import DisasterEvent
from sonae.idempotency.models import IdempotencyRecord
from sonae.registry.models import Person, Sex
from sonae.safety.models import SafetyCurrent
from sonae.security.roles import Principal, Role
from sonae.shelter.models import Shelter
from sonae.sheltering.models import ShelterStay
from sonae.sheltering.openings import open_shelter

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
