"""Hand-made small towns: people, welfare records, hazard squares and shelters at known places.

Positions are given in metres east and north of the town's origin and turned into lon/lat with
the JGD2011 plane zone IX (EPSG:6677) the town is registered with, so that distances the build
measures in that zone are the ones written in the test.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

from geoalchemy2.shape import from_shape
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Point, Polygon
from sqlalchemy.orm import Session

from sonae.chome.models import Chome
from sonae.hazard.models import HazardType, HazardZone
from sonae.hazard.service import replace_scenario
from sonae.municipality import service as municipality_service
from sonae.registry.models import GeocodeStatus, Person, ResidentKind, ResidentStatus, Sex
from sonae.shelter.models import HAZARD_FLAGS, Shelter, ShelterKind
from sonae.welfare.models import CareLevel, WelfareRecord

TOWN_CODE = "131024"
AS_OF = date(2026, 4, 1)
"""The date the tests build their lists at."""
PLANE_SRID = 6677
ORIGIN = (-30_000.0, -35_000.0)
"""Plane coordinates (x east, y north) of the town's origin: near 139.5°E, 35.7°N."""

_to_lonlat = Transformer.from_crs(PLANE_SRID, 6668, always_xy=True)
_numbers = itertools.count(1)


def lonlat(east: float, north: float) -> tuple[float, float]:
    lon, lat = _to_lonlat.transform(ORIGIN[0] + east, ORIGIN[1] + north)
    return float(lon), float(lat)


def square(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    return Polygon([lonlat(x, y) for x, y in corners])


def lonlat_box(lon0: float, lat0: float, lon1: float, lat1: float) -> Polygon:
    """A box with edges along meridians and parallels: a point can lie exactly on its edge."""
    return Polygon([(lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1), (lon0, lat0)])


def serial() -> str:
    return f"{next(_numbers):010d}"


@dataclass
class Town:
    """A municipality of its own (code 131024) with two districts: 北町 and 南町."""

    session: Session
    code: str = TOWN_CODE
    people: dict[str, Person] = field(default_factory=dict)

    @classmethod
    def create(cls, session: Session, code: str = TOWN_CODE) -> Town:
        outline = square(-5000, -5000, 5000, 5000)
        municipality_service.register(
            session=session,
            code=code,
            name="テスト町",
            plane_rectangular_srid=PLANE_SRID,
            outline=outline,
        )
        town = cls(session, code)
        town.chome("13102001001", "北町一丁目", square(-5000, 0, 5000, 5000))
        town.chome("13102002001", "南町一丁目", square(-5000, -5000, 5000, 0))
        return town

    def chome(self, key: str, name: str, shape: Polygon) -> None:
        self.session.add(
            Chome(
                municipality_code=self.code,
                key_code=key,
                name=name,
                boundary=from_shape(MultiPolygon([shape]), srid=6668),
                point=from_shape(shape.representative_point(), srid=6668),
            )
        )
        self.session.flush()

    def person(
        self,
        label: str,
        *,
        born: date,
        at: tuple[float, float] | None = (100.0, 100.0),
        at_lonlat: tuple[float, float] | None = None,
        household: str | None = None,
        status: ResidentStatus = ResidentStatus.resident,
        chome: str | None = "auto",
        sex: Sex = Sex.female,
        **welfare: object,
    ) -> Person:
        """A person at (east, north) metres (None: address did not geocode).

        Welfare fields (care_level, physical_disability_grade, …) create a WelfareRecord.
        """
        key = chome
        if chome == "auto":
            key = None if at is None else "13102001001" if at[1] >= 0 else "13102002001"
        person = Person(
            municipality_code=self.code,
            address_number=serial(),
            household_number=household or serial(),
            resident_kind=ResidentKind.japanese,
            status=status,
            name=f"試験　{label}",
            name_kana="シケン　テスト",
            birth_date=born,
            sex=sex,
            relation_to_head="世帯主",
            address_text=f"テスト町{label}1-1",
            chome_key_code=key,
            location=None
            if at is None and at_lonlat is None
            else from_shape(Point(*(at_lonlat or lonlat(*at))), srid=6668),
            geocode_status=GeocodeStatus.unmatched if at is None else GeocodeStatus.address_point,
        )
        self.session.add(person)
        self.session.flush()
        if welfare:
            self.welfare(person, **welfare)
        self.people[label] = person
        return person

    def welfare(self, person: Person, **fields: object) -> WelfareRecord:
        values: dict[str, object] = {"intractable_disease": False, "self_request": False}
        values.update(fields)
        if isinstance(values.get("care_level"), str):
            values["care_level"] = CareLevel(str(values["care_level"]))
        record = WelfareRecord(municipality_code=self.code, person_id=person.id, **values)
        self.session.add(record)
        self.session.flush()
        return record

    def hazard(
        self,
        hazard_type: HazardType,
        scenario: str,
        zones: list[tuple[int, Polygon]],
    ) -> None:
        replace_scenario(
            session=self.session,
            municipality_code=self.code,
            hazard_type=hazard_type,
            scenario=scenario,
            zones=[
                HazardZone(
                    hazard_type=hazard_type,
                    scenario=scenario,
                    rank=rank,
                    rank_label=f"ランク{rank}",
                    is_derived_scenario=False,
                    source="test",
                    geom=from_shape(MultiPolygon([shape]), srid=6668),
                )
                for rank, shape in zones
            ],
        )

    def shelter(
        self,
        name: str,
        at: tuple[float, float],
        *,
        kind: ShelterKind = ShelterKind.emergency_site,
        is_welfare: bool = False,
        flags: tuple[str, ...] | None = (),
    ) -> Shelter:
        """flags: the hazard flags that are TRUE (the others FALSE); None: all unknown (NULL)."""
        values: dict[str, object] = {
            flag: None if flags is None else flag in flags for flag in HAZARD_FLAGS
        }
        shelter = Shelter(
            municipality_code=self.code,
            source_id=serial(),
            kind=kind,
            name=name,
            address=f"テスト町{name}",
            is_welfare=is_welfare,
            point=from_shape(Point(*lonlat(*at)), srid=6668),
            **values,
        )
        self.session.add(shelter)
        self.session.flush()
        return shelter
