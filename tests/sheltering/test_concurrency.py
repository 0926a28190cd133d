"""Concurrent check-ins on real, separate connections that commit (cleaned up afterwards).

The same person checked in at two shelters at once ends in exactly one open stay; the same
request sent twice at once (a tablet's retry racing its original) makes one stay and both get
the same answer.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sheltering.desk import URAYASU, by_number
from sheltering.racing import USER_ID, World, current_shelter, principal, race, stays_of
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from sonae.event.models import DisasterEvent
from sonae.idempotency import service as idempotency
from sonae.idempotency.models import IdempotencyRecord
from sonae.sheltering import intake
from sonae.sheltering.models import StayEnd
from sonae.sheltering.schemas import CheckinIn


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
