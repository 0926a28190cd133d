from __future__ import annotations

from fastapi import APIRouter

from sonae.api.deps import DbSession
from sonae.municipality import service
from sonae.municipality.schemas import MunicipalityRead

router = APIRouter(prefix="/api/municipalities", tags=["municipalities"])


@router.get("", summary="Municipalities served by this database")
def list_municipalities(session: DbSession) -> list[MunicipalityRead]:
    return [MunicipalityRead.model_validate(m) for m in service.list_all(session=session)]


@router.get("/{code}", summary="One municipality")
def get_municipality(code: str, session: DbSession) -> MunicipalityRead:
    return MunicipalityRead.model_validate(service.get(session=session, code=code))
