"""Why a person's entry changed between two builds: the reason codes and their Japanese labels."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sonae.support.rules import SupportRules
from sonae.welfare.models import CARE_LEVEL_LABELS, CareLevel

LOCATION_TOLERANCE_DEG = 1e-5
"""About a metre: closer than this the location counts as unchanged (rounding noise)."""


class ChangeCode(enum.StrEnum):
    moved = "moved"
    moved_in = "moved_in"
    turned_age = "turned_age"
    care_level_changed = "care_level_changed"
    disability_changed = "disability_changed"
    household_changed = "household_changed"
    self_request_changed = "self_request_changed"
    language_need_changed = "language_need_changed"
    hazard_changed = "hazard_changed"
    shelter_changed = "shelter_changed"
    died = "died"
    moved_away = "moved_away"
    erased = "erased"
    rule_changed = "rule_changed"
    other = "other"


CHANGE_LABELS = {
    ChangeCode.moved: "転居（住所・位置の変更）",
    ChangeCode.moved_in: "転入・住民となった",
    ChangeCode.turned_age: "{detail}歳到達",
    ChangeCode.care_level_changed: "要介護度の変更",
    ChangeCode.disability_changed: "障害・難病の変更",
    ChangeCode.household_changed: "世帯構成の変化",
    ChangeCode.self_request_changed: "手上げ（申出）の変更",
    ChangeCode.language_need_changed: "言語支援の変更",
    ChangeCode.hazard_changed: "災害リスクの変更",
    ChangeCode.shelter_changed: "推奨避難先の変更",
    ChangeCode.died: "死亡",
    ChangeCode.moved_away: "転出",
    ChangeCode.erased: "住民票の消除",
    ChangeCode.rule_changed: "掲載基準の変更",
    ChangeCode.other: "その他（福祉情報の更新など）",
}

NOW_ALONE = "now_alone"


@dataclass(frozen=True)
class Change:
    code: ChangeCode
    detail: str | None = None

    @classmethod
    def of(cls, code: ChangeCode, detail: str | None = None) -> Change:
        return cls(code, detail)

    @property
    def label(self) -> str:
        if self.code == ChangeCode.turned_age:
            return CHANGE_LABELS[self.code].format(detail=self.detail)
        if self.code == ChangeCode.household_changed and self.detail == NOW_ALONE:
            return "世帯構成の変化（ひとり暮らしになった）"
        if self.detail:
            return f"{CHANGE_LABELS[self.code]}（{self.detail}）"
        return CHANGE_LABELS[self.code]


def care_label(level: str | None) -> str:
    return CARE_LEVEL_LABELS[CareLevel(level)] if level else "なし"


def _moved(old: dict[str, Any], new: dict[str, Any]) -> bool:
    if (old.get("address_text"), old.get("address_annex")) != (
        new.get("address_text"),
        new.get("address_annex"),
    ):
        return True
    a, b = old.get("location"), new.get("location")
    if a is None or b is None:
        return (a is None) != (b is None)
    return max(abs(float(a[0]) - float(b[0])), abs(float(a[1]) - float(b[1]))) > (
        LOCATION_TOLERANCE_DEG
    )


DISABILITY_KEYS = (
    "physical_grade",
    "physical_type",
    "intellectual_grade",
    "mental_grade",
    "intractable",
)


def compare_facts(old: dict[str, Any], new: dict[str, Any], thresholds: list[int]) -> list[Change]:
    """The changes of a person's own data between two snapshots (ages at each build's date)."""
    changes = []
    if _moved(old, new):
        changes.append(Change.of(ChangeCode.moved))
    for n in thresholds:
        if _crossed(n, old, new, "age") or _crossed(n, old, new, "household_youngest_age"):
            changes.append(Change.of(ChangeCode.turned_age, str(n)))
    if old.get("care_level") != new.get("care_level"):
        detail = f"{care_label(old.get('care_level'))}→{care_label(new.get('care_level'))}"
        changes.append(Change.of(ChangeCode.care_level_changed, detail))
    if any(old.get(key) != new.get(key) for key in DISABILITY_KEYS):
        changes.append(Change.of(ChangeCode.disability_changed))
    members_before, members_after = old.get("household_members"), new.get("household_members")
    if old.get("household_number") != new.get("household_number") or (
        members_before != members_after
    ):
        alone_now = members_after == 1 and (members_before or 0) > 1
        changes.append(Change.of(ChangeCode.household_changed, NOW_ALONE if alone_now else None))
    if bool(old.get("self_request")) != bool(new.get("self_request")):
        changes.append(Change.of(ChangeCode.self_request_changed))
    if old.get("language_need") != new.get("language_need"):
        changes.append(Change.of(ChangeCode.language_need_changed))
    return changes


def _crossed(n: int, old: dict[str, Any], new: dict[str, Any], key: str) -> bool:
    """The person's own age, or the household's youngest (a household all 75 or over is one
    criterion), reached n between the builds."""
    before, after = old.get(key), new.get(key)
    return before is not None and after is not None and int(before) < n <= int(after)


def inferred_changes(
    rules: SupportRules, reasons: list[str], snapshot: dict[str, Any]
) -> list[Change]:
    """For a person added under unchanged rules: the data the rules that list them look at."""
    by_code = {rule.code: name for name, rule in _sections(rules)}
    changes: list[Change] = []
    for code in reasons:
        section = by_code.get(code)
        if section == "care_level":
            change = Change.of(
                ChangeCode.care_level_changed, f"→{care_label(snapshot.get('care_level'))}"
            )
        elif section in (
            "physical_disability",
            "intellectual_disability",
            "mental_disability",
            "intractable_disease",
        ):
            change = Change.of(ChangeCode.disability_changed)
        elif section in ("elderly_alone", "elderly_only_household"):
            alone = snapshot.get("household_members") == 1
            change = Change.of(ChangeCode.household_changed, NOW_ALONE if alone else None)
        elif section == "self_request":
            change = Change.of(ChangeCode.self_request_changed)
        elif section == "language_need":
            change = Change.of(ChangeCode.language_need_changed)
        else:
            continue
        if change not in changes:
            changes.append(change)
    return changes


def _sections(rules: SupportRules) -> list[tuple[str, Any]]:
    names = (
        "care_level",
        "physical_disability",
        "intellectual_disability",
        "mental_disability",
        "intractable_disease",
        "elderly_alone",
        "elderly_only_household",
        "self_request",
        "language_need",
    )
    return [(name, getattr(rules, name)) for name in names if getattr(rules, name) is not None]
