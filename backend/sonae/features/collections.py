"""The reference layers published as OGC API – Features collections.

Each collection names its table, its geometry, its feature id and the properties it shows.
None of them holds personal data; collections of personal data must not be added here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import InstrumentedAttribute

from sonae.address.models import AddressPoint
from sonae.chome.models import Chome
from sonae.hazard.models import HazardZone
from sonae.municipality.models import Municipality
from sonae.road.models import RoadEdge, RoadNode
from sonae.shelter.models import HAZARD_FLAGS, Shelter


@dataclass(frozen=True)
class FeatureCollectionSpec:
    id: str
    title: str
    description: str
    municipality_column: InstrumentedAttribute[str]
    id_column: InstrumentedAttribute[int] | InstrumentedAttribute[str]
    geometry: ColumnElement[Any] | InstrumentedAttribute[Any]
    properties: dict[str, ColumnElement[object] | InstrumentedAttribute[object]] = field(
        default_factory=dict
    )


def _columns(
    model: type, names: tuple[str, ...]
) -> dict[str, ColumnElement[object] | InstrumentedAttribute[object]]:
    return {name: getattr(model, name) for name in names}


COLLECTIONS: dict[str, FeatureCollectionSpec] = {
    spec.id: spec
    for spec in (
        FeatureCollectionSpec(
            "outline",
            "市域",
            "Municipal outline",
            Municipality.code,
            Municipality.code,
            Municipality.outline,
            _columns(Municipality, ("name",)),
        ),
        FeatureCollectionSpec(
            "chome",
            "町丁目",
            "Chome with census population and households (polygon, or point where none)",
            Chome.municipality_code,
            Chome.id,
            func.coalesce(Chome.boundary, Chome.point),
            _columns(
                Chome, ("key_code", "name", "population", "households", "area_m2", "census_year")
            ),
        ),
        FeatureCollectionSpec(
            "address_points",
            "町字代表点",
            "Town representative points (address matching targets)",
            AddressPoint.municipality_code,
            AddressPoint.id,
            AddressPoint.point,
            _columns(AddressPoint, ("town", "koaza")),
        ),
        FeatureCollectionSpec(
            "shelters",
            "避難所・避難場所",
            "Designated shelters and emergency evacuation sites (GSI)",
            Shelter.municipality_code,
            Shelter.id,
            Shelter.point,
            _columns(
                Shelter,
                (
                    "source_id",
                    "kind",
                    "name",
                    "address",
                    "is_welfare",
                    *HAZARD_FLAGS,
                    "capacity",
                    "estimated_capacity",
                    "capacity_rule",
                    "note",
                ),
            ),
        ),
        FeatureCollectionSpec(
            "hazard_zones",
            "ハザード区域",
            "Hazard zones by type, scenario and rank",
            HazardZone.municipality_code,
            HazardZone.id,
            HazardZone.geom,
            _columns(
                HazardZone,
                ("hazard_type", "scenario", "rank", "rank_label", "is_derived_scenario", "source"),
            ),
        ),
        FeatureCollectionSpec(
            "road_edges",
            "道路",
            "Road network edges (pgRouting: source, target, cost in metres)",
            RoadEdge.municipality_code,
            RoadEdge.edge_id,
            RoadEdge.geom,
            _columns(RoadEdge, ("source", "target", "highway", "length_m")),
        ),
        FeatureCollectionSpec(
            "road_nodes",
            "道路ノード",
            "Road network nodes",
            RoadNode.municipality_code,
            RoadNode.node_id,
            RoadNode.point,
            {},
        ),
    )
}
