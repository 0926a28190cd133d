"""The victim registry (被災者台帳): one household assembled, every access audited, the export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from livelihood.factory import issue_certificate, make_event, make_household
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.audit.models import AuditAction, AuditEntry
from sonae.damage.levels import DamageLevel
from sonae.errors import InvalidInputError
from sonae.event.models import DisasterEvent
from sonae.livelihood import service as livelihood
from sonae.livelihood.table import Plan, SupportKind
from sonae.registry.models import Person
from sonae.safety.models import ReportSource, SafetyStatus, Whereabouts
from sonae.safety.service import Observation, record_report
from sonae.security.roles import Role
from sonae.shelter.models import Shelter
from sonae.sheltering.models import IdentifiedBy, ShelterStay
from sonae.victim_registry import service
from sonae.victim_registry.export import HEADER
from sonae.victim_registry.models import SupportGivenKind
from sonae.welfare.models import CareLevel, WelfareRecord

CODE = "122271"
Headers = Callable[..., dict[str, str]]


def household(session: Session) -> tuple[DisasterEvent, list[Person]]:
    """VR-1: a head aged 84 in 要介護3 and a grandchild of 1; 全壊; basic support received;
    a first donation of 200,000 yen; data given to the prefecture."""
    event = make_event(session)
    people = make_household(session, "VR-1", [date(1940, 1, 1), date(2023, 1, 1)])
    session.add(
        WelfareRecord(
            municipality_code=CODE,
            person_id=people[0].id,
            care_level=CareLevel.care_3,
            phone="047-000-0000",
        )
    )
    issue_certificate(session, event, "VR-1", DamageLevel.total_collapse)
    livelihood.receive(
        session=session,
        municipality_code=CODE,
        event_id=event.id,
        household_number="VR-1",
        kind=SupportKind.basic,
        plan=Plan.none,
        applied_on=date(2024, 2, 1),
        received_by="clerk",
    )
    service.record_support(
        session=session,
        municipality_code=CODE,
        event_id=event.id,
        household_number="VR-1",
        kind=SupportGivenKind.donation,
        description="第1次義援金",
        given_on=date(2024, 3, 1),
        recorded_by="clerk",
        amount=200_000,
    )
    service.record_provision(
        session=session,
        municipality_code=CODE,
        event_id=event.id,
        household_number="VR-1",
        recipient="千葉県",
        purpose="生活再建支援金の審査",
        items=["氏名", "住家の被害の程度"],
        provided_on=date(2024, 2, 10),
        recorded_by="clerk",
    )
    return event, people


def test_the_household_record_gathers_every_source(session: Session) -> None:
    event, people = household(session)
    record = service.household_record(
        session=session,
        municipality_code=CODE,
        event_id=event.id,
        household_number="VR-1",
        as_of=date(2024, 3, 1),
    )
    assert record.person_ids == [people[0].id, people[1].id]  # head first
    assert record.members[0].care_reasons == ("65歳以上", "要介護3")
    assert record.members[1].care_reasons == ("乳幼児",)
    assert record.certificate is not None
    assert record.certificate.damage_level is DamageLevel.total_collapse
    assert [a.amount for a in record.livelihood] == [1_000_000]
    assert [s.amount for s in record.supports] == [200_000]
    assert record.provisions[0].recipient == "千葉県"
    assert record.safety == []


def test_safety_reports_and_shelter_stays_come_from_their_features(session: Session) -> None:
    event, people = household(session)
    head = people[0].id
    shelter = session.scalars(select(Shelter).where(Shelter.municipality_code == CODE)).first()
    assert shelter is not None
    seen = datetime(2024, 1, 2, 1, 0, tzinfo=UTC)  # 10:00 in Japan
    record_report(
        session=session,
        event=event,
        observation=Observation(
            status=SafetyStatus.safe,
            whereabouts=Whereabouts.home,
            source=ReportSource.phone,
            observed_at=seen,
        ),
        recorded_by="clerk",
        person_id=head,
    )
    session.add(
        ShelterStay(
            municipality_code=CODE,
            event_id=event.id,
            shelter_id=shelter.id,
            person_id=head,
            identified_by=IdentifiedBy.address_number,
            checked_in_at=seen + timedelta(hours=2),
            checked_in_by="staff",
        )
    )
    session.flush()
    record = service.household_record(
        session=session,
        municipality_code=CODE,
        event_id=event.id,
        household_number="VR-1",
        as_of=date(2024, 3, 1),
    )
    assert [(s.person_id, s.kind, s.summary) for s in record.safety] == [
        (head, "safety", "無事・自宅（電話）"),
        (head, "shelter_stay", f"{shelter.name} 01/02 12:00〜滞在中"),
    ]


def test_reads_and_exports_are_audited(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    event, people = household(session)
    welfare = auth_headers(Role.welfare)
    response = client.get(f"/api/victim-registry/{event.id}/households/VR-1", headers=welfare)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["certificate"]["damage_level_label"] == "全壊"
    assert {s["label"] for s in body["supports"]} == {
        "被災者生活再建支援金（基礎支援金）",
        "義援金：第1次義援金",
    }
    assert body["safety"] == []  # nothing reported for this household yet
    read = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == AuditAction.read,
            AuditEntry.resource == f"event/{event.id}/victim-registry/household",
        )
    ).first()
    assert sorted(read.person_ids) == sorted(p.id for p in people)

    by_person = client.get(
        f"/api/victim-registry/{event.id}/people/{people[1].id}", headers=welfare
    )
    assert by_person.json()["household_number"] == "VR-1"
    assert (
        client.get(f"/api/victim-registry/{event.id}/people/999999999", headers=welfare).status_code
        == 404
    )

    exported = client.get(f"/api/victim-registry/{event.id}/export", headers=welfare)
    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert len(rows) == 3  # one row per person
    head = dict(zip(HEADER, rows[1], strict=True))
    assert head["氏名"] == people[0].name
    assert head["生年月日"] == "昭和15年1月1日"
    assert head["要配慮者である事由"] == "65歳以上、要介護3"
    assert head["住家の被害の程度"] == "全壊"
    assert head["被災者生活再建支援金"] == "基礎支援金 1,000,000円 受付"
    assert head["義援金・減免その他の援護"] == "義援金：第1次義援金 200,000円（令和6年3月1日）"
    assert head["電話番号"] == "047-000-0000"
    assert "千葉県" in head["台帳情報の提供先"]
    export = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == AuditAction.export,
            AuditEntry.resource == f"event/{event.id}/victim-registry",
        )
    ).one()
    assert sorted(export.person_ids) == sorted(p.id for p in people)
    only = client.get(
        f"/api/victim-registry/{event.id}/export", params={"household": ["VR-1"]}, headers=welfare
    )
    assert only.status_code == 200, only.text
    assert only.content.decode("utf-8-sig").count("\r\n") == 3  # header + 2 people
    supporter = auth_headers(Role.supporter, district="当代島")
    assert (
        client.get(f"/api/victim-registry/{event.id}/export", headers=supporter).status_code == 403
    )


def test_records_for_a_household_that_is_not_in_the_registry_are_refused(
    client: TestClient, session: Session, auth_headers: Headers
) -> None:
    event, _ = household(session)
    welfare = auth_headers(Role.welfare)
    base = f"/api/victim-registry/{event.id}/households"
    support = {"kind": "donation", "description": "義援金", "given_on": "2024-03-01"}
    provision = {"recipient": "千葉県", "purpose": "審査", "items": ["氏名"],
                 "provided_on": "2024-03-01"}  # fmt: skip
    for path, body in (("supports", support), ("provisions", provision)):
        refused = client.post(f"{base}/9999999999/{path}", json=body, headers=welfare)
        assert refused.status_code == 404, refused.text
        assert client.post(f"{base}/VR-1/{path}", json=body, headers=welfare).status_code == 201
    assert client.get(f"{base}/9999999999", headers=welfare).status_code == 404
    stored = service.registered_households(
        session=session, municipality_code=CODE, event_id=event.id
    )
    assert "9999999999" not in stored


def test_a_provision_names_registry_items_only(
    client: TestClient, session: Session, auth_headers: Headers
) -> None:
    event, _ = household(session)
    welfare = auth_headers(Role.welfare)
    url = f"/api/victim-registry/{event.id}/households/VR-1/provisions"
    body = {"recipient": "千葉県", "purpose": "審査", "provided_on": "2024-03-01"}
    for items in (["shoe_size"], ["氏名", "個人番号"], []):
        refused = client.post(url, json={**body, "items": items}, headers=welfare)
        assert refused.status_code == 422, (items, refused.text)
    with pytest.raises(InvalidInputError):
        service.record_provision(
            session=session, municipality_code=CODE, event_id=event.id, household_number="VR-1",
            recipient="x", purpose="y", items=["shoe_size"], provided_on=date(2024, 3, 1),
            recorded_by="clerk",
        )  # fmt: skip
    accepted = client.post(url, json={**body, "items": ["氏名", "住家の被害の程度"]},
                           headers=welfare)  # fmt: skip
    assert accepted.status_code == 201 and accepted.json()["items"] == ["氏名", "住家の被害の程度"]
