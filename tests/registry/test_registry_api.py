"""The registry API: import history for welfare and hq, unmatched addresses for welfare, audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry_rows import URAYASU, Importer, address_number, person, resident, write_rows
from sonae.audit.models import AuditEntry
from sonae.security.roles import Role

Headers = Callable[..., dict[str, str]]


def test_import_history_shows_counts_and_no_personal_data(
    client: TestClient, auth_headers: Headers, tmp_path: Path, run_import: Importer
) -> None:
    run_import(write_rows(tmp_path / "registry.csv", [resident(1), resident(2, 住所="未知町1")]))
    for role in (Role.welfare, Role.hq):
        response = client.get("/api/registry/imports", headers=auth_headers(role))
        assert response.status_code == 200, response.text
        body = response.json()
        latest = body["imports"][0]
        assert (latest["file_name"], latest["kind"], latest["rows"], latest["geocoded"]) == (
            "registry.csv",
            "full",
            2,
            1,
        )
        assert "浦安" not in response.text and address_number(1) not in response.text
    refused = client.get(
        "/api/registry/imports", headers=auth_headers(Role.supporter, district="当代島")
    )
    assert refused.status_code == 403


def test_unmatched_addresses_are_for_welfare_and_every_read_is_audited(
    session: Session,
    client: TestClient,
    auth_headers: Headers,
    tmp_path: Path,
    run_import: Importer,
) -> None:
    run_import(write_rows(tmp_path / "r.csv", [resident(1), resident(2, 住所="浦安市未知町1-2")]))
    lost = person(session, address_number(2))
    assert (
        client.get("/api/registry/geocoding/unmatched", headers=auth_headers(Role.hq)).status_code
        == 403
    )
    response = client.get("/api/registry/geocoding/unmatched", headers=auth_headers(Role.welfare))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 1
    [entry] = body["people"]
    assert (entry["person_id"], entry["address_number"], entry["geocode_note"]) == (
        lost.id,
        address_number(2),
        "no such town (町・大字) in the municipality",
    )
    audited = session.scalars(
        select(AuditEntry).where(
            AuditEntry.municipality_code == URAYASU,
            AuditEntry.resource == "registry.geocoding.unmatched",
        )
    ).all()
    assert [a.person_ids for a in audited] == [[lost.id]]
