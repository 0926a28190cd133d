"""Logins and failed logins by user: the login's lockout check reads only those.

`audit.service.recent_login_failures` looks for a user's last successful login and failures
since. Through the index of all of a user's entries by time it walked every entry since that
login: a shelter tablet's account writes an audit entry per check-in, so a login took ~11 ms
early in an event and more as the event went on. This partial index holds the login entries
only (a few per user per day); the other entries are not indexed by it.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_log_logins",
        "audit_log",
        ["username", "at"],
        postgresql_where=sa.text("action IN ('login', 'login_failed')"),
    )


def downgrade() -> None:
    op.drop_index("ix_audit_log_logins", table_name="audit_log")
