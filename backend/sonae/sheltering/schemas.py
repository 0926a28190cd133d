"""API shapes of shelter openings, check-ins, check-outs, occupancy and whereabouts.

Request bodies forbid unknown fields, and no string in them may hold a run of 12 digits: the
desk reads the four facts off the My Number card's face, never the number.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from sonae.api.params import Id
from sonae.registry.models import Sex
from sonae.safety.models import ReportSource, SafetyStatus, Whereabouts
from sonae.sheltering.models import CapacityBasis, EvacueeKind, IdentifiedBy, StayEnd

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpenIn(_In):
    opened_at: AwareDatetime | None = None
    floor_area_m2: float | None = Field(default=None, gt=0, le=1_000_000)
    """Usable floor area; capacity = floor(area / 3.5 m²). Default: the shelter's data."""


class CloseIn(_In):
    closed_at: AwareDatetime | None = None


class ByAddressNumber(_In):
    method: Literal["address_number"]
    address_number: Annotated[str, StringConstraints(pattern=r"^[0-9０-９]{1,15}$")]


class ByCardFacts(_In):
    """基本4情報 read off the card's face."""

    method: Literal["card_facts"]
    name: Text
    address: LongText
    birth_date: date
    sex: Sex


class ByTypedFacts(_In):
    """Typed by staff; name or kana at least. person_id picks one of the candidates offered."""

    method: Literal["typed"]
    name: Text | None = None
    name_kana: Text | None = None
    birth_date: date
    address: LongText | None = None
    person_id: Id | None = None

    @model_validator(mode="after")
    def _a_name(self) -> ByTypedFacts:
        if self.name is None and self.name_kana is None:
            raise ValueError("give the name or the kana (or both)")
        return self


class Unregistered(_In):
    """Someone the registry does not know: a visitor, a commuter, a tourist."""

    method: Literal["unregistered"]
    kind: EvacueeKind
    name: Text
    name_kana: Text | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    home_address: LongText | None = None
    contact: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None


Identity = Annotated[
    ByAddressNumber | ByCardFacts | ByTypedFacts | Unregistered, Field(discriminator="method")
]


class NeedsIn(_In):
    """The 安否情報 form's needs: care, medical, allergy, pets, language."""

    care: bool = False
    medical: bool = False
    allergy: bool = False
    pets: bool = False
    language: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] | None = None
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class ConsentIn(_In):
    """Per-field consent to disclose whereabouts (安否情報の提供への同意)."""

    family: bool = False
    acquaintances: bool = False
    public: bool = False


class ArrivalIn(_In):
    identity: Identity
    needs: NeedsIn = NeedsIn()
    consent: ConsentIn = ConsentIn()


class CheckinIn(_In):
    """One person, or a household together: all are checked in, or none."""

    people: list[ArrivalIn] = Field(min_length=1, max_length=30)
    checked_in_at: AwareDatetime | None = None
    """When the tablet saw them (it may send later); default: now."""


class CheckoutIn(_In):
    stay_ids: list[Id] = Field(min_length=1, max_length=30)
    checked_out_at: AwareDatetime | None = None
    going_to: Whereabouts | None = None
    """Where they go (退所先): home, relative_home, car, outside_city, hospital, other. It becomes
    their safety status: safe at home, else still evacuated there; not given, safe, place not
    known. A move to another shelter is a check-in there (a transfer), not a check-out."""
    place_note: LongText | None = None
    contact: Text | None = None


class CandidateOut(BaseModel):
    person_id: int
    name_hint: str
    kana_hint: str | None
    town: str
    sex: Sex


class AmbiguousOut(BaseModel):
    detail: str
    people: dict[int, list[CandidateOut]]
    """Per index in the request's people: the candidates to choose from (send person_id)."""


class StayOut(BaseModel):
    stay_id: int
    person_id: int | None
    evacuee_id: int | None
    outcome: Literal["checked_in", "transferred", "already_present"]
    identified_by: IdentifiedBy
    checked_in_at: datetime
    transferred_from_shelter_id: int | None = None


class CheckinOut(BaseModel):
    event_id: int
    shelter_id: int
    stays: list[StayOut]
    occupancy: int
    capacity: int


class CheckoutOut(BaseModel):
    event_id: int
    shelter_id: int
    checked_out: list[int]
    occupancy: int


class NeedsOut(BaseModel):
    toilets: int
    toilets_women: int
    toilets_men: int
    people_per_toilet: int
    water_l_per_day: float
    water_survival_l_per_day: float


class ShelterOut(BaseModel):
    shelter_id: int
    name: str
    opened_at: datetime
    opened_by: str
    floor_area_m2: float | None
    capacity: int
    capacity_basis: CapacityBasis
    capacity_basis_label: str
    occupancy: int
    needs: NeedsOut


class OpeningOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    shelter_id: int
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    closed_by: str | None
    floor_area_m2: float | None
    capacity: int
    capacity_basis: CapacityBasis


class PresentOut(BaseModel):
    stay_id: int
    person_id: int | None
    evacuee_id: int | None
    name: str
    identified_by: IdentifiedBy
    checked_in_at: datetime
    needs_care: bool
    needs_medical: bool
    allergy: bool
    with_pets: bool
    language_support: str | None


class OccupancyOut(BaseModel):
    event_id: int
    shelter_id: int
    occupancy: int
    capacity: int
    needs: NeedsOut
    present: list[PresentOut]


class StayHistoryOut(BaseModel):
    stay_id: int
    shelter_id: int
    checked_in_at: datetime
    checked_out_at: datetime | None
    ended_by: StayEnd | None


class ReportOut(BaseModel):
    status: SafetyStatus
    whereabouts: Whereabouts
    shelter_id: int | None
    source: ReportSource
    observed_at: datetime


class WhereaboutsOut(BaseModel):
    event_id: int
    person_id: int
    current_shelter_id: int | None
    status: SafetyStatus
    whereabouts: Whereabouts
    stays: list[StayHistoryOut]
    reports: list[ReportOut]
