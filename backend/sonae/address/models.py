from __future__ import annotations

from geoalchemy2 import WKBElement
from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin, geometry
from sonae.database.core import Base


class AddressPoint(MunicipalMixin, Base):
    """Representative point of a town (大字・町丁目), optionally a 小字; the geocoding target."""

    __tablename__ = "address_point"
    __table_args__ = (
        UniqueConstraint("municipality_code", "town", "koaza"),
        Index("ix_address_point_point", "point", postgresql_using="gist"),
    )

    town: Mapped[str] = mapped_column(String(100))
    koaza: Mapped[str] = mapped_column(String(100), default="")
    point: Mapped[WKBElement] = mapped_column(geometry("POINT"))
