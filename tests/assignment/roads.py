"""A hand-made road network for the test town: nodes at (east, north) metres, straight edges."""

from __future__ import annotations

from geoalchemy2.shape import from_shape
from shapely.geometry import LineString, Point
from sqlalchemy.orm import Session

from sonae.road.models import RoadEdge, RoadNode
from support.factory import TOWN_CODE, lonlat


def add_roads(
    session: Session,
    nodes: dict[int, tuple[float, float]],
    edges: list[tuple[int, int]],
    code: str = TOWN_CODE,
) -> None:
    """Edge cost = the straight distance between its nodes in the plane (metres)."""
    for node_id, at in nodes.items():
        session.add(
            RoadNode(
                municipality_code=code, node_id=node_id, point=from_shape(Point(*lonlat(*at)), 6668)
            )
        )
    session.flush()
    for edge_id, (a, b) in enumerate(edges, start=1):
        (ax, ay), (bx, by) = nodes[a], nodes[b]
        length = ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5
        session.add(
            RoadEdge(
                municipality_code=code,
                edge_id=edge_id,
                source=a,
                target=b,
                highway="residential",
                length_m=length,
                cost=length,
                reverse_cost=length,
                geom=from_shape(LineString([lonlat(ax, ay), lonlat(bx, by)]), 6668),
            )
        )
    session.flush()
