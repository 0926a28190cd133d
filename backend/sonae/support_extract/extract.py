"""District extracts of a build: what a support partner may be given, and nothing more.

- normal mode (平常時): only people whose list_sharing consent in force is "agreed" (49条の11
  第2項); refused and never-asked people are left out and only counted.
- disaster mode (災害時): everyone listed in the districts (49条の11 第3項), allowed only while
  disaster mode is on (support_extract.disaster_mode).

Every extract is recorded in the audit trail by this service itself (action export, with the
mode, districts and the ids of the people given), in the caller's transaction: an extract
whose audit row cannot be written is not given either. Only current residents are given: a
person who has since died or moved away is left out (and counted).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar, cast

from geoalchemy2.shape import to_shape
from shapely.geometry import Point
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.audit import service as audit
from sonae.chome import districts as chome_districts
from sonae.errors import NotFoundError, PermissionDeniedError
from sonae.hazard.models import HAZARD_TYPE_LABELS
from sonae.registry.models import Person, ResidentStatus, Sex
from sonae.security.roles import Principal
from sonae.shelter.models import Shelter
from sonae.support import service as support_service
from sonae.support.models import (
    ConsentScope,
    ConsentStatus,
    SupportListBuild,
    SupportListEntry,
)
from sonae.support_extract.consent import STATUS_LABELS, latest_consents
from sonae.support_extract.disaster_mode import DisasterModeState, disaster_mode_state
from sonae.welfare.models import WelfareRecord

if TYPE_CHECKING:
    # Only a type here: the CLI calls this too and need not load FastAPI (0.1 s) for that.
    from fastapi import Request


class ExtractMode(enum.StrEnum):
    normal = "normal"
    disaster = "disaster"


MODE_LABELS = {ExtractMode.normal: "平常時（同意者のみ）", ExtractMode.disaster: "災害時（全員）"}
SEX_LABELS = {Sex.male: "男", Sex.female: "女"}
UNKNOWN_DISTRICT = "（地区不明）"
EXTRACT_FIELDS = (
    "name",
    "name_kana",
    "birth_date",
    "sex",
    "address",
    "phone",
    "reasons",
    "hazards",
    "shelter",
)


@dataclass(frozen=True)
class ExtractRow:
    person_id: int
    district: str
    name: str
    name_kana: str | None
    birth_date: date
    age: int
    sex: str
    address: str
    phone: str | None
    reasons: list[str]
    """Japanese labels of the rules that list the person (避難支援等を必要とする事由)."""
    hazards: list[str]
    shelter_name: str | None
    shelter_distance_m: float | None
    priority: float
    consent: str
    lon: float | None
    lat: float | None


@dataclass(frozen=True)
class Extract:
    build: SupportListBuild
    rule_set_version: int
    mode: ExtractMode
    districts: list[str]
    rows: list[ExtractRow]
    left_out_without_consent: int
    left_out_not_resident: int
    made_at: datetime

    def by_district(self) -> dict[str, list[ExtractRow]]:
        groups: dict[str, list[ExtractRow]] = {}
        for row in self.rows:
            groups.setdefault(row.district, []).append(row)
        return groups


def _disaster_state(
    session: Session, municipality_code: str, mode: ExtractMode
) -> DisasterModeState | None:
    """For a disaster-mode extract: the disaster mode in force (refused while it is off).

    Each open event switches disaster mode on for its affected area only, so consent is waived
    in the union of those areas; outside it, consent still decides. A switch made by hand
    covers the whole municipality.
    """
    if mode != ExtractMode.disaster:
        return None
    state = disaster_mode_state(session=session, municipality_code=municipality_code)
    if not state.active:
        raise PermissionDeniedError(
            "a disaster-mode extract (49条の11第3項) needs disaster mode to be on; "
            "in normal times only people who consented are given"
        )
    return state


def extract_districts(
    *,
    session: Session,
    municipality_code: str,
    build_id: int,
    districts: Sequence[str] | None,
    mode: ExtractMode,
    principal: Principal | None,
    username: str | None = None,
    request: Request | None = None,
    purpose_code: str | None = None,
) -> Extract:
    """The entries of the districts (all districts: None) that the mode allows, audited."""
    _refuse_unknown_districts(session, municipality_code, districts)
    disaster = _disaster_state(session, municipality_code, mode)
    affected = disaster.area if disaster else None
    build = support_service.get_build(
        session=session, municipality_code=municipality_code, build_id=build_id
    )
    rule_set = support_service.get_rule_set(
        session=session, municipality_code=municipality_code, rule_set_id=build.rule_set_id
    )
    labels = support_service.rules_of(rule_set).labels()
    wanted = None if districts is None else set(districts)
    entries = _entries(session, municipality_code, build_id, wanted)
    ids = [e.person_id for e in entries]
    consents = latest_consents(
        session=session,
        municipality_code=municipality_code,
        scope=ConsentScope.list_sharing,
        person_ids=ids,
    )
    people = _by_id(session, municipality_code, Person, ids)
    welfare = {
        w.person_id: w
        for w in session.scalars(
            select(WelfareRecord).where(
                WelfareRecord.municipality_code == municipality_code,
                support_service.among(WelfareRecord.person_id, ids),
            )
        )
    }
    shelters = _by_id(
        session, municipality_code, Shelter, [e.shelter_id for e in entries if e.shelter_id]
    )
    rows, no_consent, not_resident = [], 0, 0
    for entry in entries:
        person = people[entry.person_id]
        consent = consents.get(entry.person_id, ConsentStatus.not_asked)
        if person.status != ResidentStatus.resident:
            not_resident += 1
            continue
        if consent != ConsentStatus.agreed and (
            mode == ExtractMode.normal
            or (affected is not None and person.chome_key_code not in affected)
        ):
            no_consent += 1
            continue
        shelter = shelters.get(entry.shelter_id) if entry.shelter_id else None
        point = None if person.location is None else cast(Point, to_shape(person.location))
        record = welfare.get(entry.person_id)
        rows.append(
            ExtractRow(
                person_id=person.id,
                district=entry.district or UNKNOWN_DISTRICT,
                name=person.name,
                name_kana=person.name_kana,
                birth_date=person.birth_date,
                age=entry.age,
                sex=SEX_LABELS.get(person.sex, str(person.sex)),
                address=" ".join(filter(None, [person.address_text, person.address_annex])),
                phone=record.phone if record else None,
                reasons=[labels.get(code, code) for code in entry.reasons],
                hazards=[hazard_text(h) for h in entry.hazards],
                shelter_name=shelter.name if shelter else None,
                shelter_distance_m=entry.shelter_distance_m,
                priority=entry.priority,
                consent=STATUS_LABELS[consent],
                lon=point.x if point else None,
                lat=point.y if point else None,
            )
        )
    rows.sort(key=lambda r: (r.district, -r.priority, r.person_id))
    result = Extract(
        build=build,
        rule_set_version=rule_set.version,
        mode=mode,
        districts=sorted({r.district for r in rows} | (wanted or set())),
        rows=rows,
        left_out_without_consent=no_consent,
        left_out_not_resident=not_resident,
        made_at=japan_time.now(),
    )
    audit.record(
        session=session,
        principal=principal,
        username=username,
        municipality_code=municipality_code,
        action="export",
        resource=f"support_list_build/{build_id}/extract",
        person_ids=[r.person_id for r in rows],
        fields=list(EXTRACT_FIELDS),
        purpose_code=purpose_code or f"support_list_{mode}",
        request=request,
        detail={"mode": str(mode), "districts": result.districts, "rows": len(rows)}
        | _legal_basis(disaster),
    )
    return result


def _legal_basis(disaster: DisasterModeState | None) -> dict[str, object]:
    """For a disaster-mode extract: which events (and whether a switch by hand) allowed it."""
    if disaster is None:
        return {}
    events = [h.event_id for h in disaster.holders if h.event_id is not None]
    by_hand = any(h.event_id is None for h in disaster.holders)
    return {"disaster_events": events, "disaster_by_hand": by_hand}


def _entries(
    session: Session, municipality_code: str, build_id: int, wanted: set[str] | None
) -> list[SupportListEntry]:
    query = select(SupportListEntry).where(
        SupportListEntry.municipality_code == municipality_code,
        SupportListEntry.build_id == build_id,
    )
    if wanted is not None:
        in_district = SupportListEntry.district.in_(sorted(wanted))
        query = query.where(
            or_(in_district, SupportListEntry.district.is_(None))
            if UNKNOWN_DISTRICT in wanted
            else in_district
        )
    return list(session.scalars(query))


def hazard_text(hazard: dict[str, object]) -> str:
    kind = str(hazard.get("hazard_type"))
    labels = {str(k): v for k, v in HAZARD_TYPE_LABELS.items()}
    return f"{labels.get(kind, '不明')}：{hazard.get('rank_label')}"


T = TypeVar("T", Person, Shelter)


def _by_id(
    session: Session, municipality_code: str, model: type[T], ids: Sequence[int]
) -> dict[int, T]:
    rows = session.scalars(
        select(model).where(
            model.municipality_code == municipality_code, support_service.among(model.id, ids)
        )
    )
    return {row.id: row for row in rows}


def _refuse_unknown_districts(
    session: Session, municipality_code: str, districts: Sequence[str] | None
) -> None:
    """A misspelt district would give an empty list, read as 'nobody to help there'."""
    known = chome_districts.districts(session=session, municipality_code=municipality_code)
    unknown = sorted(set(districts or ()) - known)
    if unknown:
        raise NotFoundError(f"no district {', '.join(unknown)} in municipality {municipality_code}")
