"""Safety reports, the current status, people outside shelters, and progress by district."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from accounts import Credentials
from event_town import STRUCK, declare
from sonae.errors import ConflictError, InvalidInputError
from sonae.event.models import DisasterEvent, EventPhase
from sonae.event.service import move_phase
from sonae.safety.models import ReportSource, SafetyStatus, Whereabouts
from sonae.safety.progress import district_progress, event_figures
from sonae.safety.service import Observation, current_of, record_report, reports_of
from sonae.safety.tasks import assign_district
from sonae.security.roles import Role
from sonae.sheltering.models import CapacityBasis, ShelterOpening
from sonae.support.build import build_support_list
from support.factory import AS_OF, Town


def seen(status: SafetyStatus, hours: float, **more: object) -> Observation:
    return Observation(
        status=status,
        whereabouts=more.pop("whereabouts", Whereabouts.home),  # type: ignore[arg-type]
        source=more.pop("source", ReportSource.visit),  # type: ignore[arg-type]
        observed_at=STRUCK + timedelta(hours=hours),
        **more,  # type: ignore[arg-type]
    )


def test_the_current_status_is_the_latest_observation_not_the_latest_recorded(town: Town) -> None:
    event = declare(town)
    person = town.people["north-a"].id
    record_report(
        session=town.session,
        event=event,
        observation=seen(SafetyStatus.injured, 5),
        recorded_by="a",
        person_id=person,
    )
    # A tablet that was offline sends an older observation afterwards: history keeps it,
    # but it does not overwrite what is known now.
    record_report(
        session=town.session,
        event=event,
        observation=seen(SafetyStatus.missing, 2),
        recorded_by="b",
        person_id=person,
    )
    current = current_of(session=town.session, event=event, person_id=person)
    assert current is not None and current.status is SafetyStatus.injured
    history = reports_of(session=town.session, event=event, person_id=person)
    assert [r.status for r in history] == [SafetyStatus.missing, SafetyStatus.injured]


def test_people_outside_shelters_need_a_way_to_reach_them(town: Town) -> None:
    event = declare(town)
    person = town.people["north-b"].id
    with pytest.raises(InvalidInputError, match="contact, a place or a location"):
        record_report(
            session=town.session,
            event=event,
            observation=seen(SafetyStatus.safe, 3, whereabouts=Whereabouts.car),
            recorded_by="a",
            person_id=person,
        )
    record_report(
        session=town.session,
        event=event,
        observation=seen(
            SafetyStatus.safe,
            3,
            whereabouts=Whereabouts.car,
            contact="090-0000-0000",
            lon_lat=(139.9, 35.65),
            source=ReportSource.phone,
        ),
        recorded_by="a",
        person_id=person,
    )
    figures = event_figures(session=town.session, event=event)
    assert figures.by_whereabouts == {Whereabouts.car: 1}


def test_reports_are_refused_once_the_event_is_closed(town: Town) -> None:
    event = declare(town)
    move_phase(
        session=town.session,
        event_id=event.id,
        to_phase=EventPhase.closed,
        reason="r",
        moved_by="h",
    )
    with pytest.raises(ConflictError, match="safety_confirmation"):
        record_report(
            session=town.session,
            event=event,
            observation=seen(SafetyStatus.safe, 1),
            recorded_by="a",
            person_id=town.people["north-a"].id,
        )


def test_progress_by_district_counts_and_percentages(
    town: Town, make_user: Callable[..., Credentials]
) -> None:
    make_user(Role.supporter, municipality_code=town.code, district="南町", username="minsei-1")
    build_support_list(session=town.session, municipality_code=town.code, built_by="t", as_of=AS_OF)
    event = declare(town, ("13102001001", "13102002001"))
    people = town.people
    for label, status in (("north-care", SafetyStatus.safe), ("north-a", SafetyStatus.missing)):
        record_report(
            session=town.session,
            event=event,
            observation=seen(status, 1),
            recorded_by="a",
            person_id=people[label].id,
        )
    assign_district(session=town.session, event=event, district="南町", assigned_to="minsei-1")
    rows = {r.district: r for r in district_progress(session=town.session, event=event)}
    north, south = rows["北町"], rows["南町"]
    # 北町: 3 residents, 2 confirmed (missing counts as known), the one listed person is safe.
    assert (north.tasks, north.confirmed, north.percent) == (3, 2, 66.7)
    assert (north.listed, north.listed_confirmed, north.listed_percent) == (1, 1, 100.0)
    assert north.by_status == {
        SafetyStatus.safe: 1,
        SafetyStatus.missing: 1,
        SafetyStatus.unknown: 1,
    }
    # 南町: 2 residents, nobody confirmed yet, handed to one supporter.
    assert (south.tasks, south.confirmed, south.percent) == (2, 0, 0.0)
    assert south.assigned_to == {"minsei-1"}
    figures = event_figures(session=town.session, event=event)
    assert figures.by_status == {
        SafetyStatus.safe: 1,
        SafetyStatus.missing: 1,
        SafetyStatus.unknown: 3,
    }


def open_for(town: Town, event: DisasterEvent, name: str, hours: tuple[float, float | None]) -> int:
    """A shelter opened (and closed, if given) so many hours after the event struck."""
    shelter = town.shelter(name, (0, 0))
    opened, closed = hours
    town.session.add(
        ShelterOpening(
            municipality_code=town.code,
            event_id=event.id,
            shelter_id=shelter.id,
            opened_at=STRUCK + timedelta(hours=opened),
            opened_by="t",
            closed_at=None if closed is None else STRUCK + timedelta(hours=closed),
            capacity=10,
            capacity_basis=CapacityBasis.official,
        )
    )
    town.session.flush()
    return shelter.id


def test_a_report_names_only_a_shelter_that_exists_and_was_open_then(town: Town) -> None:
    event = declare(town)
    person = town.people["north-a"].id
    open_now = open_for(town, event, "開いている", (1, None))
    closed = open_for(town, event, "閉じた", (1, 2))
    never = town.shelter("開いていない", (0, 0)).id

    def report(shelter_id: int, hours: float) -> object:
        observation = seen(SafetyStatus.safe, hours, whereabouts=Whereabouts.shelter,
                           shelter_id=shelter_id)  # fmt: skip
        return record_report(session=town.session, event=event, observation=observation,
                             recorded_by="a", person_id=person)  # fmt: skip

    with pytest.raises(InvalidInputError, match="field 'shelter_id': shelter 123456 does not"):
        report(123456, 3)
    for shelter_id, hours in ((never, 3), (open_now, 0.5), (closed, 3)):
        with pytest.raises(ConflictError, match="field 'shelter_id'"):
            report(shelter_id, hours)
    report(open_now, 3)
    report(closed, 1.5)  # seen there while it was open, reported after it closed
    current = current_of(session=town.session, event=event, person_id=person)
    assert current is not None and current.shelter_id == open_now


def test_tasks_go_only_to_a_user_who_can_work_them(
    town: Town, make_user: Callable[..., Credentials]
) -> None:
    event = declare(town)
    code = town.code
    desk = town.shelter("避難所", (0, 0)).id
    staff = make_user(Role.shelter_staff, municipality_code=code, shelter_ids=[desk]).username
    south = make_user(Role.supporter, municipality_code=code, district="南町").username
    elsewhere = make_user(Role.welfare).username  # Urayasu's welfare
    for username in ("no-such-user", staff, south, elsewhere):
        with pytest.raises(InvalidInputError, match="field 'assigned_to'"):
            assign_district(session=town.session, event=event, district="北町",
                            assigned_to=username)  # fmt: skip
    north = make_user(Role.supporter, municipality_code=code, district="北町").username
    welfare = make_user(Role.welfare, municipality_code=code).username
    assert assign_district(session=town.session, event=event, district="北町",
                           assigned_to=north) == 3  # fmt: skip
    assert assign_district(session=town.session, event=event, district="北町",
                           assigned_to=welfare) == 3  # fmt: skip


@pytest.mark.parametrize("field", ["contact", "place_note", "note"])
def test_the_service_refuses_a_personal_number_in_free_text(town: Town, field: str) -> None:
    event = declare(town)
    texts: dict[str, object] = {"contact": "090-1", field: "tel 1234 5678 9018"}
    observation = seen(SafetyStatus.safe, 1, whereabouts=Whereabouts.car, **texts)
    with pytest.raises(InvalidInputError, match=f"field '{field}': a 12-digit number"):
        record_report(session=town.session, event=event, observation=observation,
                      recorded_by="a", person_id=town.people["north-a"].id)  # fmt: skip
