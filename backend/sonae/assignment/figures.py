"""The totals a run reports: walking distance and time, against plain nearest-shelter assignment.

Plain nearest = each person to the nearest shelter they may use (suitable for their hazards;
welfare shelters only for people needing care), as if shelters had no capacity. Its loads show
how far over capacity "everyone to the nearest door" would be.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sonae.assignment.demand import ShelterRow
from sonae.assignment.models import ASSIGNMENT_REASON_LABELS, AssignmentReason
from sonae.assignment.plan import SLOW_WALK_SPEED_M_S, WALK_SPEED_M_S, Outcome


def figures(outcomes: list[Outcome]) -> dict[str, Any]:
    placed = [o for o in outcomes if o.walk_m is not None]
    walks = [o.walk_m for o in placed if o.walk_m is not None]
    minutes = [o.walk_minutes for o in placed if o.walk_minutes is not None]
    base = [o.baseline_walk_m for o in outcomes if o.baseline_walk_m is not None]
    same_people = [o.baseline_walk_m for o in placed if o.baseline_walk_m is not None]
    reasons = Counter(o.reason for o in outcomes)
    return {
        "people": len(outcomes),
        "assigned": len(placed),
        "unassigned": len(outcomes) - len(placed),
        "not_nearest": sum(
            1 for o in placed if o.shelter_id is not None and o.reason != AssignmentReason.nearest
        ),
        "total_walk_m": round(sum(walks), 1),
        "max_walk_m": round(max(walks, default=0.0), 1),
        "mean_walk_m": round(sum(walks) / len(walks), 1) if walks else None,
        "max_walk_minutes": round(max(minutes, default=0.0), 1),
        "mean_walk_minutes": round(sum(minutes) / len(minutes), 1) if minutes else None,
        "slow_people": sum(1 for o in outcomes if o.slow),
        "nearest_total_walk_m": round(sum(base), 1),
        "nearest_max_walk_m": round(max(base, default=0.0), 1),
        "nearest_people": len(base),
        "nearest_total_walk_m_of_assigned": round(sum(same_people), 1),
        "walk_speed_m_s": WALK_SPEED_M_S,
        "slow_walk_speed_m_s": SLOW_WALK_SPEED_M_S,
        "by_reason": {
            str(r): {"label": ASSIGNMENT_REASON_LABELS[r], "people": reasons.get(r, 0)}
            for r in AssignmentReason
        },
    }


def shelter_loads(outcomes: list[Outcome], shelters: list[ShelterRow]) -> list[dict[str, Any]]:
    assigned = Counter(o.shelter_id for o in outcomes if o.shelter_id is not None)
    nearest = Counter(o.baseline_shelter_id for o in outcomes if o.baseline_shelter_id is not None)
    return [
        {
            "shelter_id": s.id,
            "capacity": s.capacity,
            "is_welfare": s.is_welfare,
            "assigned": assigned.get(s.id, 0),
            "nearest_load": nearest.get(s.id, 0),
        }
        for s in shelters
    ]


def nearest_over_capacity(loads: list[dict[str, Any]]) -> int:
    """People plain nearest assignment would send beyond the shelters' capacity."""
    return sum(max(0, row["nearest_load"] - row["capacity"]) for row in loads)
