"""The schema and the support-list build work unchanged on tables partitioned by municipality.

Two databases built by the migrations; in one, every municipal table is LIST-partitioned by
municipality_code (partition.py), the one-node stand-in for Citus distribution. Both get the
same three municipalities (Urayasu and Nishinomiya from their real files, plus the hand-made
test town with a flood zone and a welfare shelter) and the same synthetic residents. The
support list built per municipality, and Urayasu's evacuation assignment, must be identical
row for row, and the rows must live in the municipality's own partition.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

import pytest
from geoalchemy2.shape import from_shape, to_shape
from scaling.partition import partition_by_municipality
from shapely.geometry import Point
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from dbtools import create_temporary_database, drop_database
from sonae.assignment.service import run_assignment
from sonae.config import PROJECT_ROOT
from sonae.database import migrate
from sonae.database.core import transaction
from sonae.hazard.models import HazardType
from sonae.importing.bundle import load_city
from sonae.municipality.models import Municipality
from sonae.registry.models import GeocodeStatus, Person, ResidentKind, ResidentStatus, Sex
from sonae.support.build import build_support_list
from sonae.welfare.models import CareLevel, WelfareRecord
from support.factory import AS_OF, TOWN_CODE, Town, square

CITIES = {"urayasu": "122271", "nishinomiya": "282049"}
CODES = [*CITIES.values(), TOWN_CODE]
PEOPLE_PER_CITY = 600
CAPACITY_RULES = PROJECT_ROOT / "data" / "reference" / "shelter_capacity_rules.csv"

ENTRIES = """
SELECT person_id, reasons, hazards, priority, shelter_id, shelter_distance_m, district, age,
       snapshot
FROM support_list_entry WHERE municipality_code = :code AND build_id = :build
ORDER BY person_id
"""

ASSIGNED = """
SELECT person_id, shelter_id, walk_m, reason FROM evacuation_assignment_person
WHERE municipality_code = :code AND assignment_id = :run ORDER BY person_id
"""


def residents(session: Session, code: str, rng: random.Random) -> None:
    """People at random points of the outline; some old, some with care or disabilities."""
    outline = to_shape(session.get_one(Municipality, code).outline)
    west, south, east, north = outline.bounds
    for number in range(PEOPLE_PER_CITY):
        while not outline.contains(at := Point(rng.uniform(west, east), rng.uniform(south, north))):
            pass
        household = f"H{code}{number // 2:06d}"
        person = Person(
            municipality_code=code,
            address_number=f"{number:010d}",
            household_number=household,
            resident_kind=ResidentKind.japanese,
            status=ResidentStatus.resident,
            name="試験　太郎",
            birth_date=date(rng.randint(1925, 2020), rng.randint(1, 12), rng.randint(1, 28)),
            sex=Sex.female,
            relation_to_head="世帯主",
            address_text="(合成)",
            location=from_shape(at, srid=6668),
            geocode_status=GeocodeStatus.address_point,
        )
        session.add(person)
        session.flush()
        roll = rng.random()
        if roll < 0.15:
            session.add(
                WelfareRecord(
                    municipality_code=code,
                    person_id=person.id,
                    care_level=CareLevel.care_3 if roll < 0.08 else None,
                    physical_disability_grade=1 if roll >= 0.08 else None,
                    physical_disability_type="肢体不自由" if roll >= 0.08 else None,
                    intractable_disease=False,
                    self_request=False,
                )
            )
    session.flush()


def town(session: Session) -> None:
    made = Town.create(session)
    made.hazard(HazardType.flood, "想定最大規模", [(3, square(-1000, -1000, 1000, 1000))])
    made.shelter("学校", (2000, 2000), flags=("flood",))
    made.shelter("福祉センター", (-1500, 1500), flags=("flood",), is_welfare=True)
    for i in range(40):
        made.person(
            f"t{i}",
            born=date(1930 + i, 1, 1),
            at=(-900.0 + 45 * i, -800.0 + 40 * i),
            household=f"T{i:04d}",
            **({"care_level": "care_4"} if i % 5 == 0 else {}),
        )


def load(url: str) -> None:
    with transaction(create_engine(url)) as session:
        for city in CITIES:
            load_city(
                session=session,
                city_dir=PROJECT_ROOT / "data" / "cities" / city,
                capacity_rules=CAPACITY_RULES,
            )
        town(session)
        rng = random.Random(20261123)
        for code in CITIES.values():
            residents(session, code, rng)


RELATION_KINDS = (
    "SELECT relname::text, relkind::text FROM pg_class WHERE relnamespace = 'public'::regnamespace"
)


@pytest.fixture(scope="module")
def databases() -> Iterator[tuple[str, str]]:
    flat = create_temporary_database("sonae_flat")
    parted = create_temporary_database("sonae_parted")
    try:
        for url in (flat, parted):
            migrate.upgrade(url)
        with create_engine(parted).begin() as connection:
            tables, left_alone = partition_by_municipality(connection, CODES)
            kinds = dict(connection.execute(text(RELATION_KINDS)).all())
        assert {"support_list_entry", "hazard_zone_part", "shelter"} <= set(tables)
        # The registry's tables are partitioned by the migrations themselves (0014).
        assert {kinds[t] for t in ("person", "person_history", "my_number")} == {"p"}
        # unique across municipalities by design (a login name, a token): see docs/scaling.md
        assert set(left_alone) <= {"access_token", "app_user"}, left_alone
        for url in (flat, parted):
            load(url)
        yield flat, parted
    finally:
        drop_database(flat)
        drop_database(parted)


def build_and_read(url: str, code: str) -> list[tuple[object, ...]]:
    with transaction(create_engine(url)) as session:
        build = build_support_list(
            session=session, municipality_code=code, built_by="test", as_of=AS_OF
        )
        return [tuple(r) for r in session.execute(text(ENTRIES), {"code": code, "build": build.id})]


@pytest.mark.parametrize("code", CODES)
def test_support_list_is_the_same_on_partitioned_tables(
    databases: tuple[str, str], code: str
) -> None:
    flat, parted = databases
    expected = build_and_read(flat, code)
    got = build_and_read(parted, code)
    assert len(expected) > 5  # the rules list someone in every municipality
    assert got == expected
    with create_engine(parted).connect() as connection:
        kind = connection.scalar(
            text("SELECT relkind FROM pg_class WHERE relname = 'support_list_entry'")
        )
        own = connection.scalar(text(f"SELECT count(*) FROM ONLY support_list_entry_m{code}"))
        other = connection.scalar(text("SELECT count(*) FROM ONLY support_list_entry_other"))
    assert kind == "p"
    assert own is not None and own >= len(got)
    assert other == 0


def test_assignment_is_the_same_on_partitioned_tables(databases: tuple[str, str]) -> None:
    results = []
    for url in databases:
        with transaction(create_engine(url)) as session:
            run = run_assignment(
                session=session, municipality_code="122271", created_by="test", as_of=AS_OF
            )
            rows = session.execute(text(ASSIGNED), {"code": "122271", "run": run.id}).all()
            results.append([tuple(r) for r in rows])
            people = session.scalar(
                select(Person.id).where(Person.municipality_code == "122271").limit(1)
            )
    assert people is not None
    assert len(results[0]) == PEOPLE_PER_CITY
    assert results[0] == results[1]
