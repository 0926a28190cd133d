"""The one endpoint that returns a personal number in clear: permission, role and purpose
required, every read audited with its purpose (番号法: only staff doing a number-using task)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from sonae.api.deps import DbSession
from sonae.api.params import Id
from sonae.security import service
from sonae.security.deps import require_permission, require_roles
from sonae.security.roles import Permission, Principal
from sonae.security.schemas import MyNumberRead

router = APIRouter(prefix="/api/registry/persons", tags=["registry"])


@router.get(
    "/{person_id}/my-number",
    summary="A person's 個人番号, for a stated purpose (audited)",
    dependencies=[Depends(require_permission(Permission.my_number_read))],
)
def read_my_number(
    person_id: Id,
    principal: Annotated[Principal, Depends(require_roles(*service.MY_NUMBER_READERS))],
    purpose: Annotated[
        service.MyNumberPurpose, Query(description="the number-using task (番号法 別表)")
    ],
    request: Request,
    session: DbSession,
) -> MyNumberRead:
    number = service.read_my_number(
        session=session,
        principal=principal,
        person_id=person_id,
        purpose=purpose,
        request=request,
    )
    return MyNumberRead(person_id=person_id, my_number=number, purpose=purpose.value)
