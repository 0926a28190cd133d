from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.security.roles import Role
from sonae.shelter.models import Shelter


@pytest.fixture
def scope_for(session: Session) -> Callable[[Role], dict[str, object]]:
    """The scope a role needs to exist: a district for supporters, a shelter for shelter staff."""
    shelter = session.scalars(
        select(Shelter.id).where(Shelter.municipality_code == "122271").order_by(Shelter.id)
    ).first()

    def scope(role: Role) -> dict[str, object]:
        if role is Role.supporter:
            return {"district": "当代島"}
        if role is Role.shelter_staff:
            return {"shelter_ids": [shelter]}
        return {}

    return scope
