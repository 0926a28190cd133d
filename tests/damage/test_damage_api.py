"""Surveys, photos, judgements and criteria over HTTP: roles, audit, files on disk."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from damage.factory import make_dwelling, make_event, make_household
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.audit.models import AuditEntry
from sonae.registry.models import Person
from sonae.security.roles import Role

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SONAE_DAMAGE_PHOTO_DIR", str(tmp_path))
    return tmp_path


def test_survey_judgement_and_photos(
    client: TestClient,
    session: Session,
    auth_headers: Callable[..., dict[str, str]],
    photo_dir: Path,
) -> None:
    event = make_event(session)
    household, people = make_household(session, members=2)
    dwelling = make_dwelling(session, households=(household,))
    hq = auth_headers(Role.hq)
    body = {
        "dwelling_id": dwelling.id,
        "round": "first_exterior",
        "surveyor": "調査 一郎",
        "surveyed_on": "2026-11-05",
        "part_damage": {"roof": 100, "columns": 100, "floors": 100, "exterior_walls": 100},
    }
    made = client.post(f"/api/events/{event.id}/surveys", json=body, headers=hq)
    assert made.status_code == 201, made.text
    judgement = made.json()["judgement"]
    assert (judgement["level"], judgement["level_label"], judgement["ratio"]) == (
        "total_collapse",
        "全壊",
        50.0,
    )
    survey_id = made.json()["survey"]["id"]

    photo = client.post(
        f"/api/events/{event.id}/surveys/{survey_id}/photos", content=JPEG, headers=hq
    )
    assert photo.status_code == 201, photo.text
    stored = photo_dir / photo.json()["path"]
    assert stored.read_bytes() == JPEG
    assert photo.json()["sha256"] == hashlib.sha256(JPEG).hexdigest()
    assert photo.json()["content_type"] == "image/jpeg"
    again = client.post(
        f"/api/events/{event.id}/surveys/{survey_id}/photos", content=JPEG, headers=hq
    )
    assert again.status_code == 409
    not_image = client.post(
        f"/api/events/{event.id}/surveys/{survey_id}/photos", content=b"%PDF-1.7", headers=hq
    )
    assert not_image.status_code == 422
    assert "not a JPEG, PNG or WebP" in not_image.text
    png = client.post(f"/api/events/{event.id}/surveys/{survey_id}/photos", content=PNG, headers=hq)
    assert png.json()["content_type"] == "image/png"

    history = client.get(f"/api/events/{event.id}/dwellings/{dwelling.id}/judgements", headers=hq)
    assert history.json()["in_force"]["level"] == "total_collapse"
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.resource == f"event/{event.id}/dwelling/{dwelling.id}/judgements"
        )
    ).one()
    assert sorted(entry.person_ids) == sorted(p.id for p in people)
    assert session.scalar(select(Person.id).where(Person.id == people[0].id)) is not None


def test_only_hq_records_surveys(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]]
) -> None:
    event = make_event(session)
    dwelling = make_dwelling(session)
    body = {
        "dwelling_id": dwelling.id,
        "round": "first_exterior",
        "surveyor": "x",
        "surveyed_on": "2026-11-05",
        "direct_ratio": 10,
    }
    for role in (Role.welfare, Role.auditor, Role.admin):
        response = client.post(
            f"/api/events/{event.id}/surveys", json=body, headers=auth_headers(role)
        )
        assert response.status_code == 403, role
    assert client.post(f"/api/events/{event.id}/surveys", json=body).status_code == 401


def test_bad_survey_input_is_422(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]]
) -> None:
    event = make_event(session)
    dwelling = make_dwelling(session)
    hq = auth_headers(Role.hq)
    base = {
        "dwelling_id": dwelling.id,
        "round": "first_exterior",
        "surveyor": "x",
        "surveyed_on": "2026-11-05",
    }
    for extra in (
        {"direct_ratio": 101},
        {"part_damage": {"roof": 120}},
        {"part_damage": {"chimney": 10}},
        {"direct_ratio": 10, "part_damage": {"roof": 10}},
        {},
    ):
        response = client.post(f"/api/events/{event.id}/surveys", json=base | extra, headers=hq)
        assert response.status_code == 422, (extra, response.text)


def test_criteria_switch_over_http(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]]
) -> None:
    event = make_event(session)
    hq = auth_headers(Role.hq)
    unknown = client.post(
        f"/api/events/{event.id}/criteria-switches",
        json={"version": "nope", "reason": "x"},
        headers=hq,
    )
    assert unknown.status_code == 404
    household, _ = make_household(session)
    make_dwelling(session, households=(household,))
    versions = client.get("/api/damage-criteria", headers=hq)
    assert versions.status_code == 200
