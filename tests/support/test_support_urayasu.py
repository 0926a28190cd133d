"""One run on the real Urayasu baseline (its liquefaction scenario and its 93 shelters)."""

from __future__ import annotations

from datetime import date

import pytest
from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.chome.models import Chome
from sonae.registry.models import GeocodeStatus, Person, ResidentKind, ResidentStatus, Sex
from sonae.shelter.models import Shelter
from sonae.support.build import build_support_list
from sonae.support.models import SupportListEntry
from sonae.welfare.models import CareLevel, WelfareRecord
from support.factory import AS_OF, serial

URAYASU = "122271"
SEA = (139.905, 35.600)  # Tokyo Bay, south of the reclaimed land: in no hazard zone


def resident(session: Session, location: object, **welfare: object) -> Person:
    person = Person(
        municipality_code=URAYASU,
        address_number=serial(),
        household_number=serial(),
        resident_kind=ResidentKind.japanese,
        status=ResidentStatus.resident,
        name="試験　浦安",
        birth_date=date(1990, 1, 1),
        sex=Sex.male,
        relation_to_head="世帯主",
        address_text="浦安市",
        location=location,
        geocode_status=GeocodeStatus.chome,
    )
    session.add(person)
    session.flush()
    values: dict[str, object] = {"intractable_disease": False, "self_request": False, **welfare}
    session.add(WelfareRecord(municipality_code=URAYASU, person_id=person.id, **values))
    session.flush()
    return person


def chome_point(session: Session, name: str) -> object:
    return session.scalar(
        select(Chome.point).where(Chome.municipality_code == URAYASU, Chome.name == name)
    )


def test_urayasu_people_get_the_liquefaction_rank_and_an_earthquake_site(session: Session) -> None:
    old_town = resident(session, chome_point(session, "当代島一丁目"), care_level=CareLevel.care_3)
    reclaimed = resident(session, chome_point(session, "美浜一丁目"), self_request=True)
    at_sea = resident(session, from_shape(Point(*SEA), srid=6668), physical_disability_grade=1)
    build = build_support_list(
        session=session, municipality_code=URAYASU, built_by="test", as_of=AS_OF
    )
    by_id = {
        e.person_id: e
        for e in session.scalars(
            select(SupportListEntry).where(SupportListEntry.build_id == build.id)
        )
    }
    assert build.listed == 3 and build.residents == 3
    assert [h["rank"] for h in by_id[old_town.id].hazards] == [1]
    assert [h["rank"] for h in by_id[reclaimed.id].hazards] == [2]
    assert by_id[old_town.id].hazards[0]["hazard_type"] == "liquefaction"
    assert by_id[old_town.id].district == "当代島" and by_id[reclaimed.id].district == "美浜"
    assert by_id[at_sea.id].hazards == []
    for person in (old_town, reclaimed):
        shelter = session.get(Shelter, (URAYASU, by_id[person.id].shelter_id))
        assert shelter is not None
        assert shelter.earthquake is True  # an emergency site, or a designated shelter (city.toml)
    sea_shelter = session.get(Shelter, (URAYASU, by_id[at_sea.id].shelter_id))
    assert sea_shelter is not None and sea_shelter.is_welfare  # needs care, no hazard
    assert build.counts["by_hazard"] == {"liquefaction": 2, "none": 1}


@pytest.mark.parametrize("name", ["当代島一丁目", "美浜一丁目"])
def test_the_chosen_site_is_the_nearest_earthquake_site_by_geodesic_distance(
    session: Session, name: str
) -> None:
    person = resident(session, chome_point(session, name), self_request=True)  # no care needed
    build = build_support_list(
        session=session, municipality_code=URAYASU, built_by="test", as_of=AS_OF
    )
    entry = session.scalars(
        select(SupportListEntry).where(
            SupportListEntry.build_id == build.id, SupportListEntry.person_id == person.id
        )
    ).one()
    distance = func.ST_Distance(
        func.geography(Shelter.point),
        func.geography(
            select(Person.location)
            .where(Person.municipality_code == URAYASU, Person.id == person.id)
            .scalar_subquery()
        ),
    )
    nearest_id, metres = session.execute(
        select(Shelter.id, distance)
        .where(
            Shelter.municipality_code == URAYASU,
            Shelter.earthquake.is_(True),
            Shelter.is_welfare.is_(False),  # welfare shelters are kept for people needing care
        )
        .order_by(distance)
        .limit(1)
    ).one()
    assert entry.shelter_id == nearest_id
    assert entry.shelter_distance_m == pytest.approx(metres, rel=0.002)
