"""Applications, payments and push notices on a hand-made town (real PostGIS)."""

from __future__ import annotations

from datetime import date

import pytest
from livelihood.factory import issue_certificate, make_event, make_household
from sqlalchemy.orm import Session

from sonae.damage.levels import DamageLevel
from sonae.errors import ConflictError, InvalidInputError
from sonae.event.models import EventPhase
from sonae.livelihood import service
from sonae.livelihood.models import ApplicationStatus, LivelihoodApplication
from sonae.livelihood.notices import push_notices
from sonae.livelihood.table import Plan, SupportKind, SupportLevel

ADULT, CHILD = date(1980, 5, 5), date(2015, 6, 6)


def receive(
    session: Session,
    event_id: int,
    household: str,
    kind: SupportKind,
    plan: Plan,
    on: date,
    **kw: bool,
) -> LivelihoodApplication:
    return service.receive(
        session=session,
        municipality_code="122271",
        event_id=event_id,
        household_number=household,
        kind=kind,
        plan=plan,
        applied_on=on,
        received_by="clerk",
        **kw,
    )


def test_basic_deadline_is_inclusive_of_its_last_day(session: Session) -> None:
    """Disaster 2023-01-01: basic support may be applied for on 2024-01-31, not on 2024-02-01.

    (An old disaster, so that both deadlines are past: a future applied_on is refused.)"""
    event = make_event(session, phase=EventPhase.damage_certification, started=date(2023, 1, 1))
    make_household(session, "LV-A", [ADULT, ADULT, CHILD])
    make_household(session, "LV-B", [ADULT])
    issue_certificate(session, event, "LV-A", DamageLevel.total_collapse)
    issue_certificate(session, event, "LV-B", DamageLevel.total_collapse)
    on_time = receive(session, event.id, "LV-A", SupportKind.basic, Plan.none, date(2024, 1, 31))
    assert (on_time.amount, on_time.deadline, on_time.household_size) == (
        1_000_000,
        date(2024, 1, 31),
        3,
    )
    assert on_time.level is SupportLevel.total_collapse
    with pytest.raises(ConflictError, match="2024-01-31"):
        receive(session, event.id, "LV-B", SupportKind.basic, Plan.none, date(2024, 2, 1))
    # additional support runs to 2026-01-31
    late = receive(
        session, event.id, "LV-B", SupportKind.additional, Plan.repair, date(2026, 1, 31)
    )
    assert late.amount == 750_000  # single person: ¾ of 1,000,000
    with pytest.raises(ConflictError, match="2026-01-31"):
        receive(session, event.id, "LV-A", SupportKind.additional, Plan.repair, date(2026, 2, 1))


def test_rent_then_build_keeps_to_the_cap(session: Session) -> None:
    event = make_event(session, phase=EventPhase.damage_certification)
    make_household(session, "LV-C", [ADULT, CHILD])
    issue_certificate(session, event, "LV-C", DamageLevel.large_scale_half)
    rent = receive(session, event.id, "LV-C", SupportKind.additional, Plan.rent, date(2024, 3, 1))
    build = receive(session, event.id, "LV-C", SupportKind.additional, Plan.build, date(2025, 6, 1))
    assert (rent.amount, build.amount) == (500_000, 1_500_000)
    with pytest.raises(ConflictError, match="only rent may be followed"):
        receive(session, event.id, "LV-C", SupportKind.additional, Plan.repair, date(2025, 7, 1))


def test_half_needs_demolition_and_the_certificate_in_force_counts(session: Session) -> None:
    """A re-issued certificate replaces the earlier: 全壊 then, after re-survey, 半壊."""
    event = make_event(session, phase=EventPhase.damage_certification)
    make_household(session, "LV-D", [ADULT])
    issue_certificate(session, event, "LV-D", DamageLevel.total_collapse)
    issue_certificate(session, event, "LV-D", DamageLevel.half)
    with pytest.raises(ConflictError, match="not eligible"):
        receive(session, event.id, "LV-D", SupportKind.basic, Plan.none, date(2024, 2, 1))
    demolished = receive(
        session, event.id, "LV-D", SupportKind.basic, Plan.none, date(2024, 2, 1), demolition=True
    )
    assert (demolished.level, demolished.amount) == (SupportLevel.demolition, 750_000)


def test_a_demolished_household_cannot_choose_repair(session: Session) -> None:
    """LV-H (半壊, demolished): repair refused, rent then build accepted. LV-I (大規模半壊)
    recorded 解体 on its basic application: a later repair application without the flag is
    refused too; LV-J's 解体 application was withdrawn, so its certificate's level counts."""
    event = make_event(session, phase=EventPhase.damage_certification)
    for number, level in (
        ("LV-H", DamageLevel.half),
        ("LV-I", DamageLevel.large_scale_half),
        ("LV-J", DamageLevel.large_scale_half),
    ):
        make_household(session, number, [ADULT, CHILD])
        issue_certificate(session, event, number, level)
    additional, on = SupportKind.additional, date(2024, 3, 1)
    with pytest.raises(InvalidInputError, match=r"^field 'plan': repair \(補修\)"):
        receive(session, event.id, "LV-H", additional, Plan.repair, on, demolition=True)
    rent = receive(session, event.id, "LV-H", additional, Plan.rent, on, demolition=True)
    with pytest.raises(InvalidInputError, match="解体"):  # rent then repair: still no dwelling
        receive(session, event.id, "LV-H", additional, Plan.repair, on, demolition=True)
    build = receive(session, event.id, "LV-H", additional, Plan.build, on, demolition=True)
    assert (rent.amount, build.amount) == (500_000, 1_500_000)

    basic = receive(session, event.id, "LV-I", SupportKind.basic, Plan.none, on, demolition=True)
    assert basic.level is SupportLevel.demolition
    with pytest.raises(InvalidInputError, match="解体"):
        receive(session, event.id, "LV-I", additional, Plan.repair, on)

    gone = receive(session, event.id, "LV-J", SupportKind.basic, Plan.none, on, demolition=True)
    service.transition(
        session=session,
        municipality_code="122271",
        application_id=gone.id,
        to=ApplicationStatus.withdrawn,
        reason=None,
        changed_by="clerk",
    )
    repair = receive(session, event.id, "LV-J", additional, Plan.repair, on)
    assert (repair.level, repair.amount) == (SupportLevel.large_scale_half, 1_000_000)
    stored = service.household_applications(
        session=session, municipality_code="122271", event_id=event.id, household_number="LV-H"
    )
    assert [a.plan for a in stored] == [Plan.rent, Plan.build]


def test_long_term_evacuation_without_a_certificate(session: Session) -> None:
    event = make_event(session, phase=EventPhase.damage_certification)
    make_household(session, "LV-E", [ADULT, ADULT])
    with pytest.raises(ConflictError, match="no damage certificate"):
        receive(session, event.id, "LV-E", SupportKind.basic, Plan.none, date(2024, 2, 1))
    app = receive(
        session,
        event.id,
        "LV-E",
        SupportKind.basic,
        Plan.none,
        date(2024, 2, 1),
        long_term_evacuation=True,
    )
    assert (app.level, app.amount, app.certificate_serial) == (
        SupportLevel.long_term_evacuation,
        1_000_000,
        None,
    )


def test_guarded_states_payment_and_history(session: Session) -> None:
    event = make_event(session, phase=EventPhase.damage_certification)
    make_household(session, "LV-F", [ADULT, ADULT])
    issue_certificate(session, event, "LV-F", DamageLevel.total_collapse)
    app = receive(session, event.id, "LV-F", SupportKind.basic, Plan.none, date(2024, 2, 1))
    keys = {"session": session, "municipality_code": "122271", "application_id": app.id}
    with pytest.raises(ConflictError):
        service.record_payment(
            **keys, amount=1_000_000, paid_on=date(2024, 3, 1), reference=None, recorded_by="x"
        )  # type: ignore[arg-type]
    service.transition(**keys, to=ApplicationStatus.approved, reason=None, changed_by="chief")  # type: ignore[arg-type]
    service.record_payment(
        **keys, amount=1_000_000, paid_on=date(2024, 3, 1), reference="R-1", recorded_by="x"
    )  # type: ignore[arg-type]
    assert app.status is ApplicationStatus.paid
    with pytest.raises(ConflictError):
        service.transition(**keys, to=ApplicationStatus.withdrawn, reason=None, changed_by="x")  # type: ignore[arg-type]
    steps = [(h.from_status, h.to_status) for h in service.history(**keys)]  # type: ignore[arg-type]
    assert steps == [
        (None, ApplicationStatus.received),
        (ApplicationStatus.received, ApplicationStatus.approved),
        (ApplicationStatus.approved, ApplicationStatus.paid),
    ]
    with pytest.raises(ConflictError, match="already applied"):
        receive(session, event.id, "LV-F", SupportKind.basic, Plan.none, date(2024, 2, 2))


def test_closed_workflow_refuses_applications(session: Session) -> None:
    event = make_event(session, phase=EventPhase.sheltering)
    make_household(session, "LV-G", [ADULT])
    issue_certificate(session, event, "LV-G", DamageLevel.total_collapse)
    with pytest.raises(ConflictError, match="livelihood_support"):
        receive(session, event.id, "LV-G", SupportKind.basic, Plan.none, date(2024, 2, 1))


def test_push_notices_list_who_has_not_applied(session: Session) -> None:
    """P (全壊, 2 people) applied for nothing: two notices, basic 1,000,000 by 2025-01-31 and
    additional up to 2,000,000 by 2027-01-31. Q (大規模半壊, alone) applied for basic: only the
    additional notice, up to 1,500,000. R (中規模半壊) gets no basic (0 yen) but an additional
    notice up to 1,000,000. S (半壊) gets nothing. After the basic deadline only additional
    notices remain."""
    event = make_event(session, phase=EventPhase.damage_certification)
    for number, births, level in (
        ("LV-P", [ADULT, CHILD], DamageLevel.total_collapse),
        ("LV-Q", [ADULT], DamageLevel.large_scale_half),
        ("LV-R", [ADULT, ADULT], DamageLevel.medium_scale_half),
        ("LV-S", [ADULT, ADULT], DamageLevel.half),
    ):
        make_household(session, number, births)
        issue_certificate(session, event, number, level)
    receive(session, event.id, "LV-Q", SupportKind.basic, Plan.none, date(2024, 2, 1))
    found = push_notices(
        session=session, municipality_code="122271", event_id=event.id, as_of=date(2024, 3, 1)
    )
    got = {(n.household_number, n.kind.value, n.amount, n.deadline) for n in found}
    assert got == {
        ("LV-P", "basic", 1_000_000, date(2025, 1, 31)),
        ("LV-P", "additional", 2_000_000, date(2027, 1, 31)),
        ("LV-Q", "additional", 1_500_000, date(2027, 1, 31)),
        ("LV-R", "additional", 1_000_000, date(2027, 1, 31)),
    }
    assert found[0].deadline == date(2025, 1, 31)  # soonest deadline first
    later = push_notices(
        session=session, municipality_code="122271", event_id=event.id, as_of=date(2025, 2, 1)
    )
    assert {n.kind.value for n in later} == {"additional"}
    assert len(later) == 3
