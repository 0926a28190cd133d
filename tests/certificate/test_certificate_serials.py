"""Serials stay unique and gapless when many counters issue at once, on real connections.

The data is committed (each worker has its own connection and transaction, as two counter PCs
would), in a municipality of its own that is deleted afterwards with everything under it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest
from damage.factory import make_dwelling, make_event, make_household, survey_input
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from sonae.certificate.models import DamageCertificate
from sonae.certificate.service import apply, issue, latest_certificate
from sonae.damage.service import record_survey
from sonae.municipality import service as municipality_service
from sonae.municipality.models import Municipality

CODE = "99999" + str(municipality_service.code_check_digit("99999"))
WORKERS = 8
HOUSEHOLDS = 24


@pytest.fixture
def issuing_town(engine: Engine) -> Iterator[tuple[int, list[int], list[str]]]:
    """(event id, application ids, household numbers), committed."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        municipality_service.register(
            session=session, code=CODE, name="並行町", plane_rectangular_srid=6677
        )
        event = make_event(session, code=CODE)
        applications, households = [], []
        for n in range(HOUSEHOLDS):
            household, people = make_household(session, code=CODE, address=f"並行町{n + 1}番")
            dwelling = make_dwelling(session, code=CODE, households=(household,))
            record_survey(
                session=session,
                municipality_code=CODE,
                event_id=event.id,
                data=survey_input(dwelling.id, direct_ratio=5 + n, surveyed_on=date(2026, 11, 5)),
                recorded_by="tester",
            )
            made = apply(
                session=session,
                municipality_code=CODE,
                event_id=event.id,
                applicant_address_number=people[0].address_number,
                channel="counter",  # type: ignore[arg-type]
                received_by="tester",
            )
            applications.append(made.id)
            households.append(household)
        event_id = event.id
    try:
        yield event_id, applications, households
    finally:
        with Session(engine) as session, session.begin():
            session.execute(delete(Municipality).where(Municipality.code == CODE))


def test_concurrent_issues_get_unique_gapless_serials(
    engine: Engine, issuing_town: tuple[int, list[int], list[str]]
) -> None:
    event_id, applications, households = issuing_town
    # Each application is issued twice (the second a re-issue), by workers racing each other.
    jobs = [(app, None) for app in applications] + [(app, "紛失") for app in applications]
    chunks = [jobs[i::WORKERS] for i in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def work(chunk: list[tuple[int, str | None]]) -> None:
        barrier.wait()
        try:
            for application_id, reason in sorted(chunk, key=lambda job: job[1] is not None):
                with Session(engine) as session, session.begin():
                    issue(
                        session=session,
                        municipality_code=CODE,
                        event_id=event_id,
                        application_id=application_id,
                        issued_by="worker",
                        reissue_reason=reason,
                    )
        except BaseException as exc:  # surfaced below: a thread's exception is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    with Session(engine) as session:
        rows = session.execute(
            select(DamageCertificate.sequence, DamageCertificate.serial).where(
                DamageCertificate.municipality_code == CODE,
                DamageCertificate.event_id == event_id,
            )
        ).all()
        assert sorted(seq for seq, _ in rows) == list(range(1, 2 * HOUSEHOLDS + 1))
        assert len({serial for _, serial in rows}) == 2 * HOUSEHOLDS
        for household in households:
            current = latest_certificate(
                session=session,
                municipality_code=CODE,
                event_id=event_id,
                household_number=household,
            )
            assert current is not None
