"""The road network held in memory, and walking distances from every shelter to every node.

Why in memory with scipy and not pgRouting: the network of a city is small (Urayasu: 3,889
nodes, 5,738 edges; a city of 500k people some 50k nodes), it loads in well under a second,
and one multi-source Dijkstra (scipy.sparse.csgraph, in C) from every shelter gives the whole
shelter × node distance matrix at once. pgRouting is created by migration 0001 only where the
server has it (managed PostgreSQL and Citus clusters often do not), so the assignment must not
depend on it; and the min-cost flow needs scipy (HiGHS) anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from sqlalchemy import text
from sqlalchemy.orm import Session

EDGES = """
SELECT source, target, cost FROM road_edge WHERE municipality_code = :code
"""

NODES = "SELECT node_id FROM road_node WHERE municipality_code = :code ORDER BY node_id"


@dataclass(frozen=True)
class RoadGraph:
    node_ids: NDArray[np.int64]
    """Sorted source ids; a node's index in the matrix is its position here."""
    matrix: csr_matrix
    component: NDArray[np.int32]
    """Connected component label of each node (the network is undirected)."""

    def index(self, node_id: int) -> int:
        return int(np.searchsorted(self.node_ids, node_id))

    @property
    def size(self) -> int:
        return len(self.node_ids)


def load_graph(*, session: Session, municipality_code: str) -> RoadGraph:
    """The municipality's network as a sparse matrix of edge lengths in metres (undirected)."""
    params = {"code": municipality_code}
    node_ids = np.fromiter(session.scalars(text(NODES), params), dtype=np.int64)
    rows = session.execute(text(EDGES), params).all()
    if rows:
        edges = np.array(rows, dtype=np.float64)
        source = np.searchsorted(node_ids, edges[:, 0].astype(np.int64))
        target = np.searchsorted(node_ids, edges[:, 1].astype(np.int64))
        # A zero-length edge would vanish from a sparse matrix: keep it as a tiny positive cost.
        cost = np.maximum(edges[:, 2], 1e-3)
        source, target, cost = _shortest_parallel(source, target, cost)
    else:
        source = target = np.zeros(0, dtype=np.int64)
        cost = np.zeros(0)
    matrix = csr_matrix((cost, (source, target)), shape=(len(node_ids), len(node_ids)))
    _, component = connected_components(matrix, directed=False)
    return RoadGraph(node_ids, matrix, component.astype(np.int32))


def distances_from(graph: RoadGraph, sources: NDArray[np.int64]) -> NDArray[np.float64]:
    """Metres from each source node (matrix indices) to every node; inf where unreachable."""
    if len(sources) == 0 or graph.size == 0:
        return np.full((len(sources), graph.size), np.inf)
    result: NDArray[np.float64] = dijkstra(graph.matrix, directed=False, indices=sources)
    return np.atleast_2d(result)


def _shortest_parallel(
    source: NDArray[np.int64], target: NDArray[np.int64], cost: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Of parallel edges keep the shortest: a sparse matrix would add their lengths up."""
    low, high = np.minimum(source, target), np.maximum(source, target)
    order = np.lexsort((cost, high, low))
    low, high, cost = low[order], high[order], cost[order]
    first = np.ones(len(low), dtype=bool)
    first[1:] = (low[1:] != low[:-1]) | (high[1:] != high[:-1])
    return low[first], high[first], cost[first]
