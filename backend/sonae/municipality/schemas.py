from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class MunicipalityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    plane_rectangular_srid: int
