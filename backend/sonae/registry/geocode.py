"""Placing registry addresses on the map: town (大字・町丁目) level, against the city's own layers.

The gazetteer holds the municipality's chome (census 町丁目, with a representative point) and
town points (address_point), both normalised like the addresses (normalise.py). An address
matches the longest town name it starts with; a following "N丁目", or a leading number in the
dash notation (当代島1-2-3) when the town has that 丁目, picks the chome. The location is the
town point when there is one (geocode_status address_point), else the chome's representative
point (chome). Otherwise the person stays unmatched with a reason category in geocode_note;
nobody is dropped.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import text
from sqlalchemy.orm import Session

from sonae.database.core import STORAGE_SRID
from sonae.municipality import service as municipality_service
from sonae.registry.arrow import flat
from sonae.registry.models import GeocodeStatus
from sonae.registry.normalise import base_form, normalise_town, strip_place

EMPTY = "empty address"
NO_TOWN = "no such town (町・大字) in the municipality"
NO_CHOME_GIVEN = "no 丁目 given for a town that has 丁目"
NO_SUCH_CHOME = "no such 丁目 in the town"

_CHOME = re.compile(r"^(.+?)([0-9]+)丁目$")
_CHOME_AFTER = re.compile(r"^([0-9]+)丁目")
_FIRST_NUMBER = re.compile(r"^([0-9]+)(-|$)")


@dataclass(frozen=True)
class Target:
    status: GeocodeStatus
    chome_key_code: str | None
    x: float
    y: float

    @property
    def ewkb(self) -> bytes:
        """EWKB of the point (with its SRID), as binary COPY takes a geometry."""
        return struct.pack("<BIIdd", 1, 0x20000001, STORAGE_SRID, self.x, self.y)


@dataclass(frozen=True)
class Match:
    target: Target | None
    note: str | None = None


@dataclass
class Gazetteer:
    municipality_names: list[str]
    towns: dict[str, dict[int | None, Target]] = field(default_factory=dict)
    """Normalised town name without 丁目 -> 丁目 number (None: the town itself) -> target."""

    def add(self, name: str, target: Target) -> None:
        found = _CHOME.match(name)
        base, number = (found[1], int(found[2])) if found else (name, None)
        self.towns.setdefault(base, {}).setdefault(number, target)

    def match(self, address: str, longest: int | None = None) -> Match:
        """longest: the longest town name (pass it when matching many addresses)."""
        # 番/号 are kept here: 当代島2番3号 has no 丁目, 当代島2-3 has one.
        plain = strip_place(base_form(address), self.municipality_names).removeprefix("大字")
        if not plain:
            return Match(None, EMPTY)
        if longest is None:
            longest = max((len(t) for t in self.towns), default=0)
        for size in range(min(len(plain), longest), 0, -1):
            chome = self.towns.get(plain[:size])
            if chome is not None:
                return _pick(chome, plain[size:])
        return Match(None, NO_TOWN)


def _pick(chome: dict[int | None, Target], rest: str) -> Match:
    has_chome = any(number is not None for number in chome)
    if found := _CHOME_AFTER.match(rest):
        target = chome.get(int(found[1]))
        return Match(target) if target else Match(None, NO_SUCH_CHOME)
    if rest and not rest[0].isdigit() and rest[0] != "-":
        return Match(None, NO_TOWN)  # a longer name we do not know (当代島南…)
    if has_chome and (found := _FIRST_NUMBER.match(rest)):
        target = chome.get(int(found[1]))
        if target is not None:
            return Match(target)  # the dash notation: 当代島1-2-3 is 当代島一丁目
    if None in chome:
        return Match(chome[None])
    given = bool(rest) and _FIRST_NUMBER.match(rest) is not None
    return Match(None, NO_SUCH_CHOME if given else NO_CHOME_GIVEN)


def load_gazetteer(*, session: Session, municipality_code: str) -> Gazetteer:
    municipality = municipality_service.get(session=session, code=municipality_code)
    gazetteer = Gazetteer([base_form(municipality.name)])
    chome = {
        normalise_town(name): (key, x, y)
        for key, name, x, y in session.execute(
            text(
                "SELECT key_code, name, ST_X(point), ST_Y(point) FROM chome "
                "WHERE municipality_code = :code ORDER BY key_code"
            ),
            {"code": municipality_code},
        )
    }
    points = {
        normalise_town(town + koaza): (x, y)
        for town, koaza, x, y in session.execute(
            text(
                "SELECT town, koaza, ST_X(point), ST_Y(point) FROM address_point "
                "WHERE municipality_code = :code ORDER BY town, koaza"
            ),
            {"code": municipality_code},
        )
    }
    for name in sorted(set(chome) | set(points)):
        key = chome[name][0] if name in chome else None
        if name in points:
            target = Target(GeocodeStatus.address_point, key, *points[name])
        else:
            target = Target(GeocodeStatus.chome, key, *chome[name][1:])
        gazetteer.add(name, target)
        if "字" in name[1:]:
            gazetteer.add(name[0] + name[1:].replace("字", "", 1), target)  # 鷲林寺字剣谷
    return gazetteer


@dataclass(frozen=True)
class GeocodedColumns:
    status: Any
    """pyarrow string array of GeocodeStatus values"""
    chome_key_code: Any
    location: Any
    """EWKB points (null: unmatched)"""
    note: Any
    matched: int

    def count(self, status: GeocodeStatus) -> int:
        return int(pc.sum(pc.equal(self.status, status.value)).as_py() or 0)


def geocode_column(gazetteer: Gazetteer, addresses: Any) -> GeocodedColumns:
    """Match a column of addresses, once per distinct town part (the block numbers vary)."""
    plain = pc.utf8_normalize(flat(addresses), "NFKC")
    up_to_chome = pc.struct_field(pc.extract_regex(plain, r"^(?P<k>.*?丁目)"), [0])
    up_to_number = pc.struct_field(
        pc.extract_regex(plain, r"^(?P<k>[^0-9]*(?:[0-9]+[^0-9]{0,2})?)"), [0]
    )
    key = pc.if_else(pc.is_valid(up_to_chome), up_to_chome, up_to_number)
    encoded = pc.dictionary_encode(pc.fill_null(key, ""))
    longest = max((len(t) for t in gazetteer.towns), default=0)
    results = [gazetteer.match(k, longest) for k in encoded.dictionary.to_pylist()]
    indices = encoded.indices.to_numpy(zero_copy_only=False)

    def spread(values: list[Any], kind: Any) -> Any:
        return pa.array(values, type=kind).take(indices) if values else pa.nulls(0, kind)

    unmatched = GeocodeStatus.unmatched.value
    statuses = [r.target.status.value if r.target else unmatched for r in results]
    status = spread(statuses, pa.string())
    return GeocodedColumns(
        status=status,
        chome_key_code=spread(
            [r.target.chome_key_code if r.target else None for r in results], pa.string()
        ),
        location=spread([r.target.ewkb if r.target else None for r in results], pa.binary()),
        note=spread([r.note for r in results], pa.string()),
        matched=int(np.count_nonzero(pc.not_equal(status, unmatched).to_numpy(False)))
        if len(indices)
        else 0,
    )
