"""Person-level reads of the dashboard: tile sources, the victim map's filters and the card.

Callers (the router) check the role and write the audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.chome.models import Chome
from sonae.dashboard import aggregates, tiles
from sonae.dashboard.figures import chosen_event_id
from sonae.dashboard.providers import REGISTRY
from sonae.dashboard.schemas import HouseholdCard, MemberOut
from sonae.errors import NotFoundError
from sonae.registry.models import Person, ResidentStatus
from sonae.support import service as support_service
from sonae.support.models import SupportListEntry
from sonae_maps.styles import DAMAGE_LEVEL_LABELS, DAMAGE_LEVELS


@dataclass(frozen=True)
class DwellingFilter:
    levels: list[str] | None = None
    certificate_status: str | None = None
    support_status: str | None = None
    chome_key_code: str | None = None


def _dwellings(
    *, session: Session, municipality_code: str, event_id: int | None
) -> Select[Any] | None:
    """The dwellings of the event chosen (None: the default one, dashboard.figures); an event
    of another city is not found, provider or not."""
    chosen = chosen_event_id(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    provider = REGISTRY.dwellings
    if provider is None:
        return None
    return provider(municipality_code=municipality_code, event_id=chosen)


def _filtered(dwellings: Select[Any], filters: DwellingFilter) -> Select[Any]:
    rows = dwellings.subquery("dwellings")
    severity = case(
        {level: index for index, level in enumerate(DAMAGE_LEVELS)},
        value=rows.c.damage_level,
        else_=len(DAMAGE_LEVELS),
    )
    query = select(*rows.c, severity.label("severity"))
    if filters.levels:
        query = query.where(rows.c.damage_level.in_(filters.levels))
    if filters.certificate_status:
        query = query.where(rows.c.certificate_status == filters.certificate_status)
    if filters.support_status:
        query = query.where(rows.c.support_status == filters.support_status)
    if filters.chome_key_code:
        query = query.where(rows.c.chome_key_code == filters.chome_key_code)
    return query


def layer_tile(
    *,
    session: Session,
    municipality_code: str,
    layer: str,
    z: int,
    x: int,
    y: int,
    filters: DwellingFilter,
    event_id: int | None = None,
) -> tiles.Tile:
    """An empty tile where the layer has no data yet (no list built, no dwelling provider)."""
    if layer == "support":
        people = aggregates.support_people(session=session, municipality_code=municipality_code)
        if people is None:
            return tiles.Tile(b"", [])
        return tiles.cut(
            session=session,
            source=people,
            layer="support",
            id_column="person_id",
            properties=["household_number", "priority"],
            z=z,
            x=x,
            y=y,
        )
    dwellings = _dwellings(session=session, municipality_code=municipality_code, event_id=event_id)
    if dwellings is None:
        return tiles.Tile(b"", [])
    return tiles.cut(
        session=session,
        source=_filtered(dwellings, filters),
        layer="dwellings",
        id_column="dwelling_id",
        properties=["household_number", "damage_level", "certificate_status", "support_status"],
        z=z,
        x=x,
        y=y,
        severity="severity",
    )


def dwelling_options(
    *, session: Session, municipality_code: str, event_id: int | None = None
) -> dict[str, Any]:
    chome = [
        {"key": key, "name": name}
        for key, name in session.execute(
            select(Chome.key_code, Chome.name)
            .where(Chome.municipality_code == municipality_code)
            .order_by(Chome.key_code)
        )
    ]
    dwellings = _dwellings(session=session, municipality_code=municipality_code, event_id=event_id)
    if dwellings is None:
        return {"available": False, "certificate_status": [], "support_status": [], "chome": chome}
    rows = dwellings.subquery()

    def distinct(column: Any) -> list[str]:
        values = session.scalars(select(column).distinct().where(column.is_not(None)))
        return sorted(str(v) for v in values)

    return {
        "available": True,
        "certificate_status": distinct(rows.c.certificate_status),
        "support_status": distinct(rows.c.support_status),
        "chome": chome,
    }


def household_card(
    *,
    session: Session,
    municipality_code: str,
    household_number: str,
    event_id: int | None = None,
) -> HouseholdCard:
    members = list(
        session.scalars(
            select(Person)
            .where(
                Person.municipality_code == municipality_code,
                Person.household_number == household_number,
                Person.status == ResidentStatus.resident,
            )
            .order_by(Person.id)
        )
    )
    if not members:
        raise NotFoundError(f"household {household_number} has no resident in {municipality_code}")
    listed = _listed(session, municipality_code, [m.id for m in members])
    dwelling = _dwelling_of(session, municipality_code, household_number, event_id)
    level = dwelling.get("damage_level") if dwelling else None
    today = japan_time.today()
    return HouseholdCard(
        household_number=household_number,
        chome_key_code=members[0].chome_key_code,
        address_text=members[0].address_text,
        members=[
            MemberOut(
                person_id=m.id,
                name=m.name,
                age=_age(m.birth_date, today),
                relation_to_head=m.relation_to_head,
                on_support_list=m.id in listed,
            )
            for m in members
        ],
        damage_level=level,
        damage_level_label=DAMAGE_LEVEL_LABELS.get(str(level)) if level else None,
        certificate_status=dwelling.get("certificate_status") if dwelling else None,
        support_status=dwelling.get("support_status") if dwelling else None,
    )


def _listed(session: Session, municipality_code: str, person_ids: list[int]) -> set[int]:
    build = support_service.latest_build(session=session, municipality_code=municipality_code)
    if build is None:
        return set()
    return set(
        session.scalars(
            select(SupportListEntry.person_id).where(
                SupportListEntry.municipality_code == municipality_code,
                SupportListEntry.build_id == build.id,
                SupportListEntry.person_id.in_(person_ids),
            )
        )
    )


def _dwelling_of(
    session: Session, municipality_code: str, household_number: str, event_id: int | None
) -> dict[str, Any] | None:
    dwellings = _dwellings(session=session, municipality_code=municipality_code, event_id=event_id)
    if dwellings is None:
        return None
    rows = dwellings.subquery()
    found = session.execute(
        select(rows.c.damage_level, rows.c.certificate_status, rows.c.support_status)
        .where(rows.c.household_number == household_number)
        .limit(1)
    ).first()
    return dict(found._mapping) if found else None


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
