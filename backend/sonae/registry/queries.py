"""Read-only views of the registry for the API: import history, unmatched addresses."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae.registry.models import GeocodeStatus, Person, RegistryImport


def list_imports(
    *, session: Session, municipality_code: str, limit: int, offset: int
) -> tuple[int, Sequence[RegistryImport]]:
    """(total, imports newest first): counts and file provenance, no personal data."""
    where = RegistryImport.municipality_code == municipality_code
    total = session.scalar(select(func.count()).select_from(RegistryImport).where(where)) or 0
    found = session.scalars(
        select(RegistryImport)
        .where(where)
        .order_by(RegistryImport.imported_at.desc(), RegistryImport.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return total, found


def list_unmatched(
    *, session: Session, municipality_code: str, limit: int, offset: int
) -> tuple[int, Sequence[Person]]:
    """(total, people) whose address could not be placed on the map, by 宛名番号."""
    where = (
        Person.municipality_code == municipality_code,
        Person.geocode_status == GeocodeStatus.unmatched,
    )
    total = session.scalar(select(func.count()).select_from(Person).where(*where)) or 0
    found = session.scalars(
        select(Person).where(*where).order_by(Person.address_number).limit(limit).offset(offset)
    ).all()
    return total, found
