"""How a survey photo may be sent (the bytes, or one multipart file) and what the refusals say;
a survey needs a surveyor's name that says something."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from damage.factory import URAYASU, make_dwelling, make_event, make_household, survey_input
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from sonae.damage.service import record_survey
from sonae.errors import InvalidInputError
from sonae.security.roles import Role

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
Headers = Callable[..., dict[str, str]]


@pytest.fixture(autouse=True)
def photo_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SONAE_DAMAGE_PHOTO_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def photos_url(session: Session) -> str:
    event = make_event(session)
    household, _ = make_household(session, members=1)
    dwelling = make_dwelling(session, households=(household,))
    survey, _ = record_survey(
        session=session, municipality_code=URAYASU, event_id=event.id,
        data=survey_input(dwelling.id, direct_ratio=30), recorded_by="t",
    )  # fmt: skip
    return f"/api/events/{event.id}/surveys/{survey.id}/photos"


def test_curls_default_form_type_is_refused_naming_what_is_expected(
    client: TestClient, auth_headers: Headers, photos_url: str
) -> None:
    """`curl --data-binary @x.jpg` sends application/x-www-form-urlencoded: was a 500."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    refused = client.post(photos_url, content=JPEG, headers={**auth_headers(Role.hq), **form})
    assert refused.status_code == 415, refused.text
    detail = refused.json()["detail"]
    assert "Content-Type application/x-www-form-urlencoded is not read here" in detail
    assert "image/jpeg" in detail and "multipart/form-data" in detail
    text = client.post(photos_url, content=JPEG,
                       headers={**auth_headers(Role.hq), "Content-Type": "text/plain"})  # fmt: skip
    assert text.status_code == 415


def test_a_multipart_upload_is_read_and_a_non_image_part_is_named(
    client: TestClient, auth_headers: Headers, photos_url: str
) -> None:
    hq = auth_headers(Role.hq)
    pdf = client.post(photos_url, files={"photo": ("伊藤様宅.pdf", b"%PDF-1.7")}, headers=hq)
    assert pdf.status_code == 422, pdf.text
    detail = pdf.json()["detail"]
    assert detail == "photo (multipart file part 'photo'): not a JPEG, PNG or WebP image"
    two = client.post(photos_url, files=[("a", ("a.jpg", JPEG)), ("b", ("b.jpg", JPEG))],
                      headers=hq)  # fmt: skip
    assert two.status_code == 422 and "2 file parts" in two.text
    stored = client.post(photos_url, files={"photo": ("x.jpg", JPEG, "image/jpeg")}, headers=hq)
    assert stored.status_code == 201, stored.text
    assert stored.json()["content_type"] == "image/jpeg"


def test_a_blank_surveyor_is_refused(
    client: TestClient, auth_headers: Headers, session: Session
) -> None:
    event = make_event(session)
    household, _ = make_household(session, members=1)
    dwelling = make_dwelling(session, households=(household,))
    body = {"dwelling_id": dwelling.id, "round": "first_exterior", "surveyor": "\u3000",
            "surveyed_on": "2026-11-05", "direct_ratio": 30}  # fmt: skip
    refused = client.post(f"/api/events/{event.id}/surveys", json=body,
                          headers=auth_headers(Role.hq))  # fmt: skip
    assert refused.status_code == 422 and "surveyor" in refused.text, refused.text
    with pytest.raises(InvalidInputError, match="'surveyor': must not be blank"):
        record_survey(
            session=session, municipality_code=URAYASU, event_id=event.id,
            data=survey_input(dwelling.id, direct_ratio=30, surveyor=" "), recorded_by="t",
        )  # fmt: skip
