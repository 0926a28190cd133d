"""Registry import fast path: person_history and my_number check the municipality only through
their person.

Both tables already have a composite foreign key (municipality_code, person_id) → person, and
person has its own key to municipality, so their direct key to municipality proved nothing new
while costing one more referential check per row written (a first import writes 488k of each).
Deleting a municipality still cascades to them, through person.

Revision ID: 0011
Revises: 0009
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("person_history", "my_number")


def upgrade() -> None:
    for table in TABLES:
        op.drop_constraint(f"fk_{table}_municipality_code_municipality", table, type_="foreignkey")


def downgrade() -> None:
    for table in TABLES:
        op.create_foreign_key(
            f"fk_{table}_municipality_code_municipality",
            table,
            "municipality",
            ["municipality_code"],
            ["code"],
            ondelete="CASCADE",
        )
