"""Property-based requests for every operation of the OpenAPI schema: no server errors (5xx).

schemathesis generates requests from the app's own schema and sends them through the ASGI app,
as a user holding every role and the my_number_read permission, so that handlers actually run.
Only `not_a_server_error` is checked: a 4xx is a legitimate answer to a generated request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from leaks import record_response
from schemathesis.checks import not_a_server_error
from schemathesis.generation.case import Case
from schemathesis.schemas import APIOperation
from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts import Credentials, login
from sonae.api.deps import get_db
from sonae.main import create_app
from sonae.security.roles import Permission, Role
from sonae.shelter.models import Shelter

MAX_EXAMPLES = 20
# Logging out revokes the token every other operation is sent with: it runs last.
LAST = ("POST", "/api/auth/logout")


def test_no_operation_answers_with_a_server_error(
    session: Session, make_user: Callable[..., Credentials]
) -> None:
    app = create_app()

    def test_db() -> Iterator[Session]:
        # As get_db: commit (a savepoint release) on success, roll back the request's savepoint
        # on failure, so one refused request leaves the test's transaction usable for the next.
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    app.dependency_overrides[get_db] = test_db
    shelter = session.scalars(
        select(Shelter.id).where(Shelter.municipality_code == "122271").order_by(Shelter.id)
    ).first()
    everything = make_user(
        list(Role), district="当代島", shelter_ids=[shelter], permissions=list(Permission)
    )
    with TestClient(app) as client:
        headers = login(client, everything)

    schema = schemathesis.openapi.from_dict(app.openapi())
    schema.app = app
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: (op.method.upper(), op.path) == LAST)
    assert len(operations) > 30

    failures: list[str] = []
    for operation in operations:
        endpoint = f"{operation.method.upper()} {operation.path}"
        try:
            _fuzz(operation, endpoint, headers)
        except Exception as exc:  # every operation's failure is collected, then reported at once
            failures.append(f"{endpoint}: {type(exc).__name__}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)


def _fuzz(operation: APIOperation, endpoint: str, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Case) -> None:
        response = case.call(headers=headers)
        record_response(endpoint, response.content)
        case.validate_response(response, checks=[not_a_server_error])

    run()
