"""Building the dwelling layer and linking households to it.

Households are matched to dwellings by their head's normalised address (registry.normalise), the
only finer-than-town key the registry holds: its geocoding stops at the town (大字・町丁目)
representative point, so a point-in-footprint test would put a whole town in one building.
Footprints therefore link households only when the footprint file carries an address; every
household left over gets a dwelling of its own address, located at its town point.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from geoalchemy2.shape import from_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from sonae.dwelling.models import (
    Dwelling,
    DwellingHousehold,
    DwellingSource,
    LocationPrecision,
    StructureKind,
)
from sonae.errors import ImportRejectedError, Problem
from sonae.gis.columns import FieldSpec, resolve_columns, text_value
from sonae.gis.reader import ReadOptions
from sonae.gis.validate import POLYGONAL, as_multi
from sonae.importing.common import ImportSummary, load_layer, record_import
from sonae.logging import get_logger
from sonae.municipality import service as municipality_service
from sonae.registry.models import GeocodeStatus, Person, ResidentStatus
from sonae.registry.normalise import base_form, normalise_address

log = get_logger(__name__)

HEAD = "世帯主"

FOOTPRINT_FIELDS = (
    FieldSpec("id", ("id", "建物ID", "buildingID", "gml_id", "fid", "ID")),
    FieldSpec("address", ("address", "住所", "所在地", "建物住所"), required=False),
    FieldSpec("structure", ("structure", "構造", "建物構造"), required=False),
    FieldSpec("storeys", ("storeys", "階数", "地上階数", "storeysAboveGround"), required=False),
)

STRUCTURE_WORDS: dict[str, StructureKind] = {
    "wooden": StructureKind.wooden,
    "木造": StructureKind.wooden,
    "prefabricated": StructureKind.prefabricated,
    "プレハブ": StructureKind.prefabricated,
    "軽量鉄骨造": StructureKind.prefabricated,
    "non_wooden": StructureKind.non_wooden,
    "非木造": StructureKind.non_wooden,
    "鉄骨造": StructureKind.non_wooden,
    "鉄筋コンクリート造": StructureKind.non_wooden,
    "鉄骨鉄筋コンクリート造": StructureKind.non_wooden,
    "RC": StructureKind.non_wooden,
    "SRC": StructureKind.non_wooden,
    "S": StructureKind.non_wooden,
}


def address_key(address: str, municipality_names: list[str]) -> str:
    """The registry's normal form with 丁目 written as a dash: 当代島1丁目3-4 and 当代島1-3-4 are
    one building. (In a town without 丁目, 2-3 is 2番3号 and no address says 2丁目, so the two
    forms do not collide.)"""
    return re.sub(r"(\d)丁目-?", r"\1-", normalise_address(address, municipality_names))


@dataclass(frozen=True)
class LinkSummary:
    households: int
    linked_to_existing: int
    new_dwellings: int
    kept_manual: int

    def describe(self) -> str:
        return (
            f"{self.households} households: {self.linked_to_existing} to existing dwellings, "
            f"{self.new_dwellings} new address dwellings, {self.kept_manual} manual links kept"
        )


@dataclass(frozen=True)
class _Household:
    number: str
    key: str
    chome_key_code: str | None
    location: object | None
    located: bool


def _households(session: Session, municipality_code: str, names: list[str]) -> list[_Household]:
    """One row per resident household: its head's address (else its first member's)."""
    rows = session.execute(
        select(
            Person.household_number,
            Person.relation_to_head,
            Person.address_text,
            Person.chome_key_code,
            Person.location,
            Person.geocode_status,
        )
        .where(
            Person.municipality_code == municipality_code,
            Person.status == ResidentStatus.resident,
        )
        .order_by(Person.household_number, Person.id)
    )
    chosen: dict[str, _Household] = {}
    for number, relation, address, chome, location, status in rows:
        if number in chosen and relation != HEAD:
            continue
        chosen[number] = _Household(
            number=number,
            key=address_key(address, names),
            chome_key_code=chome,
            location=location,
            located=status is not GeocodeStatus.unmatched and location is not None,
        )
    return list(chosen.values())


def _names(session: Session, municipality_code: str) -> list[str]:
    municipality = municipality_service.get(session=session, code=municipality_code)
    return [base_form(municipality.name)]


def link_households(*, session: Session, municipality_code: str) -> LinkSummary:
    """Link every resident household to a dwelling of the same address, creating address
    dwellings where none exists. Manual links are never overwritten. Re-running after a
    registry import moves households whose address changed."""
    households = _households(session, municipality_code, _names(session, municipality_code))
    by_key: dict[str, int] = {}
    # Footprints win over address dwellings: the order puts them last, so they overwrite.
    for dwelling_id, key in session.execute(
        select(Dwelling.id, Dwelling.address_key)
        .where(Dwelling.municipality_code == municipality_code, Dwelling.address_key.isnot(None))
        .order_by(Dwelling.source.desc(), Dwelling.id)
    ):
        if key is not None:
            by_key[key] = dwelling_id
    links = {
        link.household_number: link
        for link in session.scalars(
            select(DwellingHousehold).where(
                DwellingHousehold.municipality_code == municipality_code
            )
        )
    }
    existing = new = manual = 0
    for household in households:
        link = links.get(household.number)
        if link is not None and link.linked_by == "manual":
            manual += 1
            continue
        found = by_key.get(household.key)
        if found is None:
            dwelling = Dwelling(
                municipality_code=municipality_code,
                source=DwellingSource.address,
                source_ref=household.key,
                address_key=household.key,
                chome_key_code=household.chome_key_code,
                location=household.location,
                location_precision=(
                    LocationPrecision.town if household.located else LocationPrecision.unknown
                ),
            )
            session.add(dwelling)
            session.flush()
            dwelling_id = by_key[household.key] = dwelling.id
            new += 1
        else:
            dwelling_id = found
            existing += 1
        if link is None:
            session.add(
                DwellingHousehold(
                    municipality_code=municipality_code,
                    dwelling_id=dwelling_id,
                    household_number=household.number,
                    linked_by="address",
                )
            )
        elif link.dwelling_id != dwelling_id:
            link.dwelling_id = dwelling_id
    session.flush()
    summary = LinkSummary(len(households), existing, new, manual)
    log.info("dwellings linked", extra={"households": summary.households, "new": new})
    return summary


def _structure(value: object, feature: int) -> StructureKind | None:
    text = text_value(value)
    if text is None:
        return None
    found = STRUCTURE_WORDS.get(text) or STRUCTURE_WORDS.get(base_form(text))
    if found is None:
        raise ImportRejectedError(
            "footprints",
            [
                Problem(
                    f"unknown structure (known: {', '.join(STRUCTURE_WORDS)})", feature, "structure"
                )
            ],
        )
    return found


def _storeys(value: object) -> int | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    try:
        number = int(float(str(value)))
    except ValueError:
        return None
    return number if 0 < number < 200 else None


def import_footprints(
    *,
    session: Session,
    municipality_code: str,
    path: Path,
    read: ReadOptions | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[ImportSummary, LinkSummary]:
    """Upsert building footprints by their id in the file, then relink households."""
    municipality = municipality_service.get(session=session, code=municipality_code)
    loaded = load_layer(
        session=session,
        municipality=municipality,
        path=path,
        read=read or ReadOptions(),
        allowed=POLYGONAL,
    )
    frame = loaded.frame
    resolved = resolve_columns(path.name, frame, FOOTPRINT_FIELDS, columns or {})
    names = [base_form(municipality.name)]
    current = {
        ref: dwelling
        for ref, dwelling in session.execute(
            select(Dwelling.source_ref, Dwelling).where(
                Dwelling.municipality_code == municipality_code,
                Dwelling.source == DwellingSource.footprint,
            )
        ).all()
    }
    problems: list[Problem] = []
    for position, (_, row) in enumerate(frame.iterrows(), start=1):
        ref = text_value(row[resolved["id"]]) if resolved["id"] else None
        if ref is None:
            problems.append(Problem("building id is blank", position, "id"))
            continue
        geom: BaseGeometry = as_multi(row.geometry)
        address = text_value(row[resolved["address"]]) if resolved["address"] else None
        dwelling = current.get(ref) or Dwelling(
            municipality_code=municipality_code, source=DwellingSource.footprint, source_ref=ref
        )
        dwelling.footprint = from_shape(geom, srid=6668)
        dwelling.location = from_shape(geom.representative_point(), srid=6668)
        dwelling.location_precision = LocationPrecision.building
        dwelling.address_key = address_key(address, names) if address else None
        if resolved["structure"]:
            dwelling.structure = _structure(row[resolved["structure"]], position)
        if resolved["storeys"]:
            dwelling.storeys = _storeys(row[resolved["storeys"]])
        if ref not in current:
            session.add(dwelling)
            current[ref] = dwelling
    if problems:
        raise ImportRejectedError(path.name, problems)
    session.flush()
    _set_chome(session, municipality_code)
    summary = record_import(
        session=session,
        municipality_code=municipality_code,
        layer="dwelling_footprint",
        path=path,
        loaded=loaded,
    )
    return summary, link_households(session=session, municipality_code=municipality_code)


def _set_chome(session: Session, municipality_code: str) -> None:
    """Footprints take the chome their interior point lies in."""
    session.execute(
        text(
            "UPDATE dwelling d SET chome_key_code = c.key_code FROM chome c "
            "WHERE d.municipality_code = :code AND d.source = 'footprint' "
            "AND c.municipality_code = :code AND ST_Contains(c.boundary, d.location)"
        ),
        {"code": municipality_code},
    )


def household_person_ids(
    *,
    session: Session,
    municipality_code: str,
    household_numbers: list[str],
    residents_only: bool = False,
) -> list[int]:
    """The internal ids of households' members, for the audit trail (never names);
    `residents_only` when what was read shows the resident members only."""
    if not household_numbers:
        return []
    query = select(Person.id).where(
        Person.municipality_code == municipality_code,
        Person.household_number.in_(household_numbers),
    )
    if residents_only:
        query = query.where(Person.status == ResidentStatus.resident)
    return list(session.scalars(query))
