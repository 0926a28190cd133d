"""Derived hazard scenarios built by Sonae from other layers, always labelled as scenarios.

Urayasu has no published hazard polygons. In 2011 about 86 % of the city liquefied, almost all of
it reclaimed land (中町 and 新町, 1965–1980), while the old town (元町) stood on original ground.
The scenario classifies each chome by its district and dissolves them into one zone per district.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import shapely
from geoalchemy2.shape import from_shape, to_shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.chome.models import Chome
from sonae.database.core import STORAGE_SRID
from sonae.errors import ImportRejectedError, Problem
from sonae.gis.validate import as_multi
from sonae.hazard.models import HazardType, HazardZone
from sonae.hazard.service import replace_scenario
from sonae.municipality import service as municipality_service


@dataclass(frozen=True)
class District:
    name: str
    rank: int
    label: str
    name_prefixes: tuple[str, ...]


@dataclass(frozen=True)
class DistrictScenario:
    hazard_type: HazardType
    scenario: str
    basis: str
    districts: tuple[District, ...]


def read_district_scenario(path: Path) -> DistrictScenario:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return DistrictScenario(
            hazard_type=HazardType(raw["hazard_type"]),
            scenario=raw["scenario"],
            basis=raw["basis"],
            districts=tuple(
                District(d["name"], int(d["rank"]), d["label"], tuple(d["name_prefixes"]))
                for d in raw["districts"]
            ),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError, TypeError) as exc:
        raise ImportRejectedError(
            path.name, [Problem(f"not a district scenario file ({exc})")]
        ) from exc


def build_district_scenario(
    *, session: Session, municipality_code: str, definition: DistrictScenario
) -> int:
    """Replace the scenario's zones with one dissolved zone per district; returns zone count.

    Every chome with a boundary must fall in exactly one district, so no area is left unrated.
    """
    municipality_service.get(session=session, code=municipality_code)
    chome = session.execute(
        select(Chome.name, Chome.boundary).where(
            Chome.municipality_code == municipality_code, Chome.boundary.is_not(None)
        )
    ).all()
    if not chome:
        raise ImportRejectedError(
            definition.scenario, [Problem("the municipality has no chome polygons to build from")]
        )
    members: dict[str, list[shapely.Geometry]] = {d.name: [] for d in definition.districts}
    unmatched = []
    for name, boundary in chome:
        assert boundary is not None  # filtered in the query
        district = _district_of(name, definition.districts)
        if district is None:
            unmatched.append(name)
        else:
            members[district.name].append(to_shape(boundary))
    if unmatched:
        raise ImportRejectedError(
            definition.scenario,
            [Problem(f"chome {n} matches no district of the scenario") for n in unmatched],
        )
    zones = [
        HazardZone(
            hazard_type=definition.hazard_type,
            scenario=definition.scenario,
            rank=d.rank,
            rank_label=d.label,
            is_derived_scenario=True,
            source=f"Sonae scenario: {definition.basis}"[:300],
            source_feature_id=d.name,
            geom=from_shape(as_multi(shapely.union_all(members[d.name])), srid=STORAGE_SRID),
        )
        for d in definition.districts
        if members[d.name]
    ]
    replace_scenario(
        session=session,
        municipality_code=municipality_code,
        hazard_type=definition.hazard_type,
        scenario=definition.scenario,
        zones=zones,
    )
    return len(zones)


def _district_of(name: str, districts: tuple[District, ...]) -> District | None:
    return next((d for d in districts if name.startswith(d.name_prefixes)), None)
