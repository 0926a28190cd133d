from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from sonae.security.roles import Permission, Principal, Role


class TokenResponse(BaseModel):
    """RFC 6749 §5.1: the access token, its type and lifetime in seconds."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    expires_at: datetime


class PrincipalRead(BaseModel):
    user_id: int
    username: str
    municipality_code: str
    roles: list[Role]
    permissions: list[Permission]
    district: str | None
    shelter_ids: list[int]

    @classmethod
    def of(cls, principal: Principal) -> PrincipalRead:
        return cls(
            user_id=principal.user_id,
            username=principal.username,
            municipality_code=principal.municipality_code,
            roles=sorted(principal.roles),
            permissions=sorted(principal.permissions),
            district=principal.district,
            shelter_ids=sorted(principal.shelter_ids),
        )


class MyNumberRead(BaseModel):
    person_id: int
    my_number: str
    purpose: str
