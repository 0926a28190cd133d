from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from sonae.audit.models import AuditAction


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    username: str | None
    user_id: int | None
    roles: list[str]
    action: AuditAction
    resource: str
    person_ids: list[int]
    fields: list[str]
    purpose_code: str | None
    request_id: str | None
    client_address: str | None
    detail: dict[str, Any]


class AuditPage(BaseModel):
    total: int
    limit: int
    offset: int
    entries: list[AuditEntryRead]
