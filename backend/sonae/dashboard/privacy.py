"""Who sees what on the dashboard.

Person-level layers (one point per person or dwelling, the household card) are for hq and
welfare only. Everyone else who may open the dashboard sees counts per chome or per 250 m mesh,
and a count of 1 or 2 is suppressed (秘匿): with so few, a neighbour could tell who it is.
A count of 0 is shown: it tells nothing about any person.
"""

from __future__ import annotations

from sonae.security.roles import Principal, Role

DASHBOARD_ROLES: tuple[Role, ...] = (Role.hq, Role.welfare, Role.shelter_staff, Role.supporter)
"""auditor and admin have no business with operational data."""
PERSON_LEVEL_ROLES: tuple[Role, ...] = (Role.hq, Role.welfare)
MIN_SHOWN_COUNT = 3
SUPPRESSED_LABEL = "3未満"


def sees_people(principal: Principal) -> bool:
    return principal.has(*PERSON_LEVEL_ROLES)


def suppress(count: int) -> int | None:
    """The count as others may see it: None (shown as 3未満) for 1 and 2."""
    return None if 0 < count < MIN_SHOWN_COUNT else count
