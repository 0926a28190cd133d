"""Residents by birth date: the shelter desk's matching of typed or card facts starts there.

`sheltering.matching.by_facts` selects a municipality's residents born on the given day, then
compares names and addresses. Without an index each such check-in read all of the city's people
(488k in Nishinomiya); with it, the handful born that day.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_person_birth_date", "person", ["municipality_code", "birth_date"])


def downgrade() -> None:
    op.drop_index("ix_person_birth_date", table_name="person")
