"""From people, places, shelters and the road graph to one shelter (or a reason) per person.

Pure computation, no database: service.py reads the inputs and stores the result.

- Every address point and shelter is snapped to a road node (the nearest one that is connected
  to the network the shelters are on, within SNAP_SLACK_M of the nearest); the walk is the
  straight line to that node, then the shortest path along the roads.
- People are grouped by (road node, shelter flags their hazards demand, needs care, listed):
  the flow runs on groups (hundreds to thousands), then each group's people are handed out to
  the group's shelters, nearest first, in household order so households stay together.
- May use: a shelter whose flags cover every hazard zone the person is in (a flag the source
  leaves blank is not suitable, as in the support list); people needing care may use any such
  shelter but welfare shelters (福祉避難所) cost WELFARE_PREFERENCE_M less; others may not use
  welfare shelters, whose room is kept for people needing care.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sonae.assignment.demand import SNAP_SLACK_M, PersonRow, Place, ShelterRow
from sonae.assignment.models import AssignmentReason
from sonae.assignment.network import RoadGraph, distances_from
from sonae.assignment.solve import min_cost_flow

WALK_SPEED_M_S = 1.0
SLOW_WALK_SPEED_M_S = 0.5
"""Walking speeds: 1.0 m/s in general, 0.5 m/s for the elderly and people needing care, as in
宮城県「津波対策ガイドライン」(徒歩の避難速度 1.0 m/秒を目安, 高齢者・身体障害者等は 0.5 m/秒);
see docs/assignment.md."""
WELFARE_PREFERENCE_M = 2000.0
"""A person needing care goes to an ordinary shelter rather than a suitable welfare shelter only
when it saves more than this walk (or the welfare shelters are full)."""
UNASSIGNED_COST_M = 1_000_000.0
"""Leaving a person without a shelter costs more than any walk in a municipality; twice that for
people on the support list, three times for people needing care."""


@dataclass
class Outcome:
    person_id: int
    shelter_id: int | None
    nearest_shelter_id: int | None
    walk_m: float | None
    nearest_walk_m: float | None
    slow: bool
    needs_care: bool
    reason: AssignmentReason
    baseline_shelter_id: int | None = None
    baseline_walk_m: float | None = None

    @property
    def walk_minutes(self) -> float | None:
        if self.walk_m is None:
            return None
        return self.walk_m / (SLOW_WALK_SPEED_M_S if self.slow else WALK_SPEED_M_S) / 60


@dataclass
class _Group:
    node: int
    flags: frozenset[str]
    needs_care: bool
    listed: bool
    members: list[tuple[PersonRow, float]] = field(default_factory=list)
    """(person, metres from the address point to the road node)."""


def assign(
    *,
    people: list[PersonRow],
    places: dict[int, Place],
    shelters: list[ShelterRow],
    graph: RoadGraph,
) -> list[Outcome]:
    shelter_nodes = [_snap(graph, s.candidates, None) for s in shelters]
    reachable = {graph.component[i] for i, _ in filter(None, shelter_nodes)}
    place_nodes = {p: _snap(graph, place.candidates, reachable) for p, place in places.items()}
    walk = _shelter_walks(graph, shelter_nodes)  # shelters × nodes
    outcomes: list[Outcome] = []
    groups: dict[tuple[int, frozenset[str], bool, bool], _Group] = {}
    for person in people:
        snapped = None if person.place is None else place_nodes[person.place]
        if snapped is None or person.place is None:
            outcomes.append(_nowhere(person, AssignmentReason.no_location))
            continue
        node, snap_m = snapped
        flags = places[person.place].flags
        key = (node, flags, person.needs_care, person.listed)
        group = groups.setdefault(key, _Group(node, flags, person.needs_care, person.listed))
        group.members.append((person, snap_m))
    outcomes += _place_groups(list(groups.values()), shelters, walk)
    return outcomes


def _snap(
    graph: RoadGraph, candidates: list[tuple[int, float]], components: set[int] | None
) -> tuple[int, float] | None:
    """The nearest candidate node, unless a slightly farther one is on a wanted component."""
    if not candidates or graph.size == 0:
        return None
    indexed = [(graph.index(node), dist) for node, dist in candidates]
    if components is None:  # a shelter: prefer the largest component
        sizes = np.bincount(graph.component)
        components = {int(np.argmax(sizes))}
    nearest = indexed[0][1]
    for index, dist in indexed:
        if dist <= nearest + SNAP_SLACK_M and graph.component[index] in components:
            return index, dist
    return indexed[0]


def _shelter_walks(
    graph: RoadGraph, shelter_nodes: list[tuple[int, float] | None]
) -> NDArray[np.float64]:
    """Metres on foot from every node to every shelter (inf: not connected)."""
    walk = np.full((len(shelter_nodes), graph.size), np.inf)
    placed = [i for i, n in enumerate(shelter_nodes) if n is not None]
    sources = np.unique([shelter_nodes[i][0] for i in placed if shelter_nodes[i]])  # type: ignore[index]
    if len(sources):
        from_source = distances_from(graph, sources.astype(np.int64))
        for i in placed:
            node, snap_m = shelter_nodes[i]  # type: ignore[misc]
            walk[i] = from_source[int(np.searchsorted(sources, node))] + snap_m
    return walk


def _place_groups(
    groups: list[_Group], shelters: list[ShelterRow], walk: NDArray[np.float64]
) -> list[Outcome]:
    welfare = np.array([s.is_welfare for s in shelters], dtype=bool)
    arc_group: list[int] = []
    arc_shelter: list[int] = []
    arc_cost: list[float] = []
    eligible_any: list[bool] = []
    for g, group in enumerate(groups):
        distance = walk[:, group.node]
        suitable = np.array([group.flags <= s.ok for s in shelters], dtype=bool)
        allowed = suitable & (np.ones_like(welfare) if group.needs_care else ~welfare)
        eligible_any.append(bool(allowed.any()))
        for s in np.flatnonzero(allowed & np.isfinite(distance)):
            arc_group.append(g)
            arc_shelter.append(int(s))
            margin = WELFARE_PREFERENCE_M if group.needs_care and not welfare[s] else 0.0
            arc_cost.append(float(distance[s]) + margin)
    flow = min_cost_flow(
        demand=np.array([len(g.members) for g in groups], dtype=np.int64),
        capacity=np.array([max(s.capacity, 0) for s in shelters], dtype=np.int64),
        arc_group=np.array(arc_group, dtype=np.int64),
        arc_shelter=np.array(arc_shelter, dtype=np.int64),
        arc_cost=np.array(arc_cost, dtype=np.float64),
        unassigned_cost=np.array(
            [UNASSIGNED_COST_M * (1 + g.listed + g.needs_care) for g in groups]
        ),
    )
    sent: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a in np.flatnonzero(flow.arcs):
        sent[arc_group[a]].append((arc_shelter[a], int(flow.arcs[a])))
    outcomes: list[Outcome] = []
    for g, group in enumerate(groups):
        outcomes += _hand_out(group, sent[g], shelters, walk[:, group.node], eligible_any[g])
    return outcomes


def _hand_out(
    group: _Group,
    sent: list[tuple[int, int]],
    shelters: list[ShelterRow],
    distance: NDArray[np.float64],
    eligible_any: bool,
) -> list[Outcome]:
    """The group's people (household order) to its shelters, nearest first; the rest unplaced."""
    finite = np.isfinite(distance)
    nearest = int(np.argmin(distance)) if finite.any() else None
    usable = [
        s
        for s in range(len(shelters))
        if finite[s]
        and group.flags <= shelters[s].ok
        and (group.needs_care or not shelters[s].is_welfare)
    ]
    baseline = min(usable, key=lambda s: distance[s]) if usable else None
    slots = [s for s, count in sorted(sent, key=lambda x: distance[x[0]]) for _ in range(count)]
    outcomes = []
    for position, (person, snap_m) in enumerate(group.members):
        shelter = slots[position] if position < len(slots) else None
        if shelter is None:
            reason = (
                AssignmentReason.no_suitable
                if not eligible_any
                else AssignmentReason.unreachable
                if baseline is None
                else AssignmentReason.no_capacity
            )
        else:
            reason = _why(group, shelter, nearest, shelters)
        outcomes.append(
            Outcome(
                person_id=person.id,
                shelter_id=None if shelter is None else shelters[shelter].id,
                nearest_shelter_id=None if nearest is None else shelters[nearest].id,
                walk_m=None if shelter is None else snap_m + float(distance[shelter]),
                nearest_walk_m=None if nearest is None else snap_m + float(distance[nearest]),
                slow=person.slow,
                needs_care=person.needs_care,
                reason=reason,
                baseline_shelter_id=None if baseline is None else shelters[baseline].id,
                baseline_walk_m=None if baseline is None else snap_m + float(distance[baseline]),
            )
        )
    return outcomes


def _why(
    group: _Group, shelter: int, nearest: int | None, shelters: list[ShelterRow]
) -> AssignmentReason:
    if shelter == nearest or nearest is None:
        return AssignmentReason.nearest
    closest = shelters[nearest]
    if not group.flags <= closest.ok:
        return AssignmentReason.unsuitable
    if group.needs_care and shelters[shelter].is_welfare and not closest.is_welfare:
        return AssignmentReason.welfare
    if not group.needs_care and closest.is_welfare:
        return AssignmentReason.welfare_reserved
    return AssignmentReason.full


def _nowhere(person: PersonRow, reason: AssignmentReason) -> Outcome:
    return Outcome(person.id, None, None, None, None, person.slow, person.needs_care, reason)
