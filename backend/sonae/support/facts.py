"""Today's facts of given people, in the shape of a build entry's snapshot.

A build keeps a snapshot only of the people it lists. When the diff needs the other side for
someone listed in one build only (why did they drop off?), it reads the registry and welfare
data as they are now, evaluated at that build's date: the same keys the build's SQL writes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from geoalchemy2.shape import to_shape
from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.registry.models import Person, ResidentStatus
from sonae.support.rules import age_on
from sonae.support.service import among
from sonae.welfare.models import WelfareRecord


@dataclass(frozen=True)
class CurrentPerson:
    person_id: int
    status: ResidentStatus
    since: date | None
    """The latest of became_resident_on and status_since: when they (re)became a resident."""
    snapshot: dict[str, Any]


def current_people(
    *, session: Session, municipality_code: str, person_ids: Collection[int], as_of: date
) -> dict[int, CurrentPerson]:
    if not person_ids:
        return {}
    people = list(
        session.scalars(
            select(Person).where(
                Person.municipality_code == municipality_code, among(Person.id, person_ids)
            )
        )
    )
    welfare = {
        w.person_id: w
        for w in session.scalars(
            select(WelfareRecord).where(
                WelfareRecord.municipality_code == municipality_code,
                among(WelfareRecord.person_id, person_ids),
            )
        )
    }
    households: dict[str, list[int]] = {}
    for number, birth_date in session.execute(
        select(Person.household_number, Person.birth_date).where(
            Person.municipality_code == municipality_code,
            Person.status == ResidentStatus.resident,
            Person.household_number.in_({p.household_number for p in people}),
        )
    ):
        households.setdefault(number, []).append(age_on(birth_date, as_of))
    result = {}
    for person in people:
        ages = households.get(person.household_number) or [age_on(person.birth_date, as_of)]
        dates = [d for d in (person.became_resident_on, person.status_since) if d is not None]
        result[person.id] = CurrentPerson(
            person_id=person.id,
            status=person.status,
            since=max(dates) if dates else None,
            snapshot=snapshot_of(person, welfare.get(person.id), ages, as_of),
        )
    return result


def snapshot_of(
    person: Person, welfare: WelfareRecord | None, household_ages: list[int], as_of: date
) -> dict[str, Any]:
    """The facts of one person at as_of; the keys of support_list_entry.snapshot."""
    point = None if person.location is None else cast(Point, to_shape(person.location))
    return {
        "age": age_on(person.birth_date, as_of),
        "birth_date": person.birth_date.isoformat(),
        "status": str(person.status),
        "address_text": person.address_text,
        "address_annex": person.address_annex,
        "location": None if point is None else [round(point.x, 7), round(point.y, 7)],
        "chome_key_code": person.chome_key_code,
        "household_number": person.household_number,
        "household_members": len(household_ages),
        "household_youngest_age": min(household_ages),
        "care_level": str(welfare.care_level) if welfare and welfare.care_level else None,
        "physical_grade": welfare.physical_disability_grade if welfare else None,
        "physical_type": welfare.physical_disability_type if welfare else None,
        "intellectual_grade": welfare.intellectual_disability_grade if welfare else None,
        "mental_grade": welfare.mental_disability_grade if welfare else None,
        "intractable": bool(welfare and welfare.intractable_disease),
        "self_request": bool(welfare and welfare.self_request),
        "language_need": (welfare.language_need or None) if welfare else None,
    }
