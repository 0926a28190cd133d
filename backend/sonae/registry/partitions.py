"""Where an import writes: a city's first import fills its own unindexed partitions.

person, person_history and my_number are partitioned by municipality (migration 0014). When a
municipality has no people yet, `begin` asks the database for three empty tables of its own
(no index, no foreign key): COPY into them costs about a third of COPY through the indexes with a
key probe per row, and as they are new in this transaction, COPY writes their rows frozen.
`attach` makes each one a partition, which builds its indexes in bulk and checks its keys with
one join (migration 0018). All in the import's transaction: a failed import leaves nothing.
Any other import writes the partitioned tables themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Targets:
    """The tables an import COPYs into."""

    person: str = "person"
    history: str = "person_history"
    my_number: str = "my_number"
    first_load: bool = False
    """True when these are the city's own new tables, attached by attach(); COPY writes
    their rows frozen (they are new in this transaction)."""


def begin(*, session: Session, municipality_code: str) -> Targets:
    """The city's own new tables if it holds nobody yet, else the partitioned tables."""
    first = session.execute(
        text("SELECT sonae_registry_load_begin(:code)"), {"code": municipality_code}
    ).scalar_one()
    if not first:
        return Targets()
    suffix = f"_m{municipality_code}"
    return Targets(
        person=f"person{suffix}",
        history=f"person_history{suffix}",
        my_number=f"my_number{suffix}",
        first_load=True,
    )


def attach(
    *, session: Session, municipality_code: str, targets: Targets, tables: tuple[str, ...]
) -> None:
    """Attach a first load's own tables (`tables` by their parent's name: person first, as the
    others' keys refer to it) as the city's partitions: indexed, keys checked, analyzed. Any
    other import wrote the partitioned tables: nothing to do."""
    if not targets.first_load:
        return
    for table in tables:
        session.execute(
            text("SELECT sonae_registry_load_attach(:code, :table)"),
            {"code": municipality_code, "table": table},
        )
