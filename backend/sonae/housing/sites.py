"""Sites and leased units of temporary housing: add, correct, remove, list.

A site's chome decides which neighbours are placed there first, so it must be a chome of the
municipality (422 naming the field otherwise). A site can be corrected at any time, but never
to fewer units (or barrier-free or ordinary units) than the households placed on it occupy; it
can be removed only while no application names it (a past tenancy keeps its site).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.chome.models import Chome
from sonae.errors import ConflictError, InvalidInputError, NotFoundError
from sonae.event.service import get_municipal_event
from sonae.housing.models import HousingApplication, HousingSite, SiteKind
from sonae.housing.service import OCCUPYING
from sonae.logging import get_logger
from sonae.text import require_text

log = get_logger(__name__)

EDITABLE = frozenset(
    {
        "kind",
        "name",
        "units",
        "barrier_free_units",
        "chome_key_code",
        "address_text",
        "vulnerable_cap",
    }
)


@dataclass(frozen=True)
class Occupancy:
    """Units of a site taken by households allocated to it or living there."""

    plain: int
    barrier_free: int

    @property
    def total(self) -> int:
        return self.plain + self.barrier_free


def add_site(
    *,
    session: Session,
    municipality_code: str,
    event_id: int,
    kind: SiteKind,
    name: str,
    units: int,
    barrier_free_units: int,
    created_by: str,
    chome_key_code: str | None = None,
    address_text: str | None = None,
    vulnerable_cap: int | None = None,
) -> HousingSite:
    get_municipal_event(session=session, municipality_code=municipality_code, event_id=event_id)
    site = HousingSite(
        municipality_code=municipality_code,
        event_id=event_id,
        kind=kind,
        name=require_text(field="name", value=name),
        units=units,
        barrier_free_units=barrier_free_units,
        chome_key_code=chome_key_code,
        address_text=address_text,
        vulnerable_cap=vulnerable_cap,
        created_by=created_by,
    )
    _require_valid(session, site)
    session.add(site)
    session.flush()
    log.info("housing site added", site_id=site.id)
    return site


def get_site(*, session: Session, municipality_code: str, site_id: int) -> HousingSite:
    found = session.get(HousingSite, (municipality_code, site_id))
    if found is None:
        raise NotFoundError(f"housing site {site_id}: not found")
    return found


def update_site(
    *, session: Session, municipality_code: str, site_id: int, changes: dict[str, object]
) -> HousingSite:
    """Correct a site: only the fields in `changes` (a PATCH), checked as a new site would be."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidInputError(f"field {sorted(unknown)[0]!r}: cannot be changed")
    site = get_site(session=session, municipality_code=municipality_code, site_id=site_id)
    # lock the site so a concurrent run cannot place on units being taken away
    session.refresh(site, with_for_update=True)
    # checked on a detached copy first: a refused change leaves the session's site untouched
    wanted = HousingSite(
        municipality_code=municipality_code,
        id=site.id,
        **{name: changes.get(name, getattr(site, name)) for name in EDITABLE},
    )
    _require_valid(session, wanted)
    _require_room_for_occupants(wanted, occupancy(session, site))
    for name, value in changes.items():
        setattr(site, name, value)
    session.flush()
    log.info("housing site corrected", site_id=site.id, fields=sorted(changes))
    return site


def delete_site(*, session: Session, municipality_code: str, site_id: int) -> None:
    """Remove a site no application names (placed, living there, or lived there): 409 else."""
    site = get_site(session=session, municipality_code=municipality_code, site_id=site_id)
    session.refresh(site, with_for_update=True)
    named = session.scalar(
        select(func.count()).where(
            HousingApplication.municipality_code == municipality_code,
            HousingApplication.site_id == site_id,
        )
    )
    if named:
        raise ConflictError(
            f"housing site {site_id}: {named} application(s) are placed on it or were;"
            " withdraw or re-place them first"
        )
    session.delete(site)
    session.flush()
    log.info("housing site deleted", site_id=site_id)


def sites(*, session: Session, municipality_code: str, event_id: int) -> list[HousingSite]:
    return list(
        session.scalars(
            select(HousingSite)
            .where(
                HousingSite.municipality_code == municipality_code, HousingSite.event_id == event_id
            )
            .order_by(HousingSite.id)
        ).all()
    )


def occupancy(session: Session, site: HousingSite) -> Occupancy:
    plain, barrier_free = session.execute(
        select(
            func.count().filter(HousingApplication.barrier_free_unit.is_(False)),
            func.count().filter(HousingApplication.barrier_free_unit.is_(True)),
        ).where(
            HousingApplication.municipality_code == site.municipality_code,
            HousingApplication.site_id == site.id,
            HousingApplication.status.in_(OCCUPYING),
        )
    ).one()
    return Occupancy(plain=plain, barrier_free=barrier_free)


def _require_valid(session: Session, site: HousingSite) -> None:
    require_text(field="name", value=site.name)
    if site.units < 1 or not 0 <= site.barrier_free_units <= site.units:
        raise InvalidInputError("field 'units': at least 1, with 0 ≤ barrier_free_units ≤ units")
    if site.kind is SiteKind.leased and site.units != 1:
        raise InvalidInputError("field 'units': a leased (みなし) unit is one dwelling")
    if site.vulnerable_cap is not None and site.vulnerable_cap < 0:
        raise InvalidInputError("field 'vulnerable_cap': must not be negative")
    if site.chome_key_code is not None and not _chome_exists(
        session, site.municipality_code, site.chome_key_code
    ):
        # a site in an unknown chome would draw no neighbours and mislead the placement reasons
        raise InvalidInputError(
            "field 'chome_key_code': no chome of this municipality has this key"
        )


def _require_room_for_occupants(site: HousingSite, taken: Occupancy) -> None:
    plain_units = site.units - site.barrier_free_units
    if site.units < taken.total or site.barrier_free_units < taken.barrier_free:
        raise ConflictError(
            f"housing site {site.id}: {taken.total} unit(s), {taken.barrier_free} barrier-free,"
            " are allocated or occupied; it cannot have fewer"
        )
    if plain_units < taken.plain:
        raise ConflictError(
            f"housing site {site.id}: {taken.plain} ordinary unit(s) are allocated or occupied;"
            " it cannot have fewer"
        )


def _chome_exists(session: Session, municipality_code: str, key_code: str) -> bool:
    found = session.scalar(
        select(Chome.id).where(
            Chome.municipality_code == municipality_code, Chome.key_code == key_code
        )
    )
    return found is not None
