"""What changed between the judgement a certificate printed and the judgement in force.

A certificate states a damage level and the survey it rests on (its round and date are printed).
It is outdated when either differs from the judgement in force; a criteria switch that keeps the
level and the survey changes neither (the criteria version printed is the one the level was
judged under, still true), so it does not outdate the certificate.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.damage.levels import DAMAGE_LEVEL_LABELS, DamageLevel
from sonae.damage.models import DamageJudgement


@dataclass(frozen=True)
class Change:
    """What changed between the judgement a certificate printed and the one in force."""

    printed: DamageLevel
    current: DamageLevel

    @property
    def reason(self) -> str:
        """Recorded as the re-issue reason: true to what changed."""
        if self.printed is not self.current:
            labels = DAMAGE_LEVEL_LABELS
            return f"判定の変更（{labels[self.printed]} → {labels[self.current]}）"
        return f"再調査（被害の程度は{DAMAGE_LEVEL_LABELS[self.current]}のまま、調査を更新）"

    @property
    def summary(self) -> str:
        """For error messages (English, no personal data)."""
        if self.printed is not self.current:
            return (
                f"the damage level in force is now {self.current.value}, not {self.printed.value}"
            )
        return f"a re-survey replaced the survey it printed (level still {self.current.value})"


def change_between(
    printed: tuple[DamageLevel, int], current: tuple[DamageLevel, int] | None
) -> Change | None:
    """(level, survey id) printed vs in force; None when the certificate still states it."""
    if current is None or current == printed:
        return None
    return Change(printed=printed[0], current=current[0])


def level_and_survey(
    session: Session, municipality_code: str, judgement_ids: set[int]
) -> dict[int, tuple[DamageLevel, int]]:
    """{judgement id: (level, survey id)}, for comparing many certificates in one query."""
    if not judgement_ids:
        return {}
    rows = session.execute(
        select(DamageJudgement.id, DamageJudgement.level, DamageJudgement.survey_id).where(
            DamageJudgement.municipality_code == municipality_code,
            DamageJudgement.id.in_(judgement_ids),
        )
    )
    return {id_: (level, survey_id) for id_, level, survey_id in rows}
