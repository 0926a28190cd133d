"""Let the application role refresh the planner's statistics of the bulk-imported tables.

A first registry import writes ~488k people; the support-list build that follows planned over
statistics that had never seen the new municipality code and ran for many minutes (nested loops).
ANALYZE needs the table's owner (PostgreSQL 15 has no MAINTAIN privilege) while the application
acts as sonae_app, so the owner provides one SECURITY DEFINER function that analyzes only the
tables named here, and sonae_app may call nothing else with the owner's rights.

Revision ID: 0013
Revises: 0011
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = "sonae_app"
FUNCTION = "sonae_refresh_statistics(text[])"


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION sonae_refresh_statistics(tables text[]) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            name text;
        BEGIN
            FOREACH name IN ARRAY tables LOOP
                IF name NOT IN ('person', 'person_history', 'my_number', 'welfare_record') THEN
                    RAISE EXCEPTION 'no statistics refresh for table %', name
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                EXECUTE format('ANALYZE %I', name);
            END LOOP;
        END
        $$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {FUNCTION} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {FUNCTION} TO {ROLE}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION {FUNCTION}")
