"""A safety or shelter fact about a person as the victim registry shows it, and its sources."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class SafetyItem:
    """One safety-confirmation or shelter-stay fact about a person, as its feature states it."""

    person_id: int
    kind: str
    """"safety" (安否) or "shelter_stay" (避難所滞在)"""
    summary: str
    """Japanese, e.g. 「無事（本人確認）」 or 「〇〇小学校 11/3〜11/20」"""
    at: datetime | None = None


SafetySource = Callable[[Session, str, int, Sequence[int]], list[SafetyItem]]
"""(session, municipality_code, event_id, person_ids) → facts about those people."""
