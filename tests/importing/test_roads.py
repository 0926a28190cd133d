"""Road network: routing on the real Urayasu network, and tiny hand-made GeoPackages."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import LineString, Point
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from sonae.errors import ImportRejectedError
from sonae.gis.crs import STORAGE_CRS
from sonae.road.models import RoadEdge, RoadNode
from sonae.road.service import import_road_network, pgrouting_available

URAYASU_CODE = "122271"
ZONE_IX = 6677
EDGES_SQL = (
    "SELECT edge_id AS id, source, target, cost, reverse_cost FROM road_edge "
    "WHERE municipality_code = '{code}'"
)


@pytest.fixture
def pgrouting(session: Session) -> None:
    if not pgrouting_available(session=session):
        pytest.skip("the pgrouting extension is not installed on this PostgreSQL server")


def far_apart_connected_nodes(session: Session, code: str) -> tuple[int, int]:
    """The westernmost and easternmost nodes of the largest connected component."""
    row = session.execute(
        text(
            "WITH cc AS (SELECT component, node FROM pgr_connectedComponents(:edges)), "
            "biggest AS (SELECT component FROM cc GROUP BY component "
            "ORDER BY count(*) DESC LIMIT 1), "
            "members AS (SELECT n.node_id, ST_X(n.point) AS x FROM cc "
            "JOIN biggest USING (component) "
            "JOIN road_node n ON n.node_id = cc.node AND n.municipality_code = :code) "
            "SELECT (SELECT node_id FROM members ORDER BY x LIMIT 1), "
            "(SELECT node_id FROM members ORDER BY x DESC LIMIT 1)"
        ),
        {"edges": EDGES_SQL.format(code=code), "code": code},
    ).one()
    return int(row[0]), int(row[1])


def route(session: Session, code: str, start: int, end: int) -> list[tuple[int, float, float]]:
    """(node, cost, agg_cost) along the shortest undirected path."""
    rows = session.execute(
        text(
            "SELECT node, cost, agg_cost "
            "FROM pgr_dijkstra(:edges, :start, :end, directed => false) ORDER BY seq"
        ),
        {"edges": EDGES_SQL.format(code=code), "start": start, "end": end},
    ).all()
    return [(int(n), float(c), float(a)) for n, c, a in rows]


def geodesic_distance(session: Session, code: str, a: int, b: int) -> float:
    return float(
        session.scalar(
            text(
                "SELECT ST_Distance(a.point::geography, b.point::geography) "
                "FROM road_node a, road_node b WHERE a.municipality_code = :code "
                "AND b.municipality_code = :code AND a.node_id = :a AND b.node_id = :b"
            ),
            {"code": code, "a": a, "b": b},
        )
    )


def test_a_route_across_urayasu_is_no_shorter_than_the_straight_line(
    session: Session, pgrouting: None
) -> None:
    start, end = far_apart_connected_nodes(session, URAYASU_CODE)
    straight = geodesic_distance(session, URAYASU_CODE, start, end)
    assert straight > 3000  # the two ends really are across the city
    path = route(session, URAYASU_CODE, start, end)
    assert path[0][0] == start
    assert path[-1][0] == end
    total = sum(cost for _, cost, _ in path)
    assert total == pytest.approx(path[-1][2])
    assert total >= straight


def write_network(path: Path, node_ids: list[int], edges: list[tuple[int, int, int]]) -> Path:
    """Nodes on a line in zone IX, 100 m apart; edges (id, source, target) drawn between them."""
    points = [Point(1000 + 100 * i, 2000) for i in range(len(node_ids))]
    where = dict(zip(node_ids, points, strict=True))
    nodes = gpd.GeoDataFrame({"node_id": node_ids}, geometry=points, crs=ZONE_IX)
    table = gpd.GeoDataFrame(
        {
            "edge_id": [e for e, _, _ in edges],
            "source": [s for _, s, _ in edges],
            "target": [t for _, _, t in edges],
        },
        geometry=[LineString([where[s], where.get(t, Point(0, 0))]) for _, s, t in edges],
        crs=ZONE_IX,
    )
    pyogrio.write_dataframe(nodes.to_crs(STORAGE_CRS), path, layer="nodes")
    pyogrio.write_dataframe(table.to_crs(STORAGE_CRS), path, layer="edges")
    return path


def test_a_tiny_network_gets_lengths_in_metres_from_the_plane_zone(
    session: Session, tmp_path: Path, fresh_code: str, count
) -> None:
    path = write_network(tmp_path / "tiny.gpkg", [1, 2, 3, 4], [(10, 1, 2), (11, 2, 4)])
    assert sorted(pyogrio.list_layers(path)[:, 0]) == ["edges", "nodes"]
    import_road_network(session=session, municipality_code=fresh_code, path=path)
    assert count(RoadNode, fresh_code) == 4
    lengths = dict(
        session.execute(
            select(RoadEdge.edge_id, RoadEdge.length_m).where(
                RoadEdge.municipality_code == fresh_code
            )
        ).all()
    )
    assert lengths == pytest.approx({10: 100.0, 11: 200.0}, abs=1e-3)


def test_an_edge_to_a_missing_node_is_refused_naming_the_feature(
    session: Session, tmp_path: Path, fresh_code: str, count
) -> None:
    path = write_network(tmp_path / "broken.gpkg", [1, 2, 3], [(10, 1, 2), (11, 2, 99)])
    with pytest.raises(ImportRejectedError) as caught:
        import_road_network(session=session, municipality_code=fresh_code, path=path)
    assert caught.value.file == "broken.gpkg"
    assert [(p.feature, p.field) for p in caught.value.problems] == [(2, "target")]
    assert "not in the nodes layer" in str(caught.value)
    assert count(RoadNode, fresh_code) == 0
    assert count(RoadEdge, fresh_code) == 0


def test_duplicate_node_ids_are_refused(
    session: Session, tmp_path: Path, fresh_code: str, count
) -> None:
    path = write_network(tmp_path / "dupes.gpkg", [1, 2, 2], [(10, 1, 2)])
    with pytest.raises(ImportRejectedError, match="not unique"):
        import_road_network(session=session, municipality_code=fresh_code, path=path)
    assert count(RoadNode, fresh_code) == 0
