"""Helpers of the shelter tests: a hand-made event in Urayasu, shelters and residents whose
matches we know, and the intake calls."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, Point, box
from sqlalchemy.orm import Session

from registry_rows import address_number, household_number
from sonae.event.models import DisasterEvent, EventHazard, EventPhase
from sonae.registry.models import Person, ResidentKind, ResidentStatus, Sex
from sonae.security.roles import Role
from sonae.shelter.models import Shelter, ShelterKind

URAYASU = "122271"
M, F = Sex.male, Sex.female
STRUCK = datetime(2026, 11, 23, 5, 46, tzinfo=UTC)


def new_event(session: Session, phase: EventPhase = EventPhase.initial_response) -> DisasterEvent:
    event = DisasterEvent(
        municipality_code=URAYASU,
        name="テスト地震",
        hazard=EventHazard.earthquake,
        started_at=STRUCK,
        phase=phase,
        affected_chome=[],
        affected_area=from_shape(MultiPolygon([box(139.88, 35.64, 139.90, 35.66)]), srid=6668),
        declared_by="hq-test",
    )
    session.add(event)
    session.flush()
    return event


def new_shelter(
    session: Session, *, capacity: int | None = None, estimate: int | None = None
) -> Shelter:
    shelter = Shelter(
        municipality_code=URAYASU,
        source_id=f"test-{uuid.uuid4().hex[:12]}",
        kind=ShelterKind.designated_shelter,
        name="テスト避難所",
        capacity=capacity,
        estimated_capacity=estimate,
        point=from_shape(Point(139.89, 35.65), srid=6668),
    )
    session.add(shelter)
    session.flush()
    return shelter


def new_person(
    session: Session,
    serial: int,
    name: str,
    kana: str,
    born: date,
    sex: Sex,
    address: str,
    *,
    household: int | None = None,
    status: ResidentStatus = ResidentStatus.resident,
) -> Person:
    person = Person(
        municipality_code=URAYASU,
        address_number=address_number(serial),
        household_number=household_number(household or serial),
        resident_kind=ResidentKind.japanese,
        status=status,
        name=name,
        name_kana=kana,
        birth_date=born,
        sex=sex,
        relation_to_head="世帯主",
        address_text=address,
    )
    session.add(person)
    session.flush()
    return person


class People:
    """浦安太郎; 髙橋花子 (old 髙); two 山田一郎 born the same day at different addresses;
    佐藤京子 (small ョ in the kana); 浦安次郎 who moved out (never matched)."""

    def __init__(self, session: Session) -> None:
        rows = [
            (9001, "浦安　太郎", "ウラヤス　タロウ", date(1975, 4, 1), M, "当代島一丁目2番3号"),
            (9002, "髙橋　花子", "タカハシ　ハナコ", date(1980, 2, 3), F, "当代島一丁目5番6号"),
            (9003, "山田　一郎", "ヤマダ　イチロウ", date(1990, 1, 1), M, "当代島一丁目7番8号"),
            (9004, "山田　一郎", "ヤマダ　イチロウ", date(1990, 1, 1), M, "猫実三丁目1番1号"),
            (9005, "佐藤　京子", "サトウ　キョウコ", date(1985, 5, 5), F, "当代島二丁目1番2号"),
        ]  # fmt: skip
        made = [
            new_person(session, serial, name, kana, born, sex, "浦安市" + address, household=1)
            for serial, name, kana, born, sex, address in rows
        ]
        self.taro, self.hanako, self.ichiro_a, self.ichiro_b, self.kyoko = made
        self.gone = new_person(
            session, 9006, "浦安　次郎", "ウラヤス　ジロウ", date(1977, 7, 7), Sex.male,
            "浦安市当代島一丁目2番3号", status=ResidentStatus.moved_out,
        )  # fmt: skip


def by_number(person: Person, **extra: Any) -> dict[str, Any]:
    return {"identity": {"method": "address_number", "address_number": person.address_number},
            **extra}  # fmt: skip


Post = Callable[..., Any]


def key() -> str:
    return str(uuid.uuid4())


def checkin(
    client: TestClient,
    headers: dict[str, str],
    event: DisasterEvent,
    shelter: Shelter,
    *people: dict[str, Any],
    idempotency_key: str | None = None,
    **extra: Any,
) -> Any:
    return client.post(
        f"/api/events/{event.id}/shelters/{shelter.id}/checkins",
        json={"people": list(people), **extra},
        headers={**headers, "Idempotency-Key": idempotency_key or key()},
    )


def open_shelter(
    client: TestClient, headers: dict[str, str], event: DisasterEvent, shelter: Shelter, **body: Any
) -> Any:
    response = client.post(
        f"/api/events/{event.id}/shelters/{shelter.id}/open", json=body, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def event(session: Session) -> DisasterEvent:
    return new_event(session)


@pytest.fixture
def people(session: Session) -> People:
    return People(session)


@pytest.fixture
def shelters(session: Session) -> tuple[Shelter, Shelter, Shelter]:
    """A: official capacity 250; B: no figures (opened with 350 m² of floor); C: estimate 80."""
    return (
        new_shelter(session, capacity=250),
        new_shelter(session),
        new_shelter(session, estimate=80),
    )


@pytest.fixture
def desk(client: TestClient, auth_headers: Callable[..., dict[str, str]]) -> dict[str, str]:
    """Headers of an hq user."""
    return auth_headers(Role.hq)
