"""What changed between two builds of the list, and why, person by person.

Each person listed in either build is added, removed or changed (or unchanged), with reasons:
moved, turned N, care level changed, disability changed, died, moved away, rule changed, hazard
exposure changed, household changed… How each is decided is in docs/support_list.md; in short:

- both builds hold a snapshot for people listed in both, so their changes are exact;
- people removed are compared with today's registry and welfare data (support.facts);
- for people added, Sonae has no snapshot of them as they were (it keeps none of unlisted
  people), so a change of welfare data is inferred from the rule that lists them now.

"Rule changed" means the other build's rules, applied to the same facts, decide differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.registry.models import ResidentStatus
from sonae.support import service as support_service
from sonae.support.diff_reasons import Change, ChangeCode, compare_facts, inferred_changes
from sonae.support.facts import CurrentPerson, current_people
from sonae.support.models import SupportListBuild, SupportListEntry
from sonae.support.rules import Facts, SupportRules, age_on, evaluate

Kind = Literal["added", "removed", "changed"]

STATUS_CHANGE = {
    ResidentStatus.deceased: ChangeCode.died,
    ResidentStatus.moved_out: ChangeCode.moved_away,
    ResidentStatus.erased: ChangeCode.erased,
}


@dataclass(frozen=True)
class EntryView:
    person_id: int
    reasons: list[str]
    hazards: list[dict[str, Any]]
    shelter_id: int | None
    district: str | None
    priority: float
    snapshot: dict[str, Any]


@dataclass
class DiffItem:
    person_id: int
    kind: Kind
    changes: list[Change]
    district: str | None
    reasons_before: list[str] = field(default_factory=list)
    reasons_after: list[str] = field(default_factory=list)


@dataclass
class SupportListDiff:
    build: SupportListBuild
    other: SupportListBuild
    rules_before: SupportRules
    rules_after: SupportRules
    items: list[DiffItem]

    def of_kind(self, kind: Kind) -> list[DiffItem]:
        return [item for item in self.items if item.kind == kind]

    def counts(self) -> dict[str, int]:
        counts = {kind: len(self.of_kind(kind)) for kind in ("added", "removed", "changed")}
        for item in self.items:
            for change in item.changes:
                counts[f"reason:{change.code}"] = counts.get(f"reason:{change.code}", 0) + 1
        return counts


def diff_builds(
    *, session: Session, municipality_code: str, build_id: int, other_build_id: int
) -> SupportListDiff:
    """From build_id (before) to other_build_id (after)."""
    before = support_service.get_build(
        session=session, municipality_code=municipality_code, build_id=build_id
    )
    after = support_service.get_build(
        session=session, municipality_code=municipality_code, build_id=other_build_id
    )
    rules = {
        b.id: support_service.rules_of(
            support_service.get_rule_set(
                session=session, municipality_code=municipality_code, rule_set_id=b.rule_set_id
            )
        )
        for b in (before, after)
    }
    old, new = _entries(session, before), _entries(session, after)
    context = _Context(before, after, rules[before.id], rules[after.id])
    removed_ids = old.keys() - new.keys()
    added_ids = new.keys() - old.keys()
    current = current_people(
        session=session,
        municipality_code=municipality_code,
        person_ids=removed_ids | added_ids,
        as_of=after.as_of,
    )
    items = [context.removed(old[pid], current.get(pid)) for pid in removed_ids]
    items += [context.added(new[pid], current.get(pid)) for pid in added_ids]
    for pid in old.keys() & new.keys():
        item = context.changed(old[pid], new[pid])
        if item is not None:
            items.append(item)
    order = {"added": 0, "removed": 1, "changed": 2}
    items.sort(key=lambda i: (order[i.kind], i.district or "\uffff", i.person_id))
    return SupportListDiff(before, after, context.rules_before, context.rules_after, items)


def _entries(session: Session, build: SupportListBuild) -> dict[int, EntryView]:
    rows = session.execute(
        select(
            SupportListEntry.person_id,
            SupportListEntry.reasons,
            SupportListEntry.hazards,
            SupportListEntry.shelter_id,
            SupportListEntry.district,
            SupportListEntry.priority,
            SupportListEntry.snapshot,
        ).where(
            SupportListEntry.municipality_code == build.municipality_code,
            SupportListEntry.build_id == build.id,
        )
    )
    return {row.person_id: EntryView(*row) for row in rows}


@dataclass
class _Context:
    before: SupportListBuild
    after: SupportListBuild
    rules_before: SupportRules
    rules_after: SupportRules

    @property
    def rules_differ(self) -> bool:
        return self.before.rule_set_id != self.after.rule_set_id

    def thresholds(self) -> list[int]:
        both = self.rules_before.age_thresholds() + self.rules_after.age_thresholds()
        return sorted(set(both))

    def removed(self, entry: EntryView, now: CurrentPerson | None) -> DiffItem:
        item = DiffItem(entry.person_id, "removed", [], entry.district, entry.reasons)
        if now is None or now.status in STATUS_CHANGE:
            status = ResidentStatus.erased if now is None else now.status
            item.changes.append(Change.of(STATUS_CHANGE[status]))
            return item
        item.changes += compare_facts(entry.snapshot, now.snapshot, self.thresholds())
        facts = Facts.from_snapshot(now.snapshot)
        if self.rules_differ and evaluate(self.rules_before, facts):
            item.changes.append(Change.of(ChangeCode.rule_changed))
        return _with_fallback(item)

    def added(self, entry: EntryView, now: CurrentPerson | None) -> DiffItem:
        item = DiffItem(entry.person_id, "added", [], entry.district, [], entry.reasons)
        snapshot = entry.snapshot
        if now is not None and now.since is not None and now.since > self.before.as_of:
            item.changes.append(Change.of(ChangeCode.moved_in))
        birth = snapshot.get("birth_date")
        age_now = int(snapshot["age"])
        age_then = age_on(date.fromisoformat(birth), self.before.as_of) if birth else age_now
        youngest_now = int(snapshot["household_youngest_age"])
        youngest_then = youngest_now - (age_now - age_then)
        crossed = [
            n
            for n in self.rules_after.age_thresholds()
            if age_then < n <= age_now or youngest_then < n <= youngest_now
        ]
        item.changes += [Change.of(ChangeCode.turned_age, str(n)) for n in crossed]
        facts = Facts.from_snapshot(snapshot)
        listed_before = bool(evaluate(self.rules_before, facts))
        if self.rules_differ and not listed_before:
            item.changes.append(Change.of(ChangeCode.rule_changed))
        if not item.changes:
            item.changes += inferred_changes(self.rules_after, entry.reasons, snapshot)
        return _with_fallback(item)

    def changed(self, old: EntryView, new: EntryView) -> DiffItem | None:
        changes = compare_facts(old.snapshot, new.snapshot, self.thresholds())
        if old.snapshot.get("hazards") != new.snapshot.get("hazards"):
            changes.append(Change.of(ChangeCode.hazard_changed))
        if old.shelter_id != new.shelter_id:
            changes.append(Change.of(ChangeCode.shelter_changed))
        facts = Facts.from_snapshot(new.snapshot)
        if self.rules_differ and set(evaluate(self.rules_before, facts)) != set(
            evaluate(self.rules_after, facts)
        ):
            changes.append(Change.of(ChangeCode.rule_changed))
        if not changes and set(old.reasons) == set(new.reasons):
            return None
        item = DiffItem(new.person_id, "changed", changes, new.district, old.reasons, new.reasons)
        return _with_fallback(item)


def _with_fallback(item: DiffItem) -> DiffItem:
    if not item.changes:
        item.changes.append(Change.of(ChangeCode.other))
    return item
