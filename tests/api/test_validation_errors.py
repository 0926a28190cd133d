"""A refused request is answered with where and why, never with what was sent (it may hold a
name, an address or a personal number): one app-wide handler (api.errors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sonae.api.errors import safe_errors
from sonae.security.roles import Role

NAME = "山本　学"
MY_NUMBER = "740571314782"
ADDRESS = "浦安市当代島1-2-3"
SECRETS = ("山本", MY_NUMBER, "当代島", "1971")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/events/1/safety/reports", {"status": f"{NAME} {MY_NUMBER}"}, "status"),
        ("/api/events/1/safety/reports", {"person_id": 1, "contact": ADDRESS}, "source"),
        ("/api/consents", {"person_id": NAME, "scope": MY_NUMBER, "note": ADDRESS}, "scope"),
        ("/api/consents", {"person_id": 1, "decided_on": "1971年4月1日"}, "decided_on"),
        ("/api/events/1/surveys", {"surveyor": NAME, "note": ADDRESS, "round": "x"}, "round"),
        ("/api/events/1/surveys", {"part_damage": {NAME: "全壊"}}, "part_damage"),
        ("/api/events/1/surveys", {"surveyed_on": MY_NUMBER, f"{NAME}": 1}, "surveyed_on"),
    ],
)
def test_a_refused_body_is_not_echoed(
    client: TestClient, auth_headers: Callable[..., dict[str, str]], path: str,
    body: dict[str, Any], field: str,
) -> None:  # fmt: skip
    response = client.post(path, json=body, headers=auth_headers([Role.hq, Role.welfare]))
    assert response.status_code == 422, response.text
    for secret in SECRETS:
        assert secret not in response.text, secret
    detail = response.json()["detail"]
    assert all(set(e) <= {"loc", "type", "msg", "ctx"} for e in detail)
    assert any(field in e["loc"] for e in detail), detail


def test_query_and_path_errors_keep_where_and_why(client: TestClient) -> None:
    response = client.get(f"/api/events/{MY_NUMBER}x/safety/progress")
    assert response.status_code == 422
    assert MY_NUMBER not in response.text
    assert response.json()["detail"][0]["loc"] == ["path", "event_id"]


def test_the_schema_context_is_kept_the_inputs_is_not() -> None:
    errors = [
        {"loc": ("body", "n"), "type": "less_than_equal", "msg": "≤ 100", "input": 740,
         "ctx": {"le": 100}},
        {"loc": ("body", "identity"), "type": "union_tag_invalid", "input": {"method": NAME},
         "msg": f"Input tag '{NAME}' found using 'method' does not match any of the expected "
                "tags: 'typed'",
         "ctx": {"discriminator": "'method'", "tag": NAME, "expected_tags": "'typed'"}},
    ]  # fmt: skip
    shown = safe_errors(errors)
    assert shown[0] == {"loc": ["body", "n"], "type": "less_than_equal", "msg": "≤ 100",
                        "ctx": {"le": 100}}  # fmt: skip
    assert NAME not in str(shown[1]) and "expected_tags" in shown[1]["ctx"]
