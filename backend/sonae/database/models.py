"""Imports every model so Alembic and the tests see the whole metadata."""

from sonae.address.models import AddressPoint
from sonae.chome.models import Chome
from sonae.database.core import Base
from sonae.hazard.models import HazardZone, HazardZonePart
from sonae.municipality.models import ImportRecord, Municipality
from sonae.road.models import RoadEdge, RoadNode
from sonae.shelter.models import Shelter, ShelterCapacityRule

__all__ = [
    "AddressPoint",
    "Base",
    "Chome",
    "HazardZone",
    "HazardZonePart",
    "ImportRecord",
    "Municipality",
    "RoadEdge",
    "RoadNode",
    "Shelter",
    "ShelterCapacityRule",
]
