"""A new head when the head dies: who takes over and what everyone's 続柄 becomes.

The widow or widower takes over if there is one, else the eldest adult. 続柄 is always relative
to the head, so it is recomputed for everyone; a relation this table does not know becomes
縁故者 (a relative, unspecified), which real registries use too.
"""

from __future__ import annotations

from dataclasses import dataclass

OTHER_RELATIVE = "縁故者"
LODGER = "同居人"


@dataclass(frozen=True)
class Member:
    relation: str
    age: int
    male: bool


def successor(members: list[Member], gone: int) -> dict[int, str]:
    """New 続柄 by member index, the new head included; empty if nobody remains."""
    remaining = [i for i in range(len(members)) if i != gone]
    if not remaining:
        return {}
    spouses = [i for i in remaining if members[i].relation in ("妻", "夫")]
    adults = [i for i in remaining if members[i].age >= 18] or remaining
    head = spouses[0] if spouses else max(adults, key=lambda i: members[i].age)
    new = members[head]
    result = {head: "世帯主"}
    for i in remaining:
        if i != head:
            result[i] = _relative(new, members[i])
    return result


def _relative(head: Member, other: Member) -> str:
    """other's 続柄 to the new head, from both their 続柄 to the old head."""
    if other.relation == LODGER:
        return LODGER
    if head.relation in ("妻", "夫"):
        return _to_widowed(head, other)
    if head.relation == "子":
        return _to_child(head, other)
    return OTHER_RELATIVE


def _to_widowed(head: Member, other: Member) -> str:
    late = "夫" if head.relation == "妻" else "妻"  # the deceased, as seen from the new head
    own = {
        "子": "子",
        "孫": "孫",
        "子の妻": "子の妻",
        "父": f"{late}の父",
        "母": f"{late}の母",
        f"{head.relation}の父": "父",
        f"{head.relation}の母": "母",
    }
    return own.get(other.relation, OTHER_RELATIVE)


def _to_child(head: Member, other: Member) -> str:
    if other.relation in ("妻", "夫"):
        return "母" if other.relation == "妻" else "父"
    if other.relation == "子":
        older = other.age > head.age
        return ("兄" if older else "弟") if other.male else ("姉" if older else "妹")
    if other.relation in ("父", "母"):
        return "祖父" if other.relation == "父" else "祖母"
    if head.male and other.relation == "子の妻":
        return "妻"
    if head.male and other.relation == "孫":
        return "子"
    return OTHER_RELATIVE
