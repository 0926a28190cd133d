"""Road network (nodes and edges) in the shape pgRouting routes on."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from geoalchemy2.shape import from_shape
from sqlalchemy import delete, insert, text
from sqlalchemy.orm import Session

from sonae.database.core import STORAGE_SRID
from sonae.errors import ImportRejectedError, Problem
from sonae.gis.columns import FieldSpec, resolve_columns, text_value
from sonae.gis.reader import ReadOptions
from sonae.gis.validate import LINEAR, PUNCTUAL
from sonae.importing.common import ImportSummary, load_layer, record_import
from sonae.municipality import service as municipality_service
from sonae.road.models import RoadEdge, RoadNode

NODE_FIELDS = (FieldSpec("node_id", ("node_id", "id", "osmid")),)
EDGE_FIELDS = (
    FieldSpec("edge_id", ("edge_id", "id")),
    FieldSpec("source", ("source", "from", "u")),
    FieldSpec("target", ("target", "to", "v")),
    FieldSpec("highway", ("highway", "road_class"), required=False),
    FieldSpec("length_m", ("length_m", "length"), required=False),
)


def import_road_network(
    *,
    session: Session,
    municipality_code: str,
    path: Path,
    nodes_layer: str = "nodes",
    edges_layer: str = "edges",
    crs: str | None = None,
    columns: dict[str, str] | None = None,
) -> ImportSummary:
    """Replace the municipality's network with the file's (undirected: cost = reverse_cost)."""
    municipality = municipality_service.get(session=session, code=municipality_code)
    nodes = load_layer(
        session=session,
        municipality=municipality,
        path=path,
        read=ReadOptions(layer=nodes_layer, crs=crs),
        allowed=PUNCTUAL,
    )
    edges = load_layer(
        session=session,
        municipality=municipality,
        path=path,
        read=ReadOptions(layer=edges_layer, crs=crs),
        allowed=LINEAR,
    )
    node_ids = _integers(
        path.name,
        nodes.frame,
        resolve_columns(path.name, nodes.frame, NODE_FIELDS, columns or {})["node_id"],
    )
    edge_fields = resolve_columns(path.name, edges.frame, EDGE_FIELDS, columns or {})
    edge_rows = _edge_rows(
        path.name, edges.frame, edge_fields, set(node_ids), municipality.plane_rectangular_srid
    )
    session.execute(delete(RoadEdge).where(RoadEdge.municipality_code == municipality_code))
    session.execute(delete(RoadNode).where(RoadNode.municipality_code == municipality_code))
    session.execute(
        insert(RoadNode),
        [
            {
                "municipality_code": municipality_code,
                "node_id": n,
                "point": from_shape(g, srid=STORAGE_SRID),
            }
            for n, g in zip(node_ids, nodes.frame.geometry, strict=True)
        ],
    )
    session.execute(
        insert(RoadEdge), [{"municipality_code": municipality_code, **row} for row in edge_rows]
    )
    return record_import(
        session=session,
        municipality_code=municipality_code,
        layer="road_edge",
        path=path,
        loaded=edges,
    )


def _integers(file: str, frame: gpd.GeoDataFrame, column: str | None) -> list[int]:
    values, problems = [], []
    for position, cell in enumerate(frame[column or ""], start=1):
        text_ = text_value(cell)
        if text_ is None or not text_.lstrip("-").isdigit():
            problems.append(Problem("not an integer id", feature=position, field=column))
        else:
            values.append(int(text_))
    if len(set(values)) != len(values):
        problems.append(Problem("ids are not unique", field=column))
    if problems:
        raise ImportRejectedError(file, problems)
    return values


def _edge_rows(
    file: str,
    frame: gpd.GeoDataFrame,
    fields: dict[str, str | None],
    node_ids: set[int],
    plane_srid: int,
) -> list[dict[str, object]]:
    edge_ids = _integers(file, frame, fields["edge_id"])
    sources = _endpoints(file, frame, fields["source"], node_ids)
    targets = _endpoints(file, frame, fields["target"], node_ids)
    lengths = frame.geometry.to_crs(plane_srid).length
    if fields["length_m"]:
        given = gpd.pd.to_numeric(frame[fields["length_m"]], errors="coerce")
        lengths = given.where(given.notna() & (given >= 0), lengths)
    highways = frame[fields["highway"]] if fields["highway"] else [None] * len(frame)
    return [
        {
            "edge_id": e,
            "source": s,
            "target": t,
            "highway": text_value(h),
            "length_m": float(m),
            "cost": float(m),
            "reverse_cost": float(m),
            "geom": from_shape(g, srid=STORAGE_SRID),
        }
        for e, s, t, h, m, g in zip(
            edge_ids, sources, targets, highways, lengths, frame.geometry, strict=True
        )
    ]


def _endpoints(
    file: str, frame: gpd.GeoDataFrame, column: str | None, node_ids: set[int]
) -> list[int]:
    values = _integers_allow_duplicates(file, frame, column)
    missing = [
        Problem("refers to a node not in the nodes layer", feature=i, field=column)
        for i, v in enumerate(values, start=1)
        if v not in node_ids
    ]
    if missing:
        raise ImportRejectedError(file, missing)
    return values


def _integers_allow_duplicates(file: str, frame: gpd.GeoDataFrame, column: str | None) -> list[int]:
    try:
        return [int(str(v)) for v in frame[column or ""]]
    except ValueError as exc:
        raise ImportRejectedError(file, [Problem("not an integer node id", field=column)]) from exc


def pgrouting_available(*, session: Session) -> bool:
    return bool(
        session.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'pgrouting'"))
    )
