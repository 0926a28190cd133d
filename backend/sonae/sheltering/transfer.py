"""What a person's stay carries to the next shelter when they are transferred.

The first desk recorded their needs (care, medical, allergy, pets, language) and their consent
to disclose whereabouts; a transfer is a check-in elsewhere, and a tablet there that sends
neither must not wipe them. A desk that sends either records it anew.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.sheltering.models import ShelterStay
from sonae.sheltering.schemas import ArrivalIn

NEEDS = (
    "needs_care",
    "needs_medical",
    "allergy",
    "with_pets",
    "language_support",
    "needs_note",
)
CONSENT = ("disclose_to_family", "disclose_to_acquaintances", "disclose_to_public")


def carried(
    *, session: Session, municipality_code: str, stay_id: int, arrival: ArrivalIn
) -> dict[str, object]:
    """The earlier stay's needs and consent, for those the arrival did not send."""
    sent = arrival.model_fields_set
    names = [*(() if "needs" in sent else NEEDS), *(() if "consent" in sent else CONSENT)]
    if not names:
        return {}
    row = session.execute(
        select(*(getattr(ShelterStay, name) for name in names)).where(
            ShelterStay.municipality_code == municipality_code, ShelterStay.id == stay_id
        )
    ).one()
    return dict(zip(names, row, strict=True))
