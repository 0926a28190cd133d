"""Housing sites: a chome that exists, corrections that keep room for the households placed,
removal only of a site no application names; the same through the API, audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient
from livelihood.factory import issue_certificate, make_event, make_household
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.audit.models import AuditAction, AuditEntry
from sonae.damage.levels import DamageLevel
from sonae.errors import ConflictError, InvalidInputError
from sonae.event.models import DisasterEvent
from sonae.housing import runs, service, sites
from sonae.housing.models import HousingApplication, HousingSite, HousingStatus, SiteKind
from sonae.security.roles import Role

CODE = "122271"
TODAIJIMA_1 = "12227001001"
"""当代島一丁目 and 北栄一丁目: real chome of the test database."""
HOKUEI_1 = "12227002001"
BASE = "/api/temporary-housing/sites"
Headers = Callable[..., dict[str, str]]


def built(session: Session, event: DisasterEvent, **kw: object) -> HousingSite:
    values: dict[str, object] = {"name": "東団地", "units": 3, "barrier_free_units": 1, **kw}
    return sites.add_site(
        session=session,
        municipality_code=CODE,
        event_id=event.id,
        kind=SiteKind.built,
        created_by="hq",
        **values,  # type: ignore[arg-type]
    )


def placed(session: Session, event: DisasterEvent, number: str) -> HousingApplication:
    """One general household allocated by a run (the event's only free units are the site's)."""
    make_household(session, number, [date(1980, 1, 1)], chome=TODAIJIMA_1)
    issue_certificate(session, event, number, DamageLevel.total_collapse)
    application = service.receive(
        session=session,
        municipality_code=CODE,
        event_id=event.id,
        household_number=number,
        applied_on=date(2024, 2, 1),
        cannot_secure_housing=True,
        received_by="clerk",
    )
    runs.run_allocation(
        session=session,
        municipality_code=CODE,
        event_id=event.id,
        as_of=date(2024, 3, 1),
        run_by="hq",
        seed=1,
    )
    assert application.status is HousingStatus.allocated
    return application


def update(session: Session, site: HousingSite, **changes: object) -> HousingSite:
    return sites.update_site(
        session=session, municipality_code=CODE, site_id=site.id, changes=changes
    )


@pytest.mark.parametrize("key", ["nope", "12227999999", "27204001001"])
def test_a_site_in_a_chome_that_does_not_exist_is_refused(session: Session, key: str) -> None:
    """Made up, one digit off, and a real chome of another city (Nishinomiya) are all refused:
    the chome must be one of this municipality's."""
    event = make_event(session)
    with pytest.raises(InvalidInputError, match=r"^field 'chome_key_code'"):
        built(session, event, chome_key_code=key)
    assert sites.sites(session=session, municipality_code=CODE, event_id=event.id) == []
    assert built(session, event, chome_key_code=TODAIJIMA_1).chome_key_code == TODAIJIMA_1


def test_a_site_is_corrected_but_keeps_room_for_the_households_placed(session: Session) -> None:
    event = make_event(session)
    site = built(session, event, chome_key_code=TODAIJIMA_1, units=3, barrier_free_units=1)
    update(session, site, name="東第二団地", chome_key_code=HOKUEI_1, units=2)
    assert (site.name, site.chome_key_code, site.units) == ("東第二団地", HOKUEI_1, 2)
    with pytest.raises(InvalidInputError, match=r"^field 'chome_key_code'"):
        update(session, site, chome_key_code="nope")
    with pytest.raises(InvalidInputError, match=r"^field 'units'"):
        update(session, site, barrier_free_units=3)  # more barrier-free units than units
    assert (site.chome_key_code, site.barrier_free_units) == (HOKUEI_1, 1)  # refused: unchanged

    placed(session, event, "ST-1")  # general: the ordinary unit
    placed(session, event, "ST-1B")  # general: the spare barrier-free unit (no one needs it)
    with pytest.raises(ConflictError, match="1 ordinary unit"):
        update(session, site, barrier_free_units=2)
    with pytest.raises(ConflictError, match=r"2 unit\(s\), 1 barrier-free"):
        update(session, site, units=1, barrier_free_units=1)
    with pytest.raises(ConflictError, match=r"2 unit\(s\), 1 barrier-free"):
        update(session, site, barrier_free_units=0)
    assert (site.units, site.barrier_free_units) == (2, 1)
    update(session, site, units=5, vulnerable_cap=4)
    assert (site.units, site.barrier_free_units, site.vulnerable_cap) == (5, 1, 4)


def test_only_a_site_no_application_names_is_deleted(session: Session) -> None:
    event = make_event(session)
    empty = built(session, event, name="空き団地", units=1, barrier_free_units=0)
    sites.delete_site(session=session, municipality_code=CODE, site_id=empty.id)
    assert sites.sites(session=session, municipality_code=CODE, event_id=event.id) == []

    site = built(session, event)
    application = placed(session, event, "ST-2")
    with pytest.raises(ConflictError, match="withdraw or re-place"):
        sites.delete_site(session=session, municipality_code=CODE, site_id=site.id)
    service.close(
        session=session,
        municipality_code=CODE,
        application_id=application.id,
        to=HousingStatus.withdrawn,
        reason="辞退",
        changed_by="hq",
    )
    sites.delete_site(session=session, municipality_code=CODE, site_id=site.id)
    assert sites.sites(session=session, municipality_code=CODE, event_id=event.id) == []


def test_sites_over_http_are_checked_and_audited(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    event = make_event(session)
    hq = auth_headers(Role.hq)
    body = {"event_id": event.id, "kind": "built", "name": "西団地", "units": 2}
    for key in ("nope", "12227999999"):
        refused = client.post(BASE, json={**body, "chome_key_code": key}, headers=hq)
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"].startswith("field 'chome_key_code'")
    created = client.post(BASE, json={**body, "chome_key_code": TODAIJIMA_1}, headers=hq)
    assert created.status_code == 201, created.text
    site = created.json()["id"]

    changed = client.patch(
        f"{BASE}/{site}", json={"name": "西第二団地", "chome_key_code": HOKUEI_1}, headers=hq
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["chome_key_code"]) == ("西第二団地", HOKUEI_1)
    assert changed.json()["units"] == 2  # not sent, not changed
    bad = client.patch(f"{BASE}/{site}", json={"chome_key_code": "nope"}, headers=hq)
    assert bad.status_code == 422 and bad.json()["detail"].startswith("field 'chome_key_code'")
    for empty in ({}, {"name": None}, {"created_by": "x"}):
        assert client.patch(f"{BASE}/{site}", json=empty, headers=hq).status_code == 422
    cleared = client.patch(f"{BASE}/{site}", json={"chome_key_code": None}, headers=hq)
    assert cleared.status_code == 200 and cleared.json()["chome_key_code"] is None
    assert client.patch(f"{BASE}/999999", json={"name": "x"}, headers=hq).status_code == 404

    application = placed(session, event, "ST-3")
    assert application.site_id == site
    assert client.delete(f"{BASE}/{site}", headers=hq).status_code == 409
    shrink = client.patch(f"{BASE}/{site}", json={"units": 1}, headers=hq)
    assert shrink.status_code == 200  # one unit is still enough for the one household
    assert client.patch(f"{BASE}/{site}", json={"kind": "leased"}, headers=hq).status_code == 200

    spare = client.post(BASE, json=body, headers=hq).json()["id"]
    assert client.delete(f"{BASE}/{spare}", headers=hq).status_code == 204
    assert client.delete(f"{BASE}/{spare}", headers=hq).status_code == 404
    listed = client.get(BASE, params={"event_id": event.id}, headers=hq).json()
    assert [s["id"] for s in listed] == [site]
    supporter = auth_headers(Role.supporter, district="当代島")
    assert client.delete(f"{BASE}/{site}", headers=supporter).status_code == 403

    entries = session.execute(
        select(AuditEntry.action, AuditEntry.resource, AuditEntry.fields)
        .where(AuditEntry.resource.like("housing-site/%"))
        .order_by(AuditEntry.id)
    ).all()
    assert [(a, r) for a, r, _ in entries] == [
        (AuditAction.create, f"housing-site/{site}"),
        (AuditAction.update, f"housing-site/{site}"),
        (AuditAction.update, f"housing-site/{site}"),
        (AuditAction.update, f"housing-site/{site}"),
        (AuditAction.update, f"housing-site/{site}"),
        (AuditAction.create, f"housing-site/{spare}"),
        (AuditAction.delete, f"housing-site/{spare}"),
    ]
    assert entries[1].fields == ["chome_key_code", "name"]
