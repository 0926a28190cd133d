"""The audit trail: append-only in the database itself, searchable and exportable by auditors,
and every such read audited in turn."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from structlog.testing import capture_logs

from accounts import Credentials, login
from sonae.audit import service as audit
from sonae.audit.models import AuditAction, AuditEntry
from sonae.errors import InvalidInputError
from sonae.security.roles import Principal, Role

PERSON = 424242  # audit entries name people by internal id only; no person row is needed


@pytest.fixture
def entry(session: Session, make_principal: Callable[..., Principal]) -> int:
    principal = make_principal(Role.welfare)
    audit.record(
        session=session,
        principal=principal,
        action="read",
        resource="support_list.extract",
        person_ids=[PERSON, 7],
        fields=["name", "address"],
        purpose_code="support_list",
        detail={"rows": 2},
    )
    entry_id = session.scalars(
        select(AuditEntry.id).where(AuditEntry.user_id == principal.user_id)
    ).one()
    session.commit()  # a savepoint: the statements below run in their own savepoints
    return entry_id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET username = 'someone else' WHERE id = :id",
        "UPDATE audit_log SET person_ids = '{}' WHERE id = :id",
        "DELETE FROM audit_log WHERE id = :id",
        "TRUNCATE audit_log",
    ],
)
def test_the_database_refuses_to_change_or_remove_an_entry(
    session: Session, entry: int, statement: str
) -> None:
    # As the schema owner, whom no grant stops, only the trigger stands in the way (the app's
    # own role lacks the privileges: test_application_role). Rolled back with the test.
    session.execute(text("RESET ROLE"))
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text(statement), {"id": entry} if ":id" in statement else {})
    assert session.get(AuditEntry, ("122271", entry)) is not None


def test_public_holds_no_update_delete_or_truncate_grant(engine: Engine) -> None:
    with engine.connect() as connection:
        grants = (
            connection.execute(
                text(
                    "SELECT privilege_type FROM information_schema.role_table_grants "
                    "WHERE table_name = 'audit_log' AND grantee = 'PUBLIC'"
                )
            )
            .scalars()
            .all()
        )
    assert not {"UPDATE", "DELETE", "TRUNCATE"} & set(grants)


def test_an_entry_carries_who_what_whom_why_and_the_request(
    client: TestClient, session: Session, make_user: Callable[..., Credentials]
) -> None:
    auditor = make_user(Role.auditor)
    headers = login(client, auditor) | {"X-Request-ID": "trace-123"}
    response = client.get("/api/audit", params={"person_id": PERSON}, headers=headers)
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "trace-123"
    own = session.scalars(
        select(AuditEntry).where(
            AuditEntry.user_id == auditor.principal.user_id,
            AuditEntry.resource == "audit.search",
        )
    ).one()
    assert own.username == auditor.username and own.roles == ["auditor"]
    assert own.action is AuditAction.read and own.person_ids == [PERSON]
    assert own.request_id == "trace-123" and own.client_address == "testclient"
    assert own.municipality_code == "122271"


def test_auditors_search_by_person_and_user(
    client: TestClient, entry: int, auth_headers: Callable[..., dict[str, str]]
) -> None:
    headers = auth_headers(Role.auditor)
    body = client.get("/api/audit", params={"person_id": PERSON}, headers=headers).json()
    assert [e["id"] for e in body["entries"]] == [entry]
    found = body["entries"][0]
    assert found["resource"] == "support_list.extract"
    assert found["fields"] == ["name", "address"] and found["purpose_code"] == "support_list"
    assert found["person_ids"] == [7, PERSON]
    by_user = client.get(
        "/api/audit", params={"username": found["username"]}, headers=headers
    ).json()
    assert by_user["total"] == 1
    nothing = client.get("/api/audit", params={"until": "2000-01-01T00:00:00Z"}, headers=headers)
    assert nothing.json()["total"] == 0


def test_a_persons_access_history_exports_as_csv_and_the_export_is_audited(
    client: TestClient,
    session: Session,
    entry: int,
    make_user: Callable[..., Credentials],
) -> None:
    auditor = make_user(Role.auditor)
    headers = login(client, auditor)
    client.get("/api/audit", params={"person_id": PERSON}, headers=headers)
    response = client.get(f"/api/audit/persons/{PERSON}/export", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert f"access_history_{PERSON}.csv" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["日時", "利用者", "役割", "操作", "対象", "項目", "利用目的", "要求ID"]
    assert [r[4] for r in rows[1:]] == ["support_list.extract", "audit.search"]
    assert rows[1][5] == "name address" and rows[1][6] == "support_list"
    exported = session.scalars(
        select(AuditEntry).where(
            AuditEntry.user_id == auditor.principal.user_id,
            AuditEntry.action == AuditAction.export,
        )
    ).one()
    assert exported.person_ids == [PERSON] and exported.detail == {"entries": 2}


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.auditor])
def test_only_auditors_read_the_trail(
    client: TestClient,
    auth_headers: Callable[..., dict[str, str]],
    scope_for: Callable[[Role], dict[str, object]],
    role: Role,
) -> None:
    headers = auth_headers(role, **scope_for(role))
    for path in ("/api/audit", f"/api/audit/persons/{PERSON}/export"):
        response = client.get(path, headers=headers)
        assert response.status_code == 403
        assert response.json()["detail"] == "this needs one of the roles: auditor"


def test_recording_an_unknown_action_fails(
    session: Session, make_principal: Callable[..., Principal]
) -> None:
    with pytest.raises(InvalidInputError, match="unknown audit action"):
        audit.record(session=session, principal=make_principal(), action="peek", resource="x")


def test_a_failed_audit_write_fails_the_read_with_it(
    client: TestClient, session: Session, auth_headers: Callable[..., dict[str, str]]
) -> None:
    headers = auth_headers(Role.auditor)
    # Only the schema owner may alter the table; the role switch and the constraint both roll
    # back with the test. NOT VALID: the trail may already hold exports that other tests'
    # committed CLI runs left (it is append-only); only the new row must be refused.
    session.execute(text("RESET ROLE"))
    session.execute(
        text("ALTER TABLE audit_log ADD CONSTRAINT no_exports CHECK (action <> 'export') NOT VALID")
    )
    session.execute(text("SET ROLE sonae_app"))
    with capture_logs() as logs:
        refused = client.get(f"/api/audit/persons/{PERSON}/export", headers=headers)
    assert refused.status_code == 500  # the CSV is never handed out
    assert "text/csv" not in refused.headers["content-type"]
    assert [(e["event"], e["constraint"]) for e in logs if e["event"] == "database error"] == [
        ("database error", "no_exports")
    ]


def test_a_request_id_holding_a_personal_number_never_reaches_the_audit_trail(
    client: TestClient, session: Session, make_user: Callable[..., Credentials]
) -> None:
    auditor = make_user(Role.auditor)
    headers = login(client, auditor) | {"X-Request-ID": "123456789018"}
    response = client.get("/api/audit", params={"person_id": PERSON}, headers=headers)
    assert response.status_code == 200
    assert response.headers["x-request-id"] != "123456789018"
    own = session.scalars(
        select(AuditEntry).where(
            AuditEntry.user_id == auditor.principal.user_id,
            AuditEntry.resource == "audit.search",
        )
    ).one()
    assert own.request_id == response.headers["x-request-id"]
