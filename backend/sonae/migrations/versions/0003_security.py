"""Users, access tokens and the append-only audit trail.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USER_ROLE = postgresql.ENUM(
    "hq", "welfare", "shelter_staff", "supporter", "auditor", "admin",
    name="user_role", create_type=False,
)
USER_PERMISSION = postgresql.ENUM("my_number_read", name="user_permission", create_type=False)
AUDIT_ACTION = postgresql.ENUM(
    "read", "create", "update", "delete", "export", "login", "login_failed", "logout",
    name="audit_action", create_type=False,
)

APPEND_ONLY = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def upgrade() -> None:
    bind = op.get_bind()
    for enum in (USER_ROLE, USER_PERMISSION, AUDIT_ACTION):
        enum.create(bind, checkfirst=False)

    op.create_table(
        "app_user",
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("roles", postgresql.ARRAY(USER_ROLE), nullable=False),
        sa.Column(
            "permissions", postgresql.ARRAY(USER_PERMISSION),
            server_default=sa.text("'{}'"), nullable=False,
        ),
        sa.Column("district", sa.String(length=100), nullable=True),
        sa.Column(
            "shelter_ids", postgresql.ARRAY(sa.BigInteger()),
            server_default=sa.text("'{}'"), nullable=False,
        ),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("municipality_code", sa.CHAR(length=6), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_code"], ["municipality.code"],
            name=op.f("fk_app_user_municipality_code_municipality"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("municipality_code", "id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "access_token",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("token_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("municipality_code", sa.CHAR(length=6), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_code", "user_id"], ["app_user.municipality_code", "app_user.id"],
            name=op.f("fk_access_token_municipality_code_user_id_app_user"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_code"], ["municipality.code"],
            name=op.f("fk_access_token_municipality_code_municipality"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("municipality_code", "id", name=op.f("pk_access_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_access_token_token_hash")),
    )
    op.create_index("ix_access_token_user", "access_token", ["municipality_code", "user_id"])

    op.create_table(
        "audit_log",
        sa.Column("municipality_code", sa.CHAR(length=6), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("clock_timestamp()"),
            nullable=False,
        ),
        sa.Column("username", sa.String(length=100), nullable=True),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "roles", postgresql.ARRAY(sa.String(length=20)), server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("action", AUDIT_ACTION, nullable=False),
        sa.Column("resource", sa.String(length=100), nullable=False),
        sa.Column(
            "person_ids", postgresql.ARRAY(sa.BigInteger()), server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column(
            "fields", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("purpose_code", sa.Text(), nullable=True),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.Column("client_address", sa.Text(), nullable=True),
        sa.Column(
            "detail", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("municipality_code", "id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_username_at", "audit_log", ["username", "at"])
    op.create_index("ix_audit_log_municipality_at", "audit_log", ["municipality_code", "at"])
    op.create_index(
        "ix_audit_log_person_ids", "audit_log", ["person_ids"], postgresql_using="gin"
    )

    # Append-only: no role may change or remove an entry, whatever its grants.
    op.execute(APPEND_ONLY)
    op.execute(
        "CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
    )
    op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC")


def downgrade() -> None:
    # Dropping the table drops its triggers; the trail goes with the schema revision.
    op.drop_index("ix_audit_log_person_ids", table_name="audit_log", postgresql_using="gin")
    op.drop_index("ix_audit_log_municipality_at", table_name="audit_log")
    op.drop_index("ix_audit_log_username_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.execute("DROP FUNCTION audit_log_append_only()")
    op.drop_index("ix_access_token_user", table_name="access_token")
    op.drop_table("access_token")
    op.drop_table("app_user")
    bind = op.get_bind()
    for enum in (AUDIT_ACTION, USER_PERMISSION, USER_ROLE):
        enum.drop(bind, checkfirst=False)
