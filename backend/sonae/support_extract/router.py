"""Consent (welfare) and district extracts (welfare, hq, supporters) over HTTP.

A supporter (避難支援等関係者) gets only their own district; in normal times only the people who
agreed to share (49条の11), in disaster mode everyone listed there. Extracts are audited by the
extract service itself; consent reads and writes here.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response, status

from sonae.api.deps import DbSession
from sonae.api.params import Id
from sonae.audit import service as audit
from sonae.errors import PermissionDeniedError
from sonae.municipality import service as municipality_service
from sonae.security.deps import CurrentUser, require_roles
from sonae.security.roles import Principal, Role
from sonae.support.models import ConsentScope
from sonae.support_extract import consent as consent_service
from sonae.support_extract.disaster_mode import disaster_mode_state
from sonae.support_extract.export import MEDIA_TYPES, SUFFIXES, ExportFormat, export_bytes
from sonae.support_extract.extract import Extract, ExtractMode, extract_districts
from sonae.support_extract.schemas import (
    ConsentImportOut,
    ConsentIn,
    ConsentOut,
    DisasterModeHolderOut,
    DisasterModeOut,
    ExtractOut,
    ExtractRowOut,
)

router = APIRouter(tags=["support list: consent and extracts"])

Welfare = Annotated[Principal, Depends(require_roles(Role.welfare))]
Extractor = Annotated[Principal, Depends(require_roles(Role.welfare, Role.hq, Role.supporter))]


@router.post("/api/consents", status_code=status.HTTP_201_CREATED, summary="Record a decision")
def record(body: ConsentIn, principal: Welfare, session: DbSession, request: Request) -> ConsentOut:
    stored = consent_service.record_consent(
        session=session,
        municipality_code=principal.municipality_code,
        person_id=body.person_id,
        scope=body.scope,
        status=body.status,
        decided_on=body.decided_on,
        recorded_by=principal.username,
        principal=principal,
        request=request,
        note=body.note,
    )
    return ConsentOut.model_validate(stored)


@router.post(
    "/api/consents/import",
    status_code=status.HTTP_201_CREATED,
    summary="Import decisions from a CSV body (宛名番号, 同意, 同意日; UTF-8 or cp932)",
)
async def import_csv(
    request: Request,
    principal: Welfare,
    session: DbSession,
    scope: Annotated[ConsentScope, Query()],
    name: Annotated[str, Query(max_length=200)] = "consent.csv",
) -> ConsentImportOut:
    content = await request.body()
    summary = consent_service.import_consent_csv(
        session=session,
        municipality_code=principal.municipality_code,
        name=name,
        content=content,
        scope=scope,
        recorded_by=principal.username,
        principal=principal,
        request=request,
    )
    return ConsentImportOut(rows=summary.rows, by_status=summary.by_status)


@router.get("/api/consents/{person_id}", summary="Every decision for a person (audited)")
def history(
    person_id: Id, principal: Welfare, session: DbSession, request: Request
) -> list[ConsentOut]:
    found = consent_service.consent_history(
        session=session, municipality_code=principal.municipality_code, person_id=person_id
    )
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource=f"person/{person_id}/consent",
        person_ids=[person_id],
        fields=["consent"],
        purpose_code="support_list_consent",
        request=request,
    )
    return [ConsentOut.model_validate(c) for c in found]


@router.get("/api/disaster-mode", summary="Whether disaster mode is on, and which events hold it")
def disaster_mode(principal: CurrentUser, session: DbSession) -> DisasterModeOut:
    state = disaster_mode_state(session=session, municipality_code=principal.municipality_code)
    if not state.active:
        last = state.last_switch
        return DisasterModeOut(
            active=False, since=state.since, reason=last.reason if last else None
        )
    area = state.area
    return DisasterModeOut(
        active=True,
        since=state.since,
        reason=" / ".join(h.reason for h in state.holders),
        held_by=[
            DisasterModeHolderOut(
                event_id=h.event_id,
                since=h.since,
                reason=h.reason,
                affected_chome=None if h.affected_chome is None else sorted(h.affected_chome),
            )
            for h in state.holders
        ],
        affected_chome=None if area is None else sorted(area),
    )


def allowed_districts(principal: Principal, districts: list[str] | None) -> list[str] | None:
    """welfare and hq: any district (None: all); a supporter: their own district only."""
    if principal.has(Role.welfare, Role.hq):
        return districts
    if principal.district is None:
        raise PermissionDeniedError("this supporter account has no district")
    if districts and set(districts) != {principal.district}:
        raise PermissionDeniedError("a supporter may only extract their own district")
    return [principal.district]


@router.get(
    "/api/support-lists/{build_id}/extract",
    summary="A district extract: JSON, CSV, CSV (cp932), GeoPackage or printable HTML (audited)",
    response_model=None,
)
def extract(
    build_id: Id,
    principal: Extractor,
    session: DbSession,
    request: Request,
    district: Annotated[list[str] | None, Query()] = None,
    mode: Annotated[ExtractMode, Query()] = ExtractMode.normal,
    fmt: Annotated[str, Query(alias="format", pattern="^(json|csv|csv-cp932|gpkg|html)$")] = "json",
) -> ExtractOut | Response:
    result = extract_districts(
        session=session,
        municipality_code=principal.municipality_code,
        build_id=build_id,
        districts=allowed_districts(principal, district),
        mode=mode,
        principal=principal,
        request=request,
    )
    if fmt == "json":
        return _json(result)
    file_format = ExportFormat(fmt)
    name = municipality_service.get(session=session, code=principal.municipality_code).name
    content = export_bytes(result, file_format, municipality_name=name)
    filename = (
        f"support_list_{build_id}_{'_'.join(result.districts) or 'all'}{SUFFIXES[file_format]}"
    )
    return Response(
        content=content,
        media_type=MEDIA_TYPES[file_format],
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "no-store",
        },
    )


def _json(result: Extract) -> ExtractOut:
    return ExtractOut(
        build_id=result.build.id,
        rule_set_version=result.rule_set_version,
        mode=str(result.mode),
        districts=result.districts,
        left_out_without_consent=result.left_out_without_consent,
        left_out_not_resident=result.left_out_not_resident,
        rows=[ExtractRowOut.model_validate(row, from_attributes=True) for row in result.rows],
    )
