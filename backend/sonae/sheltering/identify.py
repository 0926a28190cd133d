"""Who is arriving at the desk: every person of a check-in identified before anything is written.

An ambiguity anywhere stops the whole household (HouseholdAmbiguous lists the candidates by the
person's index); a person not found is named by index only, never by what the desk typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from sonae.errors import InvalidInputError, NotFoundError
from sonae.registry.models import Person
from sonae.sheltering import matching
from sonae.sheltering.models import IdentifiedBy
from sonae.sheltering.schemas import (
    ArrivalIn,
    ByAddressNumber,
    ByCardFacts,
    ByTypedFacts,
    Unregistered,
)


class HouseholdAmbiguous(Exception):
    """Some people in the request matched several residents: nothing was written."""

    def __init__(self, candidates: dict[int, list[matching.Candidate]]) -> None:
        super().__init__(f"{len(candidates)} people need a choice")
        self.candidates = candidates


@dataclass
class Resolved:
    arrival: ArrivalIn
    identified_by: IdentifiedBy
    person_id: int | None = None
    evacuee: Unregistered | None = None


def resolve_all(
    session: Session, municipality_code: str, people: list[ArrivalIn]
) -> list[Resolved]:
    """Identify everyone first, writing nothing: an ambiguity anywhere stops the household."""
    resolved: list[Resolved] = []
    ambiguous: dict[int, list[matching.Candidate]] = {}
    for index, arrival in enumerate(people):
        try:
            resolved.append(resolve_one(session, municipality_code, arrival))
        except matching.Ambiguous as exc:
            ambiguous[index] = exc.candidates
        except NotFoundError as exc:
            # The desk must know whom to ask again or record as unregistered: the index only.
            raise NotFoundError(f"people[{index}]: {exc}") from None
    if ambiguous:
        raise HouseholdAmbiguous(ambiguous)
    ids = [r.person_id for r in resolved if r.person_id is not None]
    if len(ids) != len(set(ids)):
        raise InvalidInputError("field 'people': the same person appears twice in the request")
    return resolved


def resolve_one(session: Session, municipality_code: str, arrival: ArrivalIn) -> Resolved:
    identity = arrival.identity
    if isinstance(identity, Unregistered):
        return Resolved(arrival, IdentifiedBy.unregistered, evacuee=identity)
    person: Person
    if isinstance(identity, ByAddressNumber):
        person_id = matching.by_address_number(
            session=session, municipality_code=municipality_code, number=identity.address_number
        )
        return Resolved(arrival, IdentifiedBy.address_number, person_id=person_id)
    if isinstance(identity, ByCardFacts):
        person = matching.by_facts(
            session=session,
            municipality_code=municipality_code,
            birth_date=identity.birth_date,
            name=identity.name,
            address=identity.address,
            sex=identity.sex,
        )
        return Resolved(arrival, IdentifiedBy.card_facts, person_id=person.id)
    assert isinstance(identity, ByTypedFacts)
    person = matching.by_facts(
        session=session,
        municipality_code=municipality_code,
        birth_date=identity.birth_date,
        name=identity.name,
        name_kana=identity.name_kana,
        address=identity.address,
        chosen=identity.person_id,
    )
    return Resolved(arrival, IdentifiedBy.typed, person_id=person.id)
