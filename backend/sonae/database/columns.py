"""Column helpers shared by every municipal table."""

from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import CHAR, BigInteger, ForeignKey, ForeignKeyConstraint, Identity
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from sonae.database.core import STORAGE_SRID


def geometry(geometry_type: str, *, nullable: bool = False) -> Geometry:
    """A geometry in the storage CRS; the GiST index is declared explicitly per table."""
    return Geometry(geometry_type, srid=STORAGE_SRID, spatial_index=False, nullable=nullable)


def municipal_fk(
    column: str, table: str, *, ondelete: str | None = "CASCADE"
) -> ForeignKeyConstraint:
    """(municipality_code, column) → (municipality_code, id) of a municipal table: a row never
    points into another municipality."""
    return ForeignKeyConstraint(
        ["municipality_code", column],
        [f"{table}.municipality_code", f"{table}.id"],
        ondelete=ondelete,
    )


class MunicipalMixin:
    """Every municipal row carries the 6-digit municipality code (全国地方公共団体コード).

    It leads every primary key, so it can be the distribution column if the database is ever
    sharded by municipality (Citus requires it in every unique constraint).
    """

    @declared_attr
    def municipality_code(cls) -> Mapped[str]:
        return mapped_column(
            CHAR(6),
            ForeignKey("municipality.code", ondelete="CASCADE"),
            primary_key=True,
        )

    @declared_attr
    def id(cls) -> Mapped[int]:
        return mapped_column(BigInteger, Identity(), primary_key=True)


class ChildOfPersonMixin(MunicipalMixin):
    """A municipal table whose rows hang off a person by (municipality_code, person_id).

    Its municipality_code has no foreign key of its own: the composite key to person already
    proves the municipality (person's own key does), and deleting a municipality cascades
    through person. A second key would be checked again for every row written, which doubles
    the per-row cost of a registry import (migration 0011).
    """

    @declared_attr
    def municipality_code(cls) -> Mapped[str]:
        return mapped_column(CHAR(6), primary_key=True)
