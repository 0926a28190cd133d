"""The SQL of a support-list build: a few set-based statements over the whole municipality.

Every value comes in as a bound parameter (rules, dates, codes); the text itself is constant.
Work tables are temporary (ON COMMIT DROP, and dropped again at the end of a build), so a build
leaves nothing behind but its SupportListBuild row and its entries.

1. LISTED: residents who have a welfare record or are old enough for an age rule, with their
   household (resident members, youngest birth date) and welfare record, judged by the rules;
   only people some rule lists are kept, with their point in the plane rectangular zone.
2. EXPOSURE: subdivided hazard parts × listed people (ST_Intersects: a point on a zone's edge
   is inside), one row per (person, hazard type, scenario) with the highest rank. The parts are
   the outer side of the join, so each polygon is tested against many points in a row and
   PostGIS reuses its prepared form.
3. SEEK: per listed person with a location, the hazard flags a shelter must have (sorted).
4. SHELTERS: the municipality's shelters in the plane zone with the flags that are TRUE (NULL,
   "the source does not say", is not suitable).
5. CELLS: for each class of seekers (same flags; welfare shelters only / any shelter for people
   needing care; non-welfare shelters for the others), the Voronoi diagram of the suitable
   shelters: the cell a person lies in is that of their nearest suitable shelter (exact
   Euclidean nearest neighbour in the plane zone).
6. CHOICE: cells × seekers (cells outer, points indexed): the nearest suitable shelter per
   person and class, ties broken by distance, then shelter id.
7. ENTRIES: one row per listed person: reasons, hazards, priority, shelter, district, age and
   the snapshot the diff compares. When an evacuation assignment exists (sonae.assignment),
   the shelter is the one the latest assignment placed the person in, and the distance is
   the walk over the roads; otherwise the nearest suitable shelter as the crow flies.
"""

from __future__ import annotations

DROP_WORK_TABLES = """
DROP TABLE IF EXISTS pg_temp.support_build_listed, pg_temp.support_build_exposure,
                     pg_temp.support_build_seek, pg_temp.support_build_shelter,
                     pg_temp.support_build_cell, pg_temp.support_build_choice
"""

LISTED = """
CREATE TEMP TABLE support_build_listed ON COMMIT DROP AS
WITH household AS (
    SELECT household_number, CAST(count(*) AS integer) AS members,
           max(birth_date) AS youngest_birth
    FROM person
    WHERE municipality_code = :code AND status = 'resident'
    GROUP BY household_number
),
candidate AS (
    SELECT p.id, p.household_number, p.birth_date, p.location, p.chome_key_code,
           p.address_text, p.address_annex, CAST(p.status AS text) AS status,
           CAST(w.care_level AS text) AS care_level,
           CAST(w.physical_disability_grade AS integer) AS physical_grade,
           w.physical_disability_type AS physical_type,
           w.intellectual_disability_grade AS intellectual_grade,
           CAST(w.mental_disability_grade AS integer) AS mental_grade,
           coalesce(w.intractable_disease, false) AS intractable,
           coalesce(w.self_request, false) AS self_request,
           nullif(w.language_need, '') AS language_need
    FROM person p
    LEFT JOIN welfare_record w ON w.municipality_code = p.municipality_code AND w.person_id = p.id
    WHERE p.municipality_code = :code AND p.status = 'resident'
      AND (w.id IS NOT NULL
           OR p.birth_date <= CAST(:as_of AS date) - make_interval(years => :min_rule_age))
),
facts AS (
    SELECT c.*, h.members,
           CAST(date_part('year', age(CAST(:as_of AS date), c.birth_date)) AS integer) AS age,
           CAST(date_part('year', age(CAST(:as_of AS date), h.youngest_birth)) AS integer)
               AS youngest
    FROM candidate c JOIN household h USING (household_number)
),
judged AS (
    SELECT f.*,
        array_remove(ARRAY[
            CASE WHEN f.care_level = ANY(CAST(:care_levels AS text[])) THEN :care_code END,
            CASE WHEN f.physical_grade <= :physical_max
                  AND (cardinality(CAST(:physical_types AS text[])) = 0
                       OR f.physical_type = ANY(CAST(:physical_types AS text[])))
                 THEN :physical_code END,
            CASE WHEN f.intellectual_grade = ANY(CAST(:intellectual_grades AS text[]))
                 THEN :intellectual_code END,
            CASE WHEN f.mental_grade <= :mental_max THEN :mental_code END,
            CASE WHEN :intractable_on AND f.intractable THEN :intractable_code END,
            CASE WHEN f.members = 1 AND f.age >= :alone_min_age THEN :alone_code END,
            CASE WHEN f.members >= 2 AND f.youngest >= :household_min_age
                 THEN :household_code END,
            CASE WHEN :self_request_on AND f.self_request THEN :self_request_code END,
            CASE WHEN :language_on AND f.language_need IS NOT NULL THEN :language_code END
        ], NULL) AS reasons
    FROM facts f
)
SELECT j.*,
       ST_Transform(j.location, :srid) AS pt,
       coalesce(
           j.care_level = ANY(CAST(:welfare_care_levels AS text[]))
           OR j.physical_grade <= :welfare_max_grade
           OR j.mental_grade <= :welfare_max_grade
           OR j.intellectual_grade = ANY(CAST(:welfare_intellectual_grades AS text[])),
           false
       ) AS needs_care
FROM judged j
WHERE cardinality(j.reasons) > 0
"""

LISTED_INDEX = "CREATE INDEX ON support_build_listed USING gist (location)"
"""Also gives the planner the table's size (no ANALYZE needed: it costs more than it saves)."""

EXPOSURE = """
CREATE TEMP TABLE support_build_exposure ON COMMIT DROP AS
SELECT DISTINCT ON (l.id, z.hazard_type, z.scenario)
       l.id AS person_id, CAST(z.hazard_type AS text) AS hazard_type, z.scenario,
       z.rank, z.rank_label
FROM hazard_zone_part hp
JOIN support_build_listed l ON ST_Intersects(hp.geom, l.location)
JOIN hazard_zone z ON z.municipality_code = hp.municipality_code AND z.id = hp.zone_id
WHERE hp.municipality_code = :code
ORDER BY l.id, z.hazard_type, z.scenario, z.rank DESC, z.rank_label
"""

SEEK = """
CREATE TEMP TABLE support_build_seek ON COMMIT DROP AS
SELECT l.id, l.pt, l.needs_care, coalesce(n.flags, CAST('{}' AS text[])) AS flags
FROM support_build_listed l
LEFT JOIN (
    SELECT e.person_id, array_agg(DISTINCT coalesce(f.flag, '?' || e.hazard_type)) AS flags
    FROM support_build_exposure e
    LEFT JOIN unnest(CAST(:hazard_types AS text[]), CAST(:hazard_flags AS text[]))
         AS f(hazard_type, flag) USING (hazard_type)
    GROUP BY e.person_id
) n ON n.person_id = l.id
WHERE l.pt IS NOT NULL
"""

SEEK_INDEX = "CREATE INDEX ON support_build_seek USING gist (pt)"

SHELTERS = """
CREATE TEMP TABLE support_build_shelter ON COMMIT DROP AS
SELECT s.id, s.is_welfare, ST_Transform(s.point, :srid) AS pt,
       array_remove(ARRAY[
           CASE WHEN s.flood THEN 'flood' END,
           CASE WHEN s.landslide THEN 'landslide' END,
           CASE WHEN s.storm_surge THEN 'storm_surge' END,
           CASE WHEN s.earthquake THEN 'earthquake' END,
           CASE WHEN s.tsunami THEN 'tsunami' END,
           CASE WHEN s.large_fire THEN 'large_fire' END,
           CASE WHEN s.inland_flooding THEN 'inland_flooding' END,
           CASE WHEN s.volcano THEN 'volcano' END
       ], NULL) AS ok
FROM shelter s
WHERE s.municipality_code = :code
"""

CELLS = """
CREATE TEMP TABLE support_build_cell ON COMMIT DROP AS
WITH class AS (
    SELECT DISTINCT s.flags, k.kind
    FROM support_build_seek s
    CROSS JOIN (VALUES ('welfare'), ('any'), ('ordinary')) AS k(kind)
    WHERE (k.kind = 'ordinary') = (NOT s.needs_care)
),
member AS (
    SELECT c.flags, c.kind, sh.id, sh.pt
    FROM class c
    JOIN support_build_shelter sh
      ON sh.ok @> c.flags AND (c.kind = 'any' OR (c.kind = 'welfare') = sh.is_welfare)
),
frame AS (
    SELECT ST_Expand(ST_SetSRID(CAST(ST_Extent(pt) AS geometry), :srid), 1000) AS box
    FROM (SELECT pt FROM support_build_seek UNION ALL SELECT pt FROM support_build_shelter) a
),
diagram AS (
    SELECT m.flags, m.kind,
           CASE WHEN min(ST_X(m.pt)) = max(ST_X(m.pt)) AND min(ST_Y(m.pt)) = max(ST_Y(m.pt))
                THEN (SELECT box FROM frame)
                ELSE ST_VoronoiPolygons(ST_Collect(m.pt), 0, (SELECT box FROM frame)) END
               AS cells
    FROM member m
    GROUP BY m.flags, m.kind
),
cell AS (
    SELECT d.flags, d.kind, (ST_Dump(d.cells)).geom AS cell FROM diagram d
)
SELECT c.flags, c.kind, c.cell, m.id AS shelter_id, m.pt AS shelter_pt
FROM cell c
JOIN member m ON m.flags = c.flags AND m.kind = c.kind AND ST_Intersects(c.cell, m.pt)
"""

CHOICE = """
CREATE TEMP TABLE support_build_choice ON COMMIT DROP AS
SELECT DISTINCT ON (s.id, c.kind)
       s.id AS person_id, c.kind, c.shelter_id, ST_Distance(s.pt, c.shelter_pt) AS dist
FROM support_build_cell c
JOIN support_build_seek s
  ON s.flags = c.flags AND ST_Intersects(c.cell, s.pt)
 AND (c.kind = 'ordinary') = (NOT s.needs_care)
ORDER BY s.id, c.kind, ST_Distance(s.pt, c.shelter_pt), c.shelter_id
"""


ENTRIES = """
INSERT INTO support_list_entry (municipality_code, build_id, person_id, reasons, hazards,
                                priority, shelter_id, shelter_distance_m, district, age, snapshot)
WITH scenario_top AS (
    SELECT CAST(hazard_type AS text) AS hazard_type, scenario, max(rank) AS top
    FROM hazard_zone WHERE municipality_code = :code
    GROUP BY hazard_type, scenario
),
per_type AS (
    SELECT e.person_id, e.hazard_type,
           max(CAST(e.rank AS double precision) / nullif(t.top, 0)) AS score
    FROM support_build_exposure e JOIN scenario_top t USING (hazard_type, scenario)
    GROUP BY e.person_id, e.hazard_type
),
hazard_score AS (
    SELECT person_id, sum(coalesce(score, 0)) AS score FROM per_type GROUP BY person_id
),
hazard_list AS (
    SELECT person_id,
           jsonb_agg(jsonb_build_object('hazard_type', hazard_type, 'scenario', scenario,
                                        'rank', rank, 'rank_label', rank_label)
                     ORDER BY hazard_type, scenario) AS hazards,
           jsonb_agg(hazard_type || '/' || scenario || '/' || rank
                     ORDER BY hazard_type, scenario) AS keys
    FROM support_build_exposure GROUP BY person_id
),
district_map AS (
    SELECT * FROM unnest(CAST(:chome_keys AS text[]), CAST(:chome_districts AS text[]))
         AS d(key_code, district)
)
SELECT :code, :build_id, l.id, to_jsonb(l.reasons),
       CASE WHEN l.location IS NULL THEN CAST(:unknown_hazards AS jsonb)
            ELSE coalesce(hl.hazards, CAST('[]' AS jsonb)) END,
       round(CAST(
             :w_hazard * CASE WHEN l.location IS NULL THEN 1 ELSE coalesce(hs.score, 0) END
           + :w_care * CASE WHEN l.care_level LIKE 'care%'
                            THEN CAST(substr(l.care_level, 6) AS integer) / 5.0
                            WHEN l.care_level LIKE 'support%' THEN 0.1 ELSE 0 END
           + :w_mobility * CASE WHEN l.physical_grade <= :mobility_max_grade
                                 AND l.physical_type = ANY(CAST(:mobility_types AS text[]))
                                THEN 1 ELSE 0 END
           + :w_alone * CASE WHEN l.members = 1 THEN 1 ELSE 0 END
           + :w_age * least(1.0, greatest(0.0, (l.age - :age_from) / CAST(:age_span AS numeric)))
         AS numeric), 2),
       CASE WHEN asg.shelter_id IS NOT NULL THEN asg.shelter_id
            WHEN w.dist <= :welfare_max_m THEN w.shelter_id ELSE a.shelter_id END,
       round(CAST(CASE WHEN asg.shelter_id IS NOT NULL THEN asg.walk_m
                       WHEN w.dist <= :welfare_max_m THEN w.dist ELSE a.dist END AS numeric), 1),
       d.district, l.age,
       to_jsonb(snapshot)
FROM support_build_listed l
LEFT JOIN hazard_score hs ON hs.person_id = l.id
LEFT JOIN hazard_list hl ON hl.person_id = l.id
LEFT JOIN support_build_choice w ON w.person_id = l.id AND w.kind = 'welfare'
LEFT JOIN support_build_choice a ON a.person_id = l.id AND a.kind <> 'welfare'
LEFT JOIN evacuation_assignment_person asg  -- the latest assignment's shelter, when placed
  ON asg.municipality_code = :code AND asg.assignment_id = :assignment_id
 AND asg.person_id = l.id AND asg.shelter_id IS NOT NULL
LEFT JOIN LATERAL (
    SELECT c.key_code FROM chome c
    WHERE l.chome_key_code IS NULL AND l.location IS NOT NULL
      AND c.municipality_code = :code AND ST_Covers(c.boundary, l.location)
    LIMIT 1
) c ON true
LEFT JOIN district_map d ON d.key_code = coalesce(l.chome_key_code, c.key_code)
CROSS JOIN LATERAL (
    -- what the diff compares; to_jsonb of a row costs less than a 40-argument jsonb_build_object
    SELECT l.age, l.birth_date, l.status, l.address_text, l.address_annex,
           CASE WHEN l.location IS NOT NULL
                THEN ARRAY[round(CAST(ST_X(l.location) AS numeric), 7),
                           round(CAST(ST_Y(l.location) AS numeric), 7)] END AS location,
           coalesce(l.chome_key_code, c.key_code) AS chome_key_code, l.household_number,
           l.members AS household_members, l.youngest AS household_youngest_age,
           l.care_level, l.physical_grade, l.physical_type, l.intellectual_grade,
           l.mental_grade, l.intractable, l.self_request, l.language_need, l.needs_care,
           CASE WHEN l.location IS NULL THEN CAST('["unknown"]' AS jsonb)
                ELSE coalesce(hl.keys, CAST('[]' AS jsonb)) END AS hazards
) AS snapshot
ORDER BY l.id
"""

RESIDENTS = """
SELECT count(*) FROM person WHERE municipality_code = :code AND status = 'resident'
"""

COUNTS = """
SELECT 'reason' AS kind, r.code AS key, count(*) AS n
FROM support_build_listed l CROSS JOIN unnest(l.reasons) AS r(code)
GROUP BY r.code
UNION ALL
SELECT 'hazard', hazard_type, count(DISTINCT person_id)
FROM support_build_exposure
GROUP BY hazard_type
UNION ALL
SELECT 'hazard', CASE WHEN l.location IS NULL THEN 'unknown' ELSE 'none' END, count(*)
FROM support_build_listed l
WHERE NOT EXISTS (SELECT FROM support_build_exposure e WHERE e.person_id = l.id)
GROUP BY l.location IS NULL
UNION ALL
SELECT 'district', coalesce(e.district, ''), count(*)
FROM support_list_entry e
WHERE e.municipality_code = :code AND e.build_id = :build_id
GROUP BY e.district
"""
