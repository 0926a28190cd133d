"""A support list whose counts are known, on Urayasu's real chome (the test baseline).

Two hand-placed spots, both in Urayasu, in two different 250 m meshes (worked out by hand in
test_mesh.py's comments):
- 5 listed people at (35.652 N, 139.905 E), mesh 5339378212, in the first chome;
- 2 listed people at (35.652 N, 139.908 E), mesh 5339378221, in the second chome.
Plus one unlisted person in the first household, so the card shows a member not on the list.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import date

from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.chome.models import Chome
from sonae.registry.models import GeocodeStatus, Person, ResidentKind, ResidentStatus, Sex
from sonae.support.models import SupportListBuild, SupportListEntry, SupportRuleSet

URAYASU = "122271"
BIG_SPOT = (139.905, 35.652)
SMALL_SPOT = (139.908, 35.652)
BIG_MESH = "5339378212"
SMALL_MESH = "5339378221"
_serial = itertools.count(9_000_000)


@dataclass
class ListedTown:
    big_chome: Chome
    small_chome: Chome
    big_ids: list[int]
    small_ids: list[int]
    unlisted_id: int
    household: str
    """The household of the first listed person (and of the unlisted one)."""


def _person(
    session: Session, chome: Chome, spot: tuple[float, float], household: str, name: str
) -> Person:
    number = f"{next(_serial):010d}"
    person = Person(
        municipality_code=URAYASU,
        address_number=number,
        household_number=household,
        resident_kind=ResidentKind.japanese,
        status=ResidentStatus.resident,
        name=name,
        birth_date=date(1940, 5, 1),
        sex=Sex.female,
        relation_to_head="世帯主",
        address_text=f"浦安市{chome.name}1-1",
        chome_key_code=chome.key_code,
        location=from_shape(Point(*spot), srid=6668),
        geocode_status=GeocodeStatus.chome,
    )
    session.add(person)
    return person


def make_listed_town(session: Session) -> ListedTown:
    big_chome, small_chome = session.scalars(
        select(Chome).where(Chome.municipality_code == URAYASU).order_by(Chome.key_code).limit(2)
    ).all()
    household = f"{next(_serial):010d}"
    big = [
        _person(
            session,
            big_chome,
            BIG_SPOT,
            household if i == 0 else f"{next(_serial):010d}",
            f"試験　大{i}",
        )
        for i in range(5)
    ]
    small = [
        _person(session, small_chome, SMALL_SPOT, f"{next(_serial):010d}", f"試験　小{i}")
        for i in range(2)
    ]
    unlisted = _person(session, big_chome, BIG_SPOT, household, "試験　家族")
    unlisted.relation_to_head = "子"
    session.flush()
    rule_set = SupportRuleSet(
        municipality_code=URAYASU, version=900, name="test", rules={}, created_by="test"
    )
    session.add(rule_set)
    session.flush()
    build = SupportListBuild(
        municipality_code=URAYASU,
        rule_set_id=rule_set.id,
        as_of=date(2026, 11, 1),
        built_by="test",
        residents=8,
        listed=7,
        counts={},
    )
    session.add(build)
    session.flush()
    for person in [*big, *small]:
        session.add(
            SupportListEntry(
                municipality_code=URAYASU,
                build_id=build.id,
                person_id=person.id,
                reasons=["elderly_alone"],
                hazards=[],
                priority=1.0,
                district=None,
                age=86,
                snapshot={},
            )
        )
    session.flush()
    return ListedTown(
        big_chome, small_chome, [p.id for p in big], [p.id for p in small], unlisted.id, household
    )


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """Slippy-map tile numbers of a point (OSM's formula)."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y
