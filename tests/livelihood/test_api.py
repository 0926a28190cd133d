"""The livelihood-support API over HTTP: the counter estimate, applications, notices, letters."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from livelihood.factory import issue_certificate, make_event, make_household
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.audit.models import AuditAction, AuditEntry
from sonae.damage.levels import DamageLevel
from sonae.event.models import EventPhase
from sonae.livelihood.models import LivelihoodApplication
from sonae.security.roles import Role

Headers = Callable[..., dict[str, str]]
ESTIMATE = "/api/livelihood-support/estimate"


def test_estimate_over_http(client: TestClient, auth_headers: Headers) -> None:
    """Single person, 全壊, building: ¾ × (1,000,000 + 2,000,000) = 750,000 + 1,500,000."""
    hq = auth_headers(Role.hq)
    response = client.get(
        ESTIMATE,
        params={"damage_level": "total_collapse", "household_size": 1, "plan": "build"},
        headers=hq,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["basic"], body["additional"], body["total"]) == (750_000, 1_500_000, 2_250_000)
    assert (body["damage_level_label"], body["plan_label"]) == ("全壊", "建設・購入")
    assert body["basic_label"] == "基礎支援金"


def test_estimate_levels_outside_the_certificate(client: TestClient, auth_headers: Headers) -> None:
    welfare = auth_headers(Role.welfare)
    for level, plan, size, total in (
        ("demolition", "rent", 3, 1_500_000),
        ("long_term_evacuation", "repair", 2, 2_000_000),
        ("medium_scale_half", "none", 4, 0),
        ("half", "build", 2, 0),
    ):
        body = client.get(
            ESTIMATE,
            params={"damage_level": level, "household_size": size, "plan": plan},
            headers=welfare,
        ).json()
        assert body["total"] == total, level


def test_repair_is_refused_for_a_demolished_dwelling(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    """The counter estimate and the application refuse it alike, naming the field (422)."""
    hq = auth_headers(Role.hq)
    params = {"damage_level": "demolition", "household_size": 2, "plan": "repair"}
    estimated = client.get(ESTIMATE, params=params, headers=hq)
    assert estimated.status_code == 422, estimated.text
    assert estimated.json()["detail"].startswith("field 'plan': repair (補修) is not possible")

    event = make_event(session, phase=EventPhase.damage_certification)
    make_household(session, "LA-D", [date(1960, 1, 1), date(1962, 2, 2)])
    issue_certificate(session, event, "LA-D", DamageLevel.half)
    body = {
        "event_id": event.id,
        "household_number": "LA-D",
        "kind": "additional",
        "plan": "repair",
        "applied_on": "2024-02-01",
        "demolition": True,
    }
    applications = "/api/livelihood-support/applications"
    refused = client.post(applications, json=body, headers=hq)
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"].startswith("field 'plan': repair (補修) is not possible")
    assert (
        session.scalars(
            select(LivelihoodApplication).where(LivelihoodApplication.household_number == "LA-D")
        ).first()
        is None
    )
    built = client.post(applications, json={**body, "plan": "build"}, headers=hq)
    assert (built.status_code, built.json()["amount"]) == (201, 2_000_000), built.text


def test_estimate_needs_a_role_and_valid_input(client: TestClient, auth_headers: Headers) -> None:
    params = {"damage_level": "total_collapse", "household_size": 2}
    assert client.get(ESTIMATE, params=params).status_code == 401
    supporter = auth_headers(Role.supporter, district="当代島")
    assert client.get(ESTIMATE, params=params, headers=supporter).status_code == 403
    hq = auth_headers(Role.hq)
    bad = {"damage_level": "collapsed", "household_size": 2}
    assert client.get(ESTIMATE, params=bad, headers=hq).status_code == 422
    zero = {"damage_level": "total_collapse", "household_size": 0}
    assert client.get(ESTIMATE, params=zero, headers=hq).status_code == 422


def test_application_notice_and_letters(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    event = make_event(session, phase=EventPhase.damage_certification)
    applicant = make_household(session, "LA-1", [date(1950, 1, 1), date(1952, 2, 2)])
    silent = make_household(session, "LA-2", [date(1970, 3, 3)])
    issue_certificate(session, event, "LA-1", DamageLevel.total_collapse)
    issue_certificate(session, event, "LA-2", DamageLevel.total_collapse)
    hq = auth_headers(Role.hq)
    created = client.post(
        "/api/livelihood-support/applications",
        json={
            "event_id": event.id,
            "household_number": "LA-1",
            "kind": "basic",
            "applied_on": "2024-02-01",
        },
        headers=hq,
    )
    assert created.status_code == 201, created.text
    assert created.json()["amount"] == 1_000_000
    audited = session.scalars(
        select(AuditEntry).where(AuditEntry.resource.like("livelihood-application/%"))
    ).all()
    assert sorted(audited[-1].person_ids) == sorted(p.id for p in applicant)

    app_id = created.json()["id"]
    base = f"/api/livelihood-support/applications/{app_id}"
    early = client.post(
        f"{base}/payments", json={"amount": 1_000_000, "paid_on": "2024-03-01"}, headers=hq
    )
    assert early.status_code == 409  # not decided yet
    assert client.post(f"{base}/status", json={"to": "approved"}, headers=hq).status_code == 200
    wrong = client.post(
        f"{base}/payments", json={"amount": 999_999, "paid_on": "2024-03-01"}, headers=hq
    )
    assert wrong.status_code == 422
    paid = client.post(
        f"{base}/payments", json={"amount": 1_000_000, "paid_on": "2024-03-01"}, headers=hq
    )
    assert paid.status_code == 201
    steps = [h["to_status"] for h in client.get(f"{base}/history", headers=hq).json()]
    assert steps == ["received", "approved", "paid"]
    mine = client.get(
        "/api/livelihood-support/applications",
        params={"event_id": event.id, "household_number": "LA-1"},
        headers=hq,
    ).json()
    assert [(a["kind"], a["status"]) for a in mine] == [("basic", "paid")]

    listed = client.get(
        "/api/livelihood-support/notices",
        params={"event_id": event.id, "as_of": "2024-03-01"},
        headers=hq,
    ).json()
    assert {(n["household_number"], n["kind"], n["amount"]) for n in listed} == {
        ("LA-1", "additional", 2_000_000),
        ("LA-2", "basic", 750_000),
        ("LA-2", "additional", 1_500_000),
    }
    letters = client.get(
        "/api/livelihood-support/notices/export",
        params={"event_id": event.id, "as_of": "2024-03-01", "format": "csv"},
        headers=hq,
    )
    assert letters.status_code == 200
    assert letters.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(letters.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["世帯番号", "世帯主氏名", "住所", "支援金"]
    assert len(rows) == 4
    la2 = [r for r in rows[1:] if r[0] == "LA-2"]
    assert {r[3] for r in la2} == {"基礎支援金", "加算支援金"}
    assert la2[0][1] == silent[0].name
    assert "令和7年1月31日" in {r[8] for r in la2}
    export = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == AuditAction.export,
            AuditEntry.resource == f"event/{event.id}/livelihood-notices",
        )
    ).one()
    assert set(export.person_ids) == {applicant[0].id, silent[0].id}

    page = client.get(
        "/api/livelihood-support/notices/export",
        params={"event_id": event.id, "as_of": "2024-03-01", "format": "html"},
        headers=hq,
    )
    text = page.content.decode("utf-8")
    assert text.count('<section class="letter">') == 3
    assert "申請期限：令和7年1月31日" in text
