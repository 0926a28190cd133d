"""Hand-made events, households and dwellings for the damage, dwelling and certificate tests.

Everything is made up and lives in Urayasu (122271, loaded as the test baseline): household and
address numbers from a counter far from the registry tests' serials.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, Point, Polygon
from sqlalchemy.orm import Session

from sonae.damage.models import SurveyHazard, SurveyRound
from sonae.damage.service import SurveyInput
from sonae.dwelling.models import (
    Dwelling,
    DwellingHousehold,
    DwellingSource,
    LocationPrecision,
    StructureKind,
)
from sonae.event.models import DisasterEvent, EventHazard, EventPhase
from sonae.registry.checks import with_m11_check_digit
from sonae.registry.models import GeocodeStatus, Person, ResidentKind, ResidentStatus, Sex

URAYASU = "122271"
_serials = itertools.count(1)
AREA = MultiPolygon([Polygon([(139.88, 35.64), (139.91, 35.64), (139.91, 35.66), (139.88, 35.66)])])


def make_event(
    session: Session,
    *,
    code: str = URAYASU,
    hazard: EventHazard = EventHazard.earthquake,
    phase: EventPhase = EventPhase.damage_certification,
    started_at: datetime = datetime(2026, 11, 1, 5, 46, tzinfo=UTC),
    name: str = "テスト地震",
) -> DisasterEvent:
    event = DisasterEvent(
        municipality_code=code,
        name=name,
        hazard=hazard,
        started_at=started_at,
        phase=phase,
        affected_chome=[],
        affected_area=from_shape(AREA, srid=6668),
        declared_by="test",
    )
    session.add(event)
    session.flush()
    return event


def make_household(
    session: Session,
    *,
    address: str = "浦安市当代島一丁目1番1号",
    members: int = 1,
    code: str = URAYASU,
    head_name: str = "浦安 太郎",
    annex: str | None = None,
) -> tuple[str, list[Person]]:
    """A resident household at `address`: (household_number, people, head first)."""
    household = with_m11_check_digit(8_000_000 + next(_serials))
    people = []
    for position in range(members):
        person = Person(
            municipality_code=code,
            address_number=with_m11_check_digit(9_000_000 + next(_serials)),
            household_number=household,
            resident_kind=ResidentKind.japanese,
            status=ResidentStatus.resident,
            name=head_name if position == 0 else f"浦安 {position}",
            birth_date=date(1970, 1, 1),
            sex=Sex.male,
            relation_to_head="世帯主" if position == 0 else "子",
            address_text=address,
            address_annex=annex,
            chome_key_code=None,
            location=from_shape(Point(139.89, 35.65), srid=6668),
            geocode_status=GeocodeStatus.address_point,
        )
        session.add(person)
        people.append(person)
    session.flush()
    return household, people


def make_dwelling(
    session: Session,
    *,
    code: str = URAYASU,
    structure: StructureKind | None = StructureKind.wooden,
    households: tuple[str, ...] = (),
) -> Dwelling:
    dwelling = Dwelling(
        municipality_code=code,
        source=DwellingSource.address,
        source_ref=f"test-{next(_serials)}",
        address_key=None,
        structure=structure,
        location=from_shape(Point(139.89, 35.65), srid=6668),
        location_precision=LocationPrecision.town,
    )
    session.add(dwelling)
    session.flush()
    for household in households:
        session.add(
            DwellingHousehold(
                municipality_code=code,
                dwelling_id=dwelling.id,
                household_number=household,
                linked_by="manual",
            )
        )
    session.flush()
    return dwelling


def survey_input(dwelling_id: int, **facts: object) -> SurveyInput:
    values: dict[str, object] = {
        "dwelling_id": dwelling_id,
        "round": SurveyRound.first_exterior,
        "surveyor": "調査 一郎",
        "surveyed_on": date(2026, 11, 5),
    }
    values.update(facts)
    return SurveyInput(**values)  # type: ignore[arg-type]


__all__ = ["SurveyHazard"]
