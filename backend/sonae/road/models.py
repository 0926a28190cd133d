from __future__ import annotations

from geoalchemy2 import WKBElement
from sqlalchemy import CHAR, BigInteger, Float, ForeignKey, ForeignKeyConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import geometry
from sonae.database.core import Base


class RoadNode(Base):
    """A road-network vertex; node_id is the source file's id, as pgRouting expects integers."""

    __tablename__ = "road_node"
    __table_args__ = (Index("ix_road_node_point", "point", postgresql_using="gist"),)

    municipality_code: Mapped[str] = mapped_column(
        CHAR(6), ForeignKey("municipality.code", ondelete="CASCADE"), primary_key=True
    )
    node_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    point: Mapped[WKBElement] = mapped_column(geometry("POINT"))


class RoadEdge(Base):
    """A road segment in pgRouting's shape: source, target, cost and reverse_cost in metres."""

    __tablename__ = "road_edge"
    __table_args__ = (
        ForeignKeyConstraint(
            ["municipality_code", "source"],
            ["road_node.municipality_code", "road_node.node_id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["municipality_code", "target"],
            ["road_node.municipality_code", "road_node.node_id"],
            ondelete="CASCADE",
        ),
        Index("ix_road_edge_geom", "geom", postgresql_using="gist"),
    )

    municipality_code: Mapped[str] = mapped_column(
        CHAR(6), ForeignKey("municipality.code", ondelete="CASCADE"), primary_key=True
    )
    edge_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    source: Mapped[int] = mapped_column(BigInteger)
    target: Mapped[int] = mapped_column(BigInteger)
    highway: Mapped[str | None] = mapped_column(String(40))
    length_m: Mapped[float] = mapped_column(Float)
    cost: Mapped[float] = mapped_column(Float)
    reverse_cost: Mapped[float] = mapped_column(Float)
    geom: Mapped[WKBElement] = mapped_column(geometry("LINESTRING"))
