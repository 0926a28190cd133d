"""Applications, issuance, re-issue, the PDF and the template over HTTP and in the services."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from damage.factory import URAYASU, make_dwelling, make_event, make_household, survey_input
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.audit.models import AuditEntry
from sonae.certificate.service import issue, latest_certificate
from sonae.damage.levels import DamageLevel
from sonae.damage.models import SurveyRound
from sonae.damage.service import record_survey
from sonae.errors import InvalidInputError
from sonae.event.models import EventPhase
from sonae.security.roles import Role


def judged_household(session: Session, event_id: int, ratio: float) -> tuple[str, list[Any], int]:
    household, people = make_household(
        session, members=2, head_name="罹災 花子", address="浦安市当代島一丁目2番3号"
    )
    dwelling = make_dwelling(session, households=(household,))
    record_survey(
        session=session,
        municipality_code=URAYASU,
        event_id=event_id,
        data=survey_input(dwelling.id, direct_ratio=ratio),
        recorded_by="tester",
    )
    return household, people, dwelling.id


def fonts_of(reader: PdfReader) -> list[dict[str, Any]]:
    found = []
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        found.append(
            {
                "subtype": font["/Subtype"],
                "name": str(descriptor["/FontName"]),
                "embedded": "/FontFile2" in descriptor,
                "size": len(descriptor["/FontFile2"].get_object().get_data()),
            }
        )
    return found


def test_apply_issue_print_and_reissue(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]]
) -> None:
    event = make_event(session, name="令和8年テスト地震")
    household, people, dwelling_id = judged_household(session, event.id, 42)
    hq = auth_headers(Role.hq)
    applied = client.post(
        f"/api/events/{event.id}/certificate-applications",
        json={"applicant_address_number": people[1].address_number, "channel": "online"},
        headers=hq,
    )
    assert applied.status_code == 201, applied.text
    assert applied.json()["household_number"] == household
    twice = client.post(
        f"/api/events/{event.id}/certificate-applications",
        json={"applicant_address_number": people[0].address_number},
        headers=hq,
    )
    assert twice.status_code == 409
    application_id = applied.json()["id"]
    pending = client.get(
        f"/api/events/{event.id}/certificate-applications?pending=true", headers=hq
    )
    assert [a["id"] for a in pending.json()] == [application_id]

    issued = client.post(
        f"/api/events/{event.id}/certificate-applications/{application_id}/issue", headers=hq
    )
    assert issued.status_code == 201, issued.text
    first = issued.json()
    assert (first["damage_level"], first["damage_level_label"]) == (
        "large_scale_half",
        "大規模半壊",
    )
    assert first["serial"] == f"{URAYASU}-{event.id}-000001"

    welfare = auth_headers(Role.welfare)
    pdf = client.get(f"/api/events/{event.id}/certificates/{first['serial']}/pdf", headers=welfare)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf.content))
    text = reader.pages[0].extract_text()
    for expected in (
        "罹災証明書",
        "大規模半壊",
        first["serial"],
        "罹災 花子",
        "令和8年テスト地震",
        "浦安市当代島一丁目2番3号",
        "地震",
        "浦安市長",
    ):
        assert expected in text, expected
    (font,) = fonts_of(reader)
    assert font["embedded"] and font["subtype"] == "/Type0"
    assert "IPAex" in font["name"] and "+" in font["name"]  # a subset: ABCDEF+IPAexMincho
    assert font["size"] < 200_000  # the full IPAex Mincho is about 8 MB
    export = session.scalars(
        select(AuditEntry).where(
            AuditEntry.resource == f"event/{event.id}/certificate/{first['serial']}/pdf"
        )
    ).one()
    assert export.action == "export"
    assert sorted(export.person_ids) == sorted(p.id for p in people)

    same = client.post(
        f"/api/events/{event.id}/certificate-applications/{application_id}/issue", headers=hq
    )
    assert same.status_code == 409
    assert "needs a reason" in same.text

    # A re-survey changes the judgement: the certificate is outdated until re-issued.
    record_survey(
        session=session,
        municipality_code=URAYASU,
        event_id=event.id,
        data=survey_input(dwelling_id, round=SurveyRound.second_interior, direct_ratio=51),
        recorded_by="tester",
    )
    outdated = client.get(f"/api/events/{event.id}/certificates?outdated=true", headers=hq)
    assert [c["serial"] for c in outdated.json()] == [first["serial"]]
    reissued = client.post(
        f"/api/events/{event.id}/certificate-applications/{application_id}/issue", headers=hq
    )
    assert reissued.status_code == 201, reissued.text
    second = reissued.json()
    assert second["damage_level"] == "total_collapse"
    assert second["reissue_reason"].startswith("判定の変更")
    assert second["serial"] == f"{URAYASU}-{event.id}-000002"
    assert client.get(f"/api/events/{event.id}/certificates?outdated=true", headers=hq).json() == []
    text = (
        PdfReader(
            io.BytesIO(
                client.get(
                    f"/api/events/{event.id}/certificates/{second['serial']}/pdf", headers=hq
                ).content
            )
        )
        .pages[0]
        .extract_text()
    )
    assert "全壊" in text and "大規模半壊" not in text
    assert f"第 {first['serial']} 号に代えて再交付" in text

    for blank in ("  ", "\u3000"):
        refused = client.post(
            f"/api/events/{event.id}/certificate-applications/{application_id}/issue",
            json={"reissue_reason": blank},
            headers=hq,
        )
        assert refused.status_code == 422 and "reissue_reason" in refused.text, refused.text
    with pytest.raises(InvalidInputError, match="'reissue_reason': must not be blank"):
        issue(
            session=session, municipality_code=URAYASU, event_id=event.id,
            application_id=application_id, issued_by="hq", reissue_reason=" \u3000",
        )  # fmt: skip
    lost = client.post(
        f"/api/events/{event.id}/certificate-applications/{application_id}/issue",
        json={"reissue_reason": "紛失"},
        headers=hq,
    )
    assert lost.status_code == 201
    current = latest_certificate(
        session=session, municipality_code=URAYASU, event_id=event.id, household_number=household
    )
    assert current is not None
    assert (current.serial, current.damage_level) == (
        lost.json()["serial"],
        DamageLevel.total_collapse,
    )


def test_latest_certificate_is_none_before_issue(session: Session) -> None:
    event = make_event(session)
    household, _, _ = judged_household(session, event.id, 10)
    assert (
        latest_certificate(
            session=session,
            municipality_code=URAYASU,
            event_id=event.id,
            household_number=household,
        )
        is None
    )


def test_issue_needs_a_judgement_and_an_open_workflow(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]]
) -> None:
    hq = auth_headers(Role.hq)
    event = make_event(session)
    household, people = make_household(session)
    make_dwelling(session, households=(household,))
    applied = client.post(
        f"/api/events/{event.id}/certificate-applications",
        json={"applicant_address_number": people[0].address_number},
        headers=hq,
    )
    response = client.post(
        f"/api/events/{event.id}/certificate-applications/{applied.json()['id']}/issue", headers=hq
    )
    assert response.status_code == 409
    assert "no damage judgement" in response.text
    early = make_event(session, phase=EventPhase.sheltering)
    refused = client.post(
        f"/api/events/{early.id}/certificate-applications",
        json={"applicant_address_number": people[0].address_number},
        headers=hq,
    )
    assert refused.status_code == 409
    assert "damage_certificates" in refused.text


def test_roles(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]]
) -> None:
    event = make_event(session)
    welfare = auth_headers(Role.welfare)
    assert client.get(f"/api/events/{event.id}/certificates", headers=welfare).status_code == 200
    _, people, _ = judged_household(session, event.id, 5)
    body = {"applicant_address_number": people[0].address_number}
    url = f"/api/events/{event.id}/certificate-applications"
    assert client.post(url, json=body, headers=welfare).status_code == 403
    assert (
        client.get(
            f"/api/events/{event.id}/certificates", headers=auth_headers(Role.auditor)
        ).status_code
        == 403
    )


def test_municipality_edits_the_template(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]]
) -> None:
    hq = auth_headers(Role.hq)
    current = client.get("/api/certificate-template", headers=hq).json()
    assert current["title"] == "罹災証明書"
    bad = client.put(
        "/api/certificate-template",
        json={"title": "罹災証明書", "body": "{head_name.__class__}", "issuer": "市長"},
        headers=hq,
    )
    assert bad.status_code == 422
    formatted = client.put(
        "/api/certificate-template",
        json={"title": "罹災証明書", "body": "番号 {serial:>9}", "issuer": "市長"},
        headers=hq,
    )
    assert formatted.status_code == 422
    assert "placeholder {serial} takes no format" in formatted.json()["detail"]
    saved = client.put(
        "/api/certificate-template",
        json={
            "title": "り災証明書",
            "body": "番号 {serial}\n被害の程度 {damage_level}（{criteria_version}）",
            "issuer": "浦安市長 備 太郎",
        },
        headers=hq,
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == current["version"] + 1
    event = make_event(session)
    _, people, _ = judged_household(session, event.id, 12)
    app_id = client.post(
        f"/api/events/{event.id}/certificate-applications",
        json={"applicant_address_number": people[0].address_number},
        headers=hq,
    ).json()["id"]
    cert = client.post(
        f"/api/events/{event.id}/certificate-applications/{app_id}/issue", headers=hq
    ).json()
    text = (
        PdfReader(
            io.BytesIO(
                client.get(
                    f"/api/events/{event.id}/certificates/{cert['serial']}/pdf", headers=hq
                ).content
            )
        )
        .pages[0]
        .extract_text()
    )
    assert "り災証明書" in text and "準半壊（cao-2021）" in text and "浦安市長 備 太郎" in text


@pytest.mark.parametrize("serial", ["x" * 41])
def test_long_serial_is_422(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]], serial: str
) -> None:
    event = make_event(session)
    response = client.get(f"/api/events/{event.id}/certificates/{serial}", headers=auth_headers())
    assert response.status_code == 422
