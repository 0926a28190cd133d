"""The support list over HTTP: rules (versions), builds, entries and diffs.

Roles: welfare keeps the list (builds it, changes the rules); welfare and hq read it. Every read
of entries or diffs is recorded in the audit trail with the people's ids, in the same
transaction as the read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.api.deps import DbSession
from sonae.api.params import Id, Offset
from sonae.audit import service as audit
from sonae.registry.models import Person
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role
from sonae.shelter.models import Shelter
from sonae.support import service
from sonae.support.build import build_support_list
from sonae.support.diff import diff_builds
from sonae.support.rules import SupportRules, default_rules
from sonae.support.schemas import (
    BuildIn,
    BuildOut,
    ChangeOut,
    DiffItemOut,
    DiffOut,
    EntriesPage,
    EntryOut,
    HazardOut,
    RuleSetOut,
)

router = APIRouter(tags=["support list"])

Keeper = Annotated[Principal, Depends(require_roles(Role.welfare))]
Reader = Annotated[Principal, Depends(require_roles(Role.welfare, Role.hq))]
MAX_PAGE = 1000


@router.get("/api/support-rules", summary="The inclusion criteria in force")
def current_rules(principal: Reader, session: DbSession) -> RuleSetOut:
    """Before any version is stored, the shipped default (version 0: not stored yet)."""
    rule_set = service.latest_rule_set(
        session=session, municipality_code=principal.municipality_code
    )
    if rule_set is None:
        return RuleSetOut(
            id=0,
            version=0,
            name=default_rules().name,
            rules=default_rules().model_dump(mode="json"),
            created_by="default",
            created_at=datetime.now(UTC),
        )
    return RuleSetOut.model_validate(rule_set)


@router.get("/api/support-rules/versions", summary="Every version of the criteria")
def rule_versions(principal: Reader, session: DbSession) -> list[RuleSetOut]:
    rule_sets = service.list_rule_sets(
        session=session, municipality_code=principal.municipality_code
    )
    return [RuleSetOut.model_validate(r) for r in rule_sets]


@router.post(
    "/api/support-rules",
    status_code=status.HTTP_201_CREATED,
    summary="Store new criteria as the next version (never edits an old one)",
)
def new_rules(rules: SupportRules, principal: Keeper, session: DbSession) -> RuleSetOut:
    rule_set = service.create_rule_set(
        session=session,
        municipality_code=principal.municipality_code,
        rules=rules,
        created_by=principal.username,
    )
    return RuleSetOut.model_validate(rule_set)


@router.post(
    "/api/support-lists",
    status_code=status.HTTP_201_CREATED,
    summary="Build and store a new version of the list",
)
def build(body: BuildIn, principal: Keeper, session: DbSession) -> BuildOut:
    result = build_support_list(
        session=session,
        municipality_code=principal.municipality_code,
        built_by=principal.username,
        as_of=body.as_of or japan_time.today(),
        rule_set_id=body.rule_set_id,
    )
    return BuildOut.model_validate(result)


@router.get("/api/support-lists", summary="Stored builds, newest first (counts only)")
def builds(principal: Reader, session: DbSession) -> list[BuildOut]:
    found = service.list_builds(session=session, municipality_code=principal.municipality_code)
    return [BuildOut.model_validate(b) for b in found]


@router.get("/api/support-lists/{build_id}", summary="One build (counts only)")
def one_build(build_id: Id, principal: Reader, session: DbSession) -> BuildOut:
    found = service.get_build(
        session=session, municipality_code=principal.municipality_code, build_id=build_id
    )
    return BuildOut.model_validate(found)


@router.get("/api/support-lists/{build_id}/entries", summary="Listed people (audited)")
def entries(
    build_id: Id,
    principal: Reader,
    session: DbSession,
    request: Request,
    district: Annotated[list[str] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[Offset, Query()] = 0,
) -> EntriesPage:
    code = principal.municipality_code
    total, rows = service.list_entries(
        session=session,
        municipality_code=code,
        build_id=build_id,
        districts=district,
        limit=limit,
        offset=offset,
    )
    build_row = service.get_build(session=session, municipality_code=code, build_id=build_id)
    labels = service.rules_of(
        service.get_rule_set(
            session=session, municipality_code=code, rule_set_id=build_row.rule_set_id
        )
    ).labels()
    people = _people(session, code, [e.person_id for e in rows])
    shelter_names = session.execute(
        select(Shelter.id, Shelter.name).where(
            Shelter.municipality_code == code,
            Shelter.id.in_([e.shelter_id for e in rows if e.shelter_id]),
        )
    )
    shelters = {shelter_id: name for shelter_id, name in shelter_names}
    items = [
        EntryOut(
            person_id=e.person_id,
            address_number=people[e.person_id][0],
            name=people[e.person_id][1],
            district=e.district,
            age=e.age,
            reasons=e.reasons,
            reason_labels=[labels.get(c, c) for c in e.reasons],
            hazards=[HazardOut.model_validate(h) for h in e.hazards],
            priority=e.priority,
            shelter_id=e.shelter_id,
            shelter_name=shelters.get(e.shelter_id) if e.shelter_id else None,
            shelter_distance_m=e.shelter_distance_m,
        )
        for e in rows
    ]
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource=f"support_list_build/{build_id}/entries",
        person_ids=[item.person_id for item in items],
        fields=["address_number", "name", "age", "reasons", "hazards", "shelter"],
        purpose_code="support_list",
        request=request,
        detail={"districts": district or [], "offset": offset, "rows": len(items)},
    )
    return EntriesPage(build_id=build_id, total=total, offset=offset, items=items)


@router.get(
    "/api/support-lists/{build_id}/diff/{other_build_id}",
    summary="Who was added, removed or changed between two builds, and why (audited)",
)
def diff(
    build_id: Id, other_build_id: Id, principal: Reader, session: DbSession, request: Request
) -> DiffOut:
    code = principal.municipality_code
    result = diff_builds(
        session=session, municipality_code=code, build_id=build_id, other_build_id=other_build_id
    )
    people = _people(session, code, [i.person_id for i in result.items])
    items = [
        DiffItemOut(
            person_id=i.person_id,
            address_number=people.get(i.person_id, ("", ""))[0],
            name=people.get(i.person_id, ("", ""))[1],
            kind=i.kind,
            district=i.district,
            changes=[ChangeOut(code=c.code, label=c.label, detail=c.detail) for c in i.changes],
            reasons_before=i.reasons_before,
            reasons_after=i.reasons_after,
        )
        for i in result.items
    ]
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource=f"support_list_build/{build_id}/diff/{other_build_id}",
        person_ids=[i.person_id for i in items],
        fields=["address_number", "name", "reasons"],
        purpose_code="support_list",
        request=request,
    )
    return DiffOut(
        build_id=build_id,
        other_build_id=other_build_id,
        rules_changed=result.build.rule_set_id != result.other.rule_set_id,
        counts=result.counts(),
        items=items,
    )


def _people(session: Session, municipality_code: str, ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = session.execute(
        select(Person.id, Person.address_number, Person.name).where(
            Person.municipality_code == municipality_code, service.among(Person.id, ids)
        )
    )
    return {pid: (number, name) for pid, number, name in rows}
