"""Town (大字・町丁目) representative points: the targets of address matching."""

from __future__ import annotations

from pathlib import Path

from geoalchemy2.shape import from_shape
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sonae.address.models import AddressPoint
from sonae.database.core import STORAGE_SRID
from sonae.errors import ImportRejectedError, Problem
from sonae.gis.columns import FieldSpec, resolve_columns, text_value
from sonae.gis.reader import ReadOptions
from sonae.gis.validate import PUNCTUAL
from sonae.importing.common import ImportSummary, load_layer, record_import
from sonae.municipality import service as municipality_service

ADDRESS_FIELDS = (
    FieldSpec("town", ("town", "大字町丁目名", "町丁目")),
    FieldSpec("koaza", ("koaza", "小字名"), required=False),
)


def import_address_points(
    *,
    session: Session,
    municipality_code: str,
    path: Path,
    read: ReadOptions | None = None,
    columns: dict[str, str] | None = None,
) -> ImportSummary:
    municipality = municipality_service.get(session=session, code=municipality_code)
    loaded = load_layer(
        session=session,
        municipality=municipality,
        path=path,
        read=read or ReadOptions(),
        allowed=PUNCTUAL,
    )
    fields = resolve_columns(path.name, loaded.frame, ADDRESS_FIELDS, columns or {})
    seen: dict[tuple[str, str], int] = {}
    problems = []
    frame = loaded.frame
    towns = frame[fields["town"]]
    koazas = frame[fields["koaza"]] if fields["koaza"] else [None] * len(frame)
    for position, (town_cell, koaza_cell, geom) in enumerate(
        zip(towns, koazas, frame.geometry, strict=True), start=1
    ):
        town = text_value(town_cell) or ""
        key = (town, text_value(koaza_cell) or "")
        if not town:
            problems.append(Problem("empty town name", feature=position, field=fields["town"]))
            continue
        if key in seen:
            problems.append(Problem(f"duplicate town (also feature {seen[key]})", feature=position))
            continue
        seen[key] = position
        statement = insert(AddressPoint).values(
            municipality_code=municipality_code,
            town=town,
            koaza=key[1],
            point=from_shape(geom, srid=STORAGE_SRID),
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["municipality_code", "town", "koaza"],
                set_={"point": statement.excluded.point},
            )
        )
    if problems:
        raise ImportRejectedError(path.name, problems)
    return record_import(
        session=session,
        municipality_code=municipality_code,
        layer="address_point",
        path=path,
        loaded=loaded,
    )
