"""Support follows the judgement in force: a re-survey holds up what the certificate no longer
supports, and push letters go only to households that have not applied."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from damage.factory import URAYASU, make_dwelling, make_event, make_household, survey_input
from fastapi.testclient import TestClient
from livelihood import factory
from sqlalchemy.orm import Session

from sonae.certificate import service as certificates
from sonae.certificate.models import ApplicationChannel
from sonae.damage.levels import DamageLevel
from sonae.damage.service import record_survey
from sonae.errors import ConflictError
from sonae.event.models import EventPhase
from sonae.livelihood import service
from sonae.livelihood.models import ApplicationStatus, LivelihoodApplication
from sonae.livelihood.notices import letters, push_notices, to_html
from sonae.livelihood.table import Plan, SupportKind, SupportLevel
from sonae.security.roles import Role

ON = date(2026, 11, 10)
S = ApplicationStatus


class Household:
    """Two people, surveyed and certified; `resurvey` records a new survey (not re-issued)."""

    def __init__(self, session: Session, event_id: int, ratio: float) -> None:
        self.session, self.event_id = session, event_id
        self.number, people = make_household(session, members=2)
        self.dwelling = make_dwelling(session, households=(self.number,))
        self.survey(ratio)
        self.application_id = certificates.apply(
            session=session,
            municipality_code=URAYASU,
            event_id=event_id,
            applicant_address_number=people[0].address_number,
            channel=ApplicationChannel.counter,
            received_by="tester",
        ).id
        self.reissue()

    def survey(self, ratio: float) -> None:
        record_survey(
            session=self.session,
            municipality_code=URAYASU,
            event_id=self.event_id,
            data=survey_input(self.dwelling.id, direct_ratio=ratio),
            recorded_by="tester",
        )

    def reissue(self) -> None:
        certificates.issue(
            session=self.session,
            municipality_code=URAYASU,
            event_id=self.event_id,
            application_id=self.application_id,
            issued_by="tester",
        )

    def receive(self, kind: SupportKind, plan: Plan, **kw: bool) -> LivelihoodApplication:
        return service.receive(
            session=self.session,
            municipality_code=URAYASU,
            event_id=self.event_id,
            household_number=self.number,
            kind=kind,
            plan=plan,
            applied_on=ON,
            received_by="clerk",
            **kw,
        )


def move(session: Session, application: LivelihoodApplication, to: S, reason: str | None) -> None:
    service.transition(
        session=session,
        municipality_code=URAYASU,
        application_id=application.id,
        to=to,
        reason=reason,
        changed_by="chief",
    )


def pay(session: Session, application: LivelihoodApplication) -> None:
    service.record_payment(
        session=session,
        municipality_code=URAYASU,
        application_id=application.id,
        amount=application.amount,
        paid_on=ON,
        reference=None,
        recorded_by="clerk",
    )


def test_a_resurvey_to_half_holds_up_approval_payment_and_notices(session: Session) -> None:
    """大規模半壊 (45 %) → 半壊 (22 %): the repair (1,000,000) and the approved basic (500,000)
    received at 大規模半壊 are neither approved nor paid, before or after the re-issue; they can
    still be rejected or withdrawn. 解体 does not depend on the judgement and goes on."""
    event = make_event(session)
    home = Household(session, event.id, 45)
    basic = home.receive(SupportKind.basic, Plan.none)
    repair = home.receive(SupportKind.additional, Plan.repair)
    assert (basic.amount, repair.amount) == (500_000, 1_000_000)
    move(session, basic, S.approved, None)
    home.survey(22)

    with pytest.raises(
        ConflictError,
        match=r"outdated \(the damage level in force is now half, not large_scale_half\): re-issue",
    ):
        move(session, repair, S.approved, None)
    with pytest.raises(ConflictError, match="outdated"):
        pay(session, basic)
    notices = push_notices(session=session, municipality_code=URAYASU, event_id=event.id, as_of=ON)
    assert [n for n in notices if n.household_number == home.number] == []

    home.reissue()
    with pytest.raises(
        ConflictError,
        match=r"received at level large_scale_half, .* states half\) does not: review",
    ):
        move(session, repair, S.approved, None)
    with pytest.raises(ConflictError, match="review the application"):
        pay(session, basic)
    move(session, repair, S.rejected, "再調査により半壊")
    move(session, basic, S.withdrawn, None)
    assert (repair.status, basic.status) == (S.rejected, S.withdrawn)
    with pytest.raises(ConflictError, match="not eligible"):
        home.receive(SupportKind.basic, Plan.none)
    demolished = home.receive(SupportKind.basic, Plan.none, demolition=True)
    move(session, demolished, S.approved, None)
    assert (demolished.level, demolished.amount) == (SupportLevel.demolition, 1_000_000)


def test_a_resurvey_to_partial_refuses_a_new_application(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]]
) -> None:
    """大規模半壊 → 一部損壊, not re-issued: receiving basic support is refused (409) instead of
    fixing 500,000 yen from the old certificate; an application approved earlier is not paid."""
    event = make_event(session)
    home = Household(session, event.id, 45)
    approved = home.receive(SupportKind.additional, Plan.build)
    move(session, approved, S.approved, None)
    home.survey(5)
    hq = auth_headers(Role.hq)
    refused = client.post(
        "/api/livelihood-support/applications",
        json={
            "event_id": event.id,
            "household_number": home.number,
            "kind": "basic",
            "applied_on": ON.isoformat(),
        },
        headers=hq,
    )
    assert refused.status_code == 409
    assert "outdated" in refused.json()["detail"]
    unpaid = client.post(
        f"/api/livelihood-support/applications/{approved.id}/payments",
        json={"amount": approved.amount, "paid_on": ON.isoformat()},
        headers=hq,
    )
    assert unpaid.status_code == 409
    assert "re-issue the certificate" in unpaid.json()["detail"]


def test_a_household_whose_application_was_rejected_gets_no_apply_letter(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]]
) -> None:
    """LV-RJ (大規模半壊) was refused basic support: no letter says it has not applied yet; its
    additional support, never applied for, is still offered. LV-NW has applied for nothing."""
    event = factory.make_event(session, phase=EventPhase.damage_certification)
    for number in ("LV-RJ", "LV-NW"):
        factory.make_household(session, number, [date(1980, 5, 5), date(2015, 6, 6)])
        factory.issue_certificate(session, event, number, DamageLevel.large_scale_half)
    refused = service.receive(
        session=session,
        municipality_code=URAYASU,
        event_id=event.id,
        household_number="LV-RJ",
        kind=SupportKind.basic,
        plan=Plan.none,
        applied_on=date(2024, 2, 1),
        received_by="clerk",
    )
    move(session, refused, S.rejected, "要件を満たさない")
    found = push_notices(
        session=session, municipality_code=URAYASU, event_id=event.id, as_of=date(2024, 3, 1)
    )
    assert {(n.household_number, n.kind.value) for n in found} == {
        ("LV-RJ", "additional"),
        ("LV-NW", "basic"),
        ("LV-NW", "additional"),
    }
    page = to_html(
        letters(session=session, municipality_code=URAYASU, notices=found),
        municipality_name="浦安市",
    ).decode("utf-8")
    assert page.count("基礎支援金）申請のご案内") == 1  # LV-NW's only
    listed = client.get(
        "/api/livelihood-support/notices",
        params={"event_id": event.id, "as_of": "2024-03-01"},
        headers=auth_headers(Role.hq),
    )
    assert ("LV-RJ", "basic") not in {(n["household_number"], n["kind"]) for n in listed.json()}
