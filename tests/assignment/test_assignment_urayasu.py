"""One run on the real Urayasu data: its OSM road network (3,889 nodes), its 93 GSI shelters and
its liquefaction scenario, with 5 residents at each of its address points.

Sanity, not exact numbers: everyone is placed or given a reason, no shelter takes more than its
capacity, every placed person's shelter suits every hazard at their address, nobody walks less
than to their nearest shelter, and the walk is no shorter than the straight line.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from sonae.assignment import service
from sonae.assignment.models import UNASSIGNED_REASONS, AssignedPerson
from sonae.shelter.models import Shelter
from support.factory import AS_OF

URAYASU = "122271"

RESIDENTS = """
INSERT INTO person (municipality_code, address_number, household_number, resident_kind, status,
                    name, birth_date, sex, relation_to_head, address_text, location,
                    geocode_status)
SELECT :code, lpad(CAST(row_number() OVER () AS text), 10, '0'),
       lpad(CAST(row_number() OVER () AS text), 10, '0'), 'japanese', 'resident', '試験　太郎',
       DATE '1950-01-01' + CAST(n * 4000 AS integer), 'female', '世帯主', '浦安市', a.point,
       'address_point'
FROM address_point a CROSS JOIN generate_series(1, 5) AS n
WHERE a.municipality_code = :code
"""

CHECKS = """
SELECT
    count(*) FILTER (WHERE ap.walk_m < ap.nearest_walk_m - 0.5) AS shorter_than_nearest,
    count(*) FILTER (WHERE ap.walk_m + 0.5 < ST_Distance(ST_Transform(p.location, 6677),
                                                     ST_Transform(s.point, 6677))) AS crow,
    count(*) FILTER (WHERE ap.shelter_id IS NOT NULL AND NOT coalesce(s.earthquake, false)
                      AND EXISTS (SELECT FROM hazard_zone_part hp
                                  WHERE hp.municipality_code = :code
                                    AND hp.hazard_type = 'liquefaction'
                                    AND ST_Intersects(hp.geom, p.location))) AS unsuitable
FROM evacuation_assignment_person ap
JOIN person p ON p.municipality_code = ap.municipality_code AND p.id = ap.person_id
LEFT JOIN shelter s ON s.municipality_code = ap.municipality_code AND s.id = ap.shelter_id
WHERE ap.municipality_code = :code AND ap.assignment_id = :run
"""


def test_urayasu_everyone_placed_or_explained_within_capacity(session: Session) -> None:
    session.execute(text(RESIDENTS), {"code": URAYASU})
    residents = session.scalar(
        select(func.count()).select_from(text("person")).where(text("municipality_code = :c")),
        {"c": URAYASU},
    )
    assert residents and residents >= 400
    run = service.run_assignment(
        session=session, municipality_code=URAYASU, created_by="t", as_of=AS_OF
    )
    rows = session.scalars(
        select(AssignedPerson).where(
            AssignedPerson.municipality_code == URAYASU, AssignedPerson.assignment_id == run.id
        )
    ).all()
    assert len(rows) == residents == run.people
    assert all((r.shelter_id is None) == (r.reason in UNASSIGNED_REASONS) for r in rows)
    assert run.assigned == sum(1 for r in rows if r.shelter_id is not None) > 0
    capacity = {
        s.id: s.capacity or s.estimated_capacity or 0
        for s in session.scalars(select(Shelter).where(Shelter.municipality_code == URAYASU))
    }
    load: dict[int, int] = {}
    for r in rows:
        if r.shelter_id is not None:
            load[r.shelter_id] = load.get(r.shelter_id, 0) + 1
    assert all(load[s] <= capacity[s] for s in load)
    # the whole city lies in the liquefaction scenario: only earthquake-safe shelters suit;
    # they hold more than these residents, so nobody is left out for want of room
    safe = session.scalar(
        select(func.sum(func.coalesce(Shelter.capacity, Shelter.estimated_capacity))).where(
            Shelter.municipality_code == URAYASU, Shelter.earthquake.is_(True)
        )
    )
    assert safe is not None and safe > residents
    assert not [r for r in rows if r.reason == "no_capacity"]
    checks = session.execute(text(CHECKS), {"code": URAYASU, "run": run.id}).one()
    assert tuple(checks) == (0, 0, 0)
    assert run.figures["total_walk_m"] >= run.figures["nearest_total_walk_m_of_assigned"]
