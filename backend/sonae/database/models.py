"""Imports every model so Alembic and the tests see the whole metadata."""

from sonae.address.models import AddressPoint
from sonae.assignment.models import AssignedPerson, EvacuationAssignment
from sonae.audit.models import AuditEntry
from sonae.chome.models import Chome
from sonae.database.core import Base
from sonae.event.models import DisasterEvent, PhaseTransition
from sonae.hazard.models import HazardZone, HazardZonePart
from sonae.municipality.models import ImportRecord, Municipality
from sonae.registry.models import Person, PersonHistory, RegistryImport
from sonae.road.models import RoadEdge, RoadNode
from sonae.security.models import AccessToken, AppUser, MyNumberRecord
from sonae.shelter.models import Shelter, ShelterCapacityRule
from sonae.support.models import (
    Consent,
    DisasterModeSwitch,
    EvacuationPlan,
    SupportListBuild,
    SupportListEntry,
    SupportRuleSet,
)
from sonae.welfare.models import WelfareRecord

__all__ = [
    "AccessToken",
    "AddressPoint",
    "AppUser",
    "AssignedPerson",
    "AuditEntry",
    "Base",
    "Chome",
    "Consent",
    "DisasterEvent",
    "DisasterModeSwitch",
    "EvacuationAssignment",
    "EvacuationPlan",
    "HazardZone",
    "HazardZonePart",
    "ImportRecord",
    "Municipality",
    "MyNumberRecord",
    "Person",
    "PersonHistory",
    "PhaseTransition",
    "RegistryImport",
    "RoadEdge",
    "RoadNode",
    "Shelter",
    "ShelterCapacityRule",
    "SupportListBuild",
    "SupportListEntry",
    "SupportRuleSet",
    "WelfareRecord",
]
