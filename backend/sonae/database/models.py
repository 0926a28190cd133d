"""Imports every model so Alembic and the tests see the whole metadata."""

from sonae.address.models import AddressPoint
from sonae.assignment.models import AssignedPerson, EvacuationAssignment
from sonae.audit.models import AuditEntry
from sonae.certificate.models import (
    CertificateApplication,
    CertificateSerialCounter,
    CertificateTemplate,
    DamageCertificate,
)
from sonae.chome.models import Chome
from sonae.damage.models import (
    CriteriaSwitch,
    DamageCriteriaSet,
    DamageJudgement,
    DamageSurvey,
    ResurveyRequest,
    ResurveyTransition,
    SurveyPhoto,
)
from sonae.database.core import Base
from sonae.dwelling.models import Dwelling, DwellingHousehold
from sonae.event.models import DisasterEvent, PhaseTransition
from sonae.hazard.models import HazardZone, HazardZonePart
from sonae.housing.models import (
    HousingAllocationRun,
    HousingApplication,
    HousingApplicationHistory,
    HousingDecision,
    HousingSite,
)
from sonae.idempotency.models import IdempotencyRecord
from sonae.livelihood.models import (
    LivelihoodApplication,
    LivelihoodApplicationHistory,
    LivelihoodPayment,
)
from sonae.municipality.models import ImportRecord, Municipality
from sonae.registry.models import Person, PersonHistory, RegistryImport
from sonae.road.models import RoadEdge, RoadNode
from sonae.safety.models import SafetyCurrent, SafetyReport, SafetyTask
from sonae.security.models import AccessToken, AppUser, MyNumberRecord
from sonae.shelter.models import Shelter, ShelterCapacityRule
from sonae.sheltering.models import Evacuee, ShelterOpening, ShelterStay
from sonae.support.models import (
    Consent,
    DisasterModeSwitch,
    EvacuationPlan,
    SupportListBuild,
    SupportListEntry,
    SupportRuleSet,
)
from sonae.victim_registry.models import VictimDataProvision, VictimSupport
from sonae.welfare.models import WelfareRecord

__all__ = [
    "AccessToken",
    "AddressPoint",
    "AppUser",
    "AssignedPerson",
    "AuditEntry",
    "Base",
    "CertificateApplication",
    "CertificateSerialCounter",
    "CertificateTemplate",
    "Chome",
    "Consent",
    "CriteriaSwitch",
    "DamageCertificate",
    "DamageCriteriaSet",
    "DamageJudgement",
    "DamageSurvey",
    "DisasterEvent",
    "DisasterModeSwitch",
    "Dwelling",
    "DwellingHousehold",
    "EvacuationAssignment",
    "EvacuationPlan",
    "Evacuee",
    "HazardZone",
    "HazardZonePart",
    "HousingAllocationRun",
    "HousingApplication",
    "HousingApplicationHistory",
    "HousingDecision",
    "HousingSite",
    "IdempotencyRecord",
    "ImportRecord",
    "LivelihoodApplication",
    "LivelihoodApplicationHistory",
    "LivelihoodPayment",
    "Municipality",
    "MyNumberRecord",
    "Person",
    "PersonHistory",
    "PhaseTransition",
    "RegistryImport",
    "ResurveyRequest",
    "ResurveyTransition",
    "RoadEdge",
    "RoadNode",
    "SafetyCurrent",
    "SafetyReport",
    "SafetyTask",
    "Shelter",
    "ShelterCapacityRule",
    "ShelterOpening",
    "ShelterStay",
    "SupportListBuild",
    "SupportListEntry",
    "SupportRuleSet",
    "SurveyPhoto",
    "VictimDataProvision",
    "VictimSupport",
    "WelfareRecord",
]
