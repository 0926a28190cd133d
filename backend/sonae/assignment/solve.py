"""The min-cost flow on aggregated demand, as a transportation linear programme (HiGHS).

Groups (people at the same road node with the same needs) send flow to shelters they may use,
at the walking distance (plus a preference margin, see service); a shelter takes at most its
capacity; what cannot be placed goes to an "unassigned" slack whose cost is larger than any
walk, larger still for people on the support list and for people needing care, so that
placing as many people as possible comes first, and scarce room goes to those who need it most.

The constraint matrix of a transportation problem is totally unimodular, so a basic optimal
solution (HiGHS dual simplex) is integral: no integer programming is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, hstack, identity

from sonae.errors import SonaeError


class SolverError(SonaeError):
    """HiGHS did not return an optimal integral flow (should not happen: always feasible)."""


@dataclass(frozen=True)
class Flow:
    arcs: NDArray[np.int64]
    """Units of flow on each arc (people)."""
    unassigned: NDArray[np.int64]
    """People of each group left without a shelter."""


def min_cost_flow(
    *,
    demand: NDArray[np.int64],
    capacity: NDArray[np.int64],
    arc_group: NDArray[np.int64],
    arc_shelter: NDArray[np.int64],
    arc_cost: NDArray[np.float64],
    unassigned_cost: NDArray[np.float64],
) -> Flow:
    """Minimise Σ cost·flow + Σ unassigned_cost·slack; each group's demand met by flow + slack."""
    groups, arcs = len(demand), len(arc_group)
    if groups == 0:
        return Flow(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    columns = np.arange(arcs)
    per_group = coo_matrix((np.ones(arcs), (arc_group, columns)), shape=(groups, arcs))
    a_eq = hstack([per_group, identity(groups)]).tocsc()
    per_shelter = coo_matrix((np.ones(arcs), (arc_shelter, columns)), shape=(len(capacity), arcs))
    a_ub = hstack([per_shelter, coo_matrix((len(capacity), groups))]).tocsc()
    result = linprog(
        c=np.concatenate([arc_cost, unassigned_cost]),
        A_ub=a_ub if arcs else None,
        b_ub=capacity.astype(np.float64) if arcs else None,
        A_eq=a_eq,
        b_eq=demand.astype(np.float64),
        bounds=(0, None),
        method="highs-ds",
    )
    if result.status != 0 or result.x is None:
        raise SolverError(f"the assignment solver stopped: {result.message}")
    values = np.rint(result.x).astype(np.int64)
    if np.abs(result.x - values).max(initial=0) > 1e-6:
        raise SolverError("the assignment solver returned a fractional flow")
    return Flow(values[:arcs], values[arcs:])
