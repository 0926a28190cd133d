"""Who is to be placed, where they stand, what their shelter must withstand, and the shelters.

People are read once into a temporary table; everything spatial is then done per distinct
address point (a registry geocodes to a few thousand points, not 164k), so the hazard join and
the snapping to the road network cost per point, not per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from sonae.hazard.models import SHELTER_FLAG_FOR_HAZARD
from sonae.shelter.models import HAZARD_FLAGS

ELDERLY_AGE = 65
"""From this age a person walks at the slower speed (assumed: the usual 高齢者 threshold)."""
SNAP_CANDIDATES = 5
"""Road nodes considered around each address point or shelter."""
SNAP_SLACK_M = 150.0
"""A point may snap up to this much farther than its nearest node to reach a connected one."""

DROP = "DROP TABLE IF EXISTS pg_temp.assign_person, pg_temp.assign_place"

PEOPLE = """
CREATE TEMP TABLE assign_person ON COMMIT DROP AS
SELECT p.id, p.household_number, p.location,
       date_part('year', age(CAST(:as_of AS date), p.birth_date)) >= :elderly_age AS elderly,
       coalesce(CAST(e.snapshot ->> 'needs_care' AS boolean), false) AS needs_care,
       e.person_id IS NOT NULL AS listed
FROM person p
LEFT JOIN support_list_entry e
  ON e.municipality_code = p.municipality_code AND e.build_id = :build_id
 AND e.person_id = p.id
WHERE p.municipality_code = :code AND p.status = 'resident'
  AND (NOT :listed_only OR e.person_id IS NOT NULL)
"""

PLACES = """
CREATE TEMP TABLE assign_place ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY location) AS place_id, location,
       ST_Transform(location, :srid) AS pt
FROM (SELECT DISTINCT location FROM assign_person WHERE location IS NOT NULL) d
"""

PLACE_FLAGS = """
SELECT pl.place_id,
       array_agg(DISTINCT coalesce(f.flag, '?' || CAST(hp.hazard_type AS text))) AS flags
FROM assign_place pl
JOIN hazard_zone_part hp
  ON hp.municipality_code = :code AND ST_Intersects(hp.geom, pl.location)
 AND (CAST(:hazard AS text) IS NULL OR CAST(hp.hazard_type AS text) = :hazard)
LEFT JOIN unnest(CAST(:hazard_types AS text[]), CAST(:hazard_flags AS text[]))
     AS f(hazard_type, flag) ON f.hazard_type = CAST(hp.hazard_type AS text)
GROUP BY pl.place_id
"""

PLACE_NODES = """
SELECT pl.place_id, k.node_id, k.dist
FROM assign_place pl
CROSS JOIN LATERAL (
    SELECT n.node_id, ST_Distance(ST_Transform(n.point, :srid), pl.pt) AS dist
    FROM road_node n
    WHERE n.municipality_code = :code
    ORDER BY n.point <-> pl.location
    LIMIT :k
) k
ORDER BY pl.place_id, k.dist
"""

PEOPLE_ROWS = """
SELECT a.id, pl.place_id, a.needs_care, a.listed, a.elderly OR a.needs_care AS slow
FROM assign_person a
LEFT JOIN assign_place pl ON pl.location = a.location
ORDER BY a.household_number, a.id
"""

SHELTERS = f"""
SELECT s.id, s.is_welfare, coalesce(s.capacity, s.estimated_capacity, 0) AS capacity,
       array_remove(ARRAY[{", ".join(f"CASE WHEN s.{f} THEN '{f}' END" for f in HAZARD_FLAGS)}],
                    NULL) AS ok,
       k.node_id, k.dist
FROM shelter s
LEFT JOIN LATERAL (
    SELECT n.node_id, ST_Distance(ST_Transform(n.point, :srid), ST_Transform(s.point, :srid))
           AS dist
    FROM road_node n
    WHERE n.municipality_code = :code
    ORDER BY n.point <-> s.point
    LIMIT :k
) k ON true
WHERE s.municipality_code = :code
ORDER BY s.id, k.dist
"""


@dataclass(frozen=True)
class PersonRow:
    id: int
    place: int | None
    needs_care: bool
    listed: bool
    slow: bool


@dataclass(frozen=True)
class Place:
    flags: frozenset[str]
    """Shelter flags needed; '?type' for a hazard no flag covers (no shelter satisfies it)."""
    candidates: list[tuple[int, float]]
    """(road node id, metres), nearest first."""


@dataclass(frozen=True)
class ShelterRow:
    id: int
    is_welfare: bool
    capacity: int
    ok: frozenset[str]
    candidates: list[tuple[int, float]]


def read_people(
    *,
    session: Session,
    municipality_code: str,
    srid: int,
    as_of: date,
    build_id: int | None,
    listed_only: bool,
    hazard: str | None,
) -> tuple[list[PersonRow], dict[int, Place]]:
    params: dict[str, Any] = {
        "code": municipality_code,
        "srid": srid,
        "as_of": as_of,
        "build_id": build_id or 0,
        "listed_only": listed_only,
        "elderly_age": ELDERLY_AGE,
        "hazard": hazard,
        "hazard_types": [str(h) for h in SHELTER_FLAG_FOR_HAZARD],
        "hazard_flags": list(SHELTER_FLAG_FOR_HAZARD.values()),
        "k": SNAP_CANDIDATES,
    }
    session.execute(text(DROP))
    session.execute(text(PEOPLE), params)
    session.execute(text(PLACES), params)
    flags = {pid: frozenset(f) for pid, f in session.execute(text(PLACE_FLAGS), params)}
    candidates: dict[int, list[tuple[int, float]]] = {}
    for place_id, node_id, dist in session.execute(text(PLACE_NODES), params):
        candidates.setdefault(place_id, []).append((int(node_id), float(dist)))
    place_ids = session.scalars(text("SELECT place_id FROM assign_place")).all()
    places = {int(p): Place(flags.get(p, frozenset()), candidates.get(p, [])) for p in place_ids}
    # 164k rows: the driver's cursor, without SQLAlchemy's per-row result processing
    driver = session.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        cursor.execute(PEOPLE_ROWS)
        people = [PersonRow(*row) for row in cursor.fetchall()]
    session.execute(text(DROP))
    return people, places


def read_shelters(*, session: Session, municipality_code: str, srid: int) -> list[ShelterRow]:
    rows: dict[int, ShelterRow] = {}
    params = {"code": municipality_code, "srid": srid, "k": SNAP_CANDIDATES}
    for sid, welfare, capacity, ok, node_id, dist in session.execute(text(SHELTERS), params):
        shelter = rows.setdefault(
            sid, ShelterRow(int(sid), bool(welfare), int(capacity), frozenset(ok), [])
        )
        if node_id is not None:
            shelter.candidates.append((int(node_id), float(dist)))
    return list(rows.values())
