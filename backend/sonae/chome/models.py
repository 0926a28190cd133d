from __future__ import annotations

from geoalchemy2 import WKBElement
from sqlalchemy import Float, Index, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin, geometry
from sonae.database.core import Base


class Chome(MunicipalMixin, Base):
    """町丁目: the smallest census and address area, with its census counts.

    Where no boundary polygons exist (Nishinomiya), only the representative point is known.
    """

    __tablename__ = "chome"
    __table_args__ = (
        UniqueConstraint("municipality_code", "key_code"),
        Index("ix_chome_boundary", "boundary", postgresql_using="gist"),
        Index("ix_chome_point", "point", postgresql_using="gist"),
    )

    key_code: Mapped[str] = mapped_column(String(20))
    """Census small-area key (KEY_CODE), e.g. 12227001001."""
    name: Mapped[str] = mapped_column(String(100))
    population: Mapped[int | None] = mapped_column(Integer)
    households: Mapped[int | None] = mapped_column(Integer)
    area_m2: Mapped[float | None] = mapped_column(Float)
    census_year: Mapped[int | None] = mapped_column(SmallInteger)
    boundary: Mapped[WKBElement | None] = mapped_column(geometry("MULTIPOLYGON", nullable=True))
    point: Mapped[WKBElement] = mapped_column(geometry("POINT"))
