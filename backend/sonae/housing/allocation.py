"""Allocation of temporary housing as a pure function over plain data (no database).

The policy, in order (docs/livelihood_and_housing.md argues each step):

1. Priority (MHLW 2011 guidance): a household with someone aged 65 or over, someone disabled or
   in need of care, or an infant under 6 is *priority*; every other household is *general*.
2. Selection: if there are more households than units, priority households are chosen before
   general ones. Only in the tier where the units run out is there a lottery, and only among the
   households of that tier (equals): a seeded shuffle of them in application-id order, so the
   draw is reproducible from the recorded seed. Those not drawn wait, in drawn order.
3. Placement keeps neighbours together: the chosen households are grouped by chome. Groups
   whose own chome has a site go first (they can stay at home), then the largest (the hardest
   to keep together); each goes whole to one site where it fits (same-chome site first, then
   one where its general households take no barrier-free unit, then the tightest fit, then
   site id). A group that fits nowhere whole is spread household by household (barrier-free
   needs, then priority, then application id), each to the site already holding most of its
   group, else the roomiest.
4. No concentration of the vulnerable: a site takes at most `vulnerable_cap` priority households.
   The cap is a placement rule, never a reason to leave a priority household unhoused: when every
   site with room is at its cap, the household goes to the one with the fewest priority
   households, and the reason says so.
5. Barrier-free units go to households that need one first, across all sites: as many of them
   as there are households needing one still to place are held back from general households.
   A general household gets one only from the units left over beyond those, and only when its
   site has no other unit; where it could take an ordinary unit instead, it does. A needing
   household goes where a barrier-free unit is free even past that site's cap (5 before 4).

Every decision carries its reasons in Japanese, for the letter and for an appeal.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Applicant:
    application_id: int
    household_number: str
    chome: str | None
    """key of the chome the household lived in (neighbours share it); None: unknown."""
    chome_name: str
    size: int
    elderly: int = 0
    """members aged 65 or over"""
    disabled: int = 0
    """members with a disability certificate or a care level"""
    infants: int = 0
    """members under 6"""
    needs_barrier_free: bool = False

    @property
    def priority(self) -> bool:
        return self.elderly + self.disabled + self.infants > 0


@dataclass(frozen=True)
class Site:
    site_id: int
    name: str
    chome: str | None
    units: int
    barrier_free_units: int
    vulnerable_cap: int


@dataclass(frozen=True)
class Decision:
    application_id: int
    household_number: str
    site_id: int | None
    barrier_free: bool
    priority: bool
    lottery_rank: int | None
    """1-based position in the draw, for households that were in the lottery."""
    waiting_rank: int | None
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "。".join(self.reasons) + "。"


@dataclass(frozen=True)
class Allocation:
    seed: int
    decisions: tuple[Decision, ...]
    lottery_pool: tuple[int, ...]
    """application ids of the tier that was drawn, in drawn order (empty: no lottery)."""


def default_vulnerable_cap(units: int, barrier_free_units: int) -> int:
    """Half the site (rounded up), never fewer than its barrier-free units."""
    return max(barrier_free_units, (units + 1) // 2)


def priority_reason(a: Applicant) -> str:
    parts = []
    if a.elderly:
        parts.append("65歳以上の方")
    if a.disabled:
        parts.append("障害・要介護の方")
    if a.infants:
        parts.append("6歳未満の乳幼児")
    if not parts:
        return "一般世帯"
    return f"優先世帯（{'・'.join(parts)}がいる）"


@dataclass
class _Room:
    site: Site
    plain: int
    barrier_free: int
    vulnerable: int = 0
    chome_count: dict[str | None, int] = field(default_factory=dict)

    @property
    def free(self) -> int:
        return self.plain + self.barrier_free

    @property
    def cap_left(self) -> int:
        return self.site.vulnerable_cap - self.vulnerable


@dataclass
class _Draft:
    applicant: Applicant
    reasons: list[str]
    lottery_rank: int | None = None
    waiting_rank: int | None = None
    site_id: int | None = None
    barrier_free: bool = False


def allocate(applicants: Sequence[Applicant], sites: Sequence[Site], *, seed: int) -> Allocation:
    drafts = {a.application_id: _Draft(a, [priority_reason(a)]) for a in applicants}
    chosen, pool = _select(applicants, sum(s.units for s in sites), seed, drafts)
    rooms = [
        _Room(s, plain=s.units - s.barrier_free_units, barrier_free=s.barrier_free_units)
        for s in sorted(sites, key=lambda s: s.site_id)
    ]
    _place(chosen, rooms, drafts)
    decisions = tuple(
        Decision(
            application_id=d.applicant.application_id,
            household_number=d.applicant.household_number,
            site_id=d.site_id,
            barrier_free=d.barrier_free,
            priority=d.applicant.priority,
            lottery_rank=d.lottery_rank,
            waiting_rank=d.waiting_rank,
            reasons=tuple(d.reasons),
        )
        for d in sorted(drafts.values(), key=lambda d: d.applicant.application_id)
    )
    return Allocation(seed=seed, decisions=decisions, lottery_pool=tuple(pool))


def _select(
    applicants: Sequence[Applicant], units: int, seed: int, drafts: dict[int, _Draft]
) -> tuple[list[Applicant], list[int]]:
    """Priority tier first, then general; a seeded lottery only inside the tier that overflows."""
    if len(applicants) <= units:
        for a in applicants:
            drafts[a.application_id].reasons.append("申込世帯数が戸数以内のため全世帯に供与")
        return list(applicants), []
    chosen: list[Applicant] = []
    pool: list[int] = []
    for tier in (True, False):
        members = sorted(
            (a for a in applicants if a.priority is tier), key=lambda a: a.application_id
        )
        room = units - len(chosen)
        if len(members) <= room:
            chosen.extend(members)
            for a in members:
                drafts[a.application_id].reasons.append("同順位の世帯が全て入居できるため抽選なし")
        elif room == 0:
            for a in members:
                drafts[a.application_id].reasons.append(
                    "優先世帯で全戸が埋まったため待機（一般世帯は抽選なし）"
                )
        else:
            pool = _draw(members, room, seed, tier, drafts)
            chosen.extend(a for a in members if a.application_id in pool[:room])
            room = 0
            units = len(chosen)  # later tiers find no room left
    return chosen, pool


def _draw(
    members: list[Applicant], room: int, seed: int, tier: bool, drafts: dict[int, _Draft]
) -> list[int]:
    """The lottery: a shuffle of the tier, seeded, from application-id order."""
    drawn = list(members)
    random.Random(seed).shuffle(drawn)
    label = "優先世帯" if tier else "一般世帯"
    lead = f"{label}{len(drawn)}世帯で残り{room}戸を抽選（シード{seed}）し{{rank}}番"
    for rank, a in enumerate(drawn, start=1):
        draft = drafts[a.application_id]
        draft.lottery_rank = rank
        if rank <= room:
            draft.reasons.append(lead.format(rank=rank) + "で当選")
        else:
            draft.waiting_rank = rank - room
            draft.reasons.append(lead.format(rank=rank) + f"、待機順位{rank - room}")
    return [a.application_id for a in drawn]


@dataclass
class _Reserve:
    """Barrier-free units held back for the households needing one not yet placed (rule 5).

    The hold is across all sites, not per site: a general household placed early must not take
    the only barrier-free unit a needing household placed later could have had.
    """

    rooms: list[_Room]
    needing_left: int

    def spare(self) -> int:
        """Barrier-free units beyond the needing households still to place."""
        return max(0, sum(r.barrier_free for r in self.rooms) - self.needing_left)

    def for_general(self, room: _Room) -> int:
        """Units of this room a general household may take."""
        return room.plain + min(room.barrier_free, self.spare())


def _place(chosen: list[Applicant], rooms: list[_Room], drafts: dict[int, _Draft]) -> None:
    reserve = _Reserve(rooms, needing_left=sum(a.needs_barrier_free for a in chosen))
    groups: dict[str | None, list[Applicant]] = defaultdict(list)
    singles: list[list[Applicant]] = []
    for a in sorted(chosen, key=lambda a: a.application_id):
        if a.chome is None:
            singles.append([a])
        else:
            groups[a.chome].append(a)
    home = {r.site.chome for r in rooms if r.site.chome is not None}
    # groups with a site in their own chome first (they can stay home), then the largest
    blocks = sorted(
        groups.values(), key=lambda b: (b[0].chome not in home, -len(b), b[0].chome or "")
    )
    blocks += singles
    for block in blocks:
        room = _whole_fit(block, reserve)
        if room is not None:
            for a in _needs_first(block):
                _put(a, room, drafts[a.application_id], reserve)
                if len(block) > 1:
                    drafts[a.application_id].reasons.append(
                        f"同じ丁目（{a.chome_name}）の{len(block)}世帯をまとめて{room.site.name}に配置"
                    )
            continue
        for a in _needs_first(block):
            target = _best_single(a, reserve)
            _put(a, target, drafts[a.application_id], reserve)
            drafts[a.application_id].reasons.append(
                f"同じ丁目（{a.chome_name}）の{len(block)}世帯が一か所に入る空きがなく、"
                f"同じ丁目の世帯が最も多い{target.site.name}に配置"
            )


def _needs_first(block: list[Applicant]) -> list[Applicant]:
    return sorted(block, key=lambda a: (not a.needs_barrier_free, not a.priority, a.application_id))


def _whole_fit(block: list[Applicant], reserve: _Reserve) -> _Room | None:
    vulnerable = sum(a.priority for a in block)
    needing = sum(a.needs_barrier_free for a in block)
    general = len(block) - needing
    # the block's needing households take barrier-free units here, which leaves the spare as it
    # is (one unit and one needing household fewer): the general ones may use the rest of it
    fits = [
        r
        for r in reserve.rooms
        if r.free >= len(block)
        and r.cap_left >= vulnerable
        and r.barrier_free >= needing
        and general <= r.plain + min(r.barrier_free - needing, reserve.spare())
    ]
    if not fits:
        return None
    chome = block[0].chome
    return min(
        fits,
        key=lambda r: (
            r.site.chome != chome,
            max(0, general - r.plain),  # barrier-free units general households would take
            r.free - len(block),
            r.site.site_id,
        ),
    )


def _best_single(a: Applicant, reserve: _Reserve) -> _Room:
    open_rooms = [r for r in reserve.rooms if r.free > 0]
    if a.needs_barrier_free and any(r.barrier_free > 0 for r in open_rooms):
        # before the cap: the cap spreads the vulnerable, it never costs one the unit they need
        open_rooms = [r for r in open_rooms if r.barrier_free > 0]
    elif not a.needs_barrier_free and any(reserve.for_general(r) > 0 for r in open_rooms):
        open_rooms = [r for r in open_rooms if reserve.for_general(r) > 0]
    if a.priority and any(r.cap_left > 0 for r in open_rooms):
        open_rooms = [r for r in open_rooms if r.cap_left > 0]
    if a.priority and all(r.cap_left <= 0 for r in open_rooms):
        # every site is at its cap: spread the excess to the least concentrated site
        return min(open_rooms, key=lambda r: (r.vulnerable / r.site.units, r.site.site_id))
    return min(
        open_rooms,
        key=lambda r: (
            -r.chome_count.get(a.chome, 0),
            r.site.chome != a.chome,
            not a.needs_barrier_free and r.plain == 0,
            -r.free,
            r.site.site_id,
        ),
    )


def _put(a: Applicant, room: _Room, draft: _Draft, reserve: _Reserve) -> None:
    if a.priority and room.cap_left <= 0:
        everywhere = all(r.cap_left <= 0 for r in reserve.rooms if r.free > 0)
        why = "全ての空きのある住宅" if everywhere else "バリアフリー住戸の空きのある住宅"
        draft.reasons.append(
            f"{why}で優先世帯の上限に達したため、{room.site.name}の上限"
            f"（{room.site.vulnerable_cap}戸）を超えて配置"
        )
    if a.needs_barrier_free:
        reserve.needing_left -= 1
        if room.barrier_free > 0:
            room.barrier_free -= 1
            draft.barrier_free = True
            draft.reasons.append("バリアフリー住戸を必要とするためバリアフリー住戸")
        else:
            room.plain -= 1
            draft.reasons.append("バリアフリー住戸の空きがなく一般住戸（改修を要する）")
    elif room.plain > 0:
        room.plain -= 1
    else:
        room.barrier_free -= 1
        draft.barrier_free = True
        draft.reasons.append(
            "一般住戸の空きがなく、バリアフリー住戸を必要とする世帯の分を除いて余ったバリアフリー住戸"
        )
    room.vulnerable += a.priority
    room.chome_count[a.chome] = room.chome_count.get(a.chome, 0) + 1
    draft.site_id = room.site.site_id
