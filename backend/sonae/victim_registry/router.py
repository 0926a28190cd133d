"""The victim registry over HTTP (hq, welfare): one household, supports, provisions, export.

Every read and export of the registry, and every support or provision recorded, is audited with
the members' person ids: a resident's access history (開示) lists them all.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from sonae import japan_time
from sonae.api.deps import DbSession
from sonae.api.params import Id
from sonae.audit import service as audit
from sonae.damage.levels import DAMAGE_LEVEL_LABELS
from sonae.errors import NotFoundError
from sonae.housing.models import HOUSING_STATUS_LABELS
from sonae.livelihood.models import APPLICATION_STATUS_LABELS
from sonae.livelihood.table import SUPPORT_KIND_LABELS
from sonae.registry.models import Person
from sonae.security.deps import require_roles
from sonae.security.roles import Principal, Role
from sonae.victim_registry import service
from sonae.victim_registry.export import to_csv
from sonae.victim_registry.households import members
from sonae.victim_registry.models import SUPPORT_GIVEN_LABELS
from sonae.victim_registry.schemas import (
    CertificateOut,
    HouseholdRecordOut,
    MemberOut,
    ProvisionIn,
    ProvisionOut,
    SafetyOut,
    SupportIn,
    SupportLineOut,
)

router = APIRouter(prefix="/api/victim-registry", tags=["victim registry"])

Staff = Annotated[Principal, Depends(require_roles(Role.hq, Role.welfare))]
Household = Annotated[str, Path(min_length=1, max_length=15)]
PURPOSE = "victim_registry"
FIELDS = ["name", "birth_date", "sex", "address", "phone", "care_reasons", "damage", "supports"]


@router.get("/{event_id}/households/{household_number}", summary="One household (audited)")
def household(
    event_id: Id,
    household_number: Household,
    principal: Staff,
    session: DbSession,
    request: Request,
) -> HouseholdRecordOut:
    record = service.household_record(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        household_number=household_number,
        as_of=japan_time.today(),
    )
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource=f"event/{event_id}/victim-registry/household",
        person_ids=record.person_ids,
        fields=FIELDS,
        purpose_code=PURPOSE,
        request=request,
    )
    return _out(record)


@router.get(
    "/{event_id}/people/{person_id}",
    summary="The household record of the household a person lives in (audited)",
)
def person(
    event_id: Id, person_id: Id, principal: Staff, session: DbSession, request: Request
) -> HouseholdRecordOut:
    found = session.get(Person, (principal.municipality_code, person_id))
    if found is None:
        raise NotFoundError(f"person {person_id}: not found")
    return household(event_id, found.household_number, principal, session, request)


@router.post(
    "/{event_id}/households/{household_number}/supports",
    status_code=status.HTTP_201_CREATED,
    summary="Record a donation (義援金), fee exemption or other support given",
)
def add_support(
    event_id: Id,
    household_number: Household,
    body: SupportIn,
    principal: Staff,
    session: DbSession,
    request: Request,
) -> SupportLineOut:
    support = service.record_support(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        household_number=household_number,
        kind=body.kind,
        description=body.description,
        given_on=body.given_on,
        recorded_by=principal.username,
        amount=body.amount,
        person_id=body.person_id,
    )
    _audit_household_write(
        session, principal, request, event_id, household_number, "support", "supports"
    )
    return SupportLineOut(
        kind=support.kind.value,
        label=f"{SUPPORT_GIVEN_LABELS[support.kind]}：{support.description}",
        amount=support.amount,
        on=support.given_on,
    )


@router.post(
    "/{event_id}/households/{household_number}/provisions",
    status_code=status.HTTP_201_CREATED,
    summary="Record to whom the household's registry data was provided (法第90条の4)",
)
def add_provision(
    event_id: Id,
    household_number: Household,
    body: ProvisionIn,
    principal: Staff,
    session: DbSession,
    request: Request,
) -> ProvisionOut:
    provision = service.record_provision(
        session=session,
        municipality_code=principal.municipality_code,
        event_id=event_id,
        household_number=household_number,
        recipient=body.recipient,
        purpose=body.purpose,
        items=body.items,
        provided_on=body.provided_on,
        recorded_by=principal.username,
    )
    _audit_household_write(
        session,
        principal,
        request,
        event_id,
        household_number,
        "provision",
        "provisions",
        detail={"items": len(provision.items)},
    )
    return ProvisionOut.model_validate(provision)


@router.get(
    "/{event_id}/export",
    summary="The registry of an event as CSV (UTF-8 BOM, Japanese headers; audited export)",
    response_class=Response,
)
def export(
    event_id: Id,
    principal: Staff,
    session: DbSession,
    request: Request,
    household: Annotated[list[str] | None, Query(max_length=1000)] = None,
) -> Response:
    numbers = household or service.registered_households(
        session=session, municipality_code=principal.municipality_code, event_id=event_id
    )
    records = [
        service.household_record(
            session=session,
            municipality_code=principal.municipality_code,
            event_id=event_id,
            household_number=number,
            as_of=japan_time.today(),
            asked_for=bool(household),
        )
        for number in numbers
    ]
    audit.record(
        session=session,
        principal=principal,
        action="export",
        resource=f"event/{event_id}/victim-registry",
        person_ids=[pid for r in records for pid in r.person_ids],
        fields=FIELDS,
        purpose_code=PURPOSE,
        request=request,
        detail={"households": len(records)},
    )
    filename = f"victim_registry_{event_id}.csv"
    return Response(
        content=to_csv(records),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "no-store",
        },
    )


def _member_ids(session: DbSession, principal: Principal, household_number: str) -> list[int]:
    """The household's members: a support or a provision concerns each of them."""
    people = members(
        session=session,
        municipality_code=principal.municipality_code,
        household_number=household_number,
    )
    return [p.id for p in people]


def _out(record: service.HouseholdRecord) -> HouseholdRecordOut:
    certificate = record.certificate
    supports = [
        SupportLineOut(
            kind=f"livelihood_{a.kind.value}",
            label=f"被災者生活再建支援金（{SUPPORT_KIND_LABELS[a.kind]}）",
            status=APPLICATION_STATUS_LABELS[a.status],
            amount=a.amount,
            on=a.applied_on,
        )
        for a in record.livelihood
    ]
    supports += [
        SupportLineOut(
            kind="temporary_housing",
            label="応急仮設住宅",
            status=HOUSING_STATUS_LABELS[h.status],
            on=h.moved_in_on or h.applied_on,
        )
        for h in record.housing
    ]
    supports += [
        SupportLineOut(
            kind=s.kind.value,
            label=f"{SUPPORT_GIVEN_LABELS[s.kind]}：{s.description}",
            amount=s.amount,
            on=s.given_on,
        )
        for s in record.supports
    ]
    return HouseholdRecordOut(
        event_id=record.event_id,
        household_number=record.household_number,
        members=[
            MemberOut(
                person_id=m.person.id,
                address_number=m.person.address_number,
                name=m.person.name,
                name_kana=m.person.name_kana,
                birth_date=m.person.birth_date,
                sex=m.person.sex.value,
                relation_to_head=m.person.relation_to_head,
                address=m.person.address_text
                + (f" {m.person.address_annex}" if m.person.address_annex else ""),
                phone=m.welfare.phone if m.welfare else None,
                care_reasons=list(m.care_reasons),
            )
            for m in record.members
        ],
        certificate=CertificateOut(
            serial=certificate.serial,
            damage_level=certificate.damage_level.value,
            damage_level_label=DAMAGE_LEVEL_LABELS[certificate.damage_level],
            issued_at=certificate.issued_at,
        )
        if certificate
        else None,
        supports=supports,
        safety=[
            SafetyOut(person_id=s.person_id, kind=s.kind, summary=s.summary, at=s.at)
            for s in record.safety
        ],
        provisions=[ProvisionOut.model_validate(p) for p in record.provisions],
    )


def _audit_household_write(
    session: DbSession,
    principal: Principal,
    request: Request,
    event_id: int,
    household_number: str,
    what: str,
    field: str,
    detail: dict[str, object] | None = None,
) -> None:
    """A support or provision concerns the whole household: every member is named."""
    audit.record(
        session=session,
        principal=principal,
        action="create",
        resource=f"event/{event_id}/victim-registry/{what}",
        person_ids=_member_ids(session, principal, household_number),
        fields=[field],
        purpose_code=PURPOSE,
        request=request,
        detail=detail,
    )
