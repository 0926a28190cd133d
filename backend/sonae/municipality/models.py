from __future__ import annotations

from datetime import datetime

from geoalchemy2 import WKBElement
from sqlalchemy import CHAR, DateTime, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin, geometry
from sonae.database.core import Base


class Municipality(Base):
    """A city, town or village served by this database."""

    __tablename__ = "municipality"
    __table_args__ = (Index("ix_municipality_outline", "outline", postgresql_using="gist"),)

    code: Mapped[str] = mapped_column(CHAR(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    plane_rectangular_srid: Mapped[int] = mapped_column(Integer)
    """EPSG code of the JGD2011 plane rectangular zone used for metric work."""
    outline: Mapped[WKBElement | None] = mapped_column(geometry("MULTIPOLYGON", nullable=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ImportRecord(MunicipalMixin, Base):
    """Provenance: which file filled which layer of which municipality, and when."""

    __tablename__ = "import_record"

    layer: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(CHAR(64))
    feature_count: Mapped[int] = mapped_column(Integer)
    repaired_count: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
