"""Support-list build and hazard join at Urayasu and Nishinomiya scale, beside plain joins.

For each city, builds its data directly in a temporary database (dropped at the end):
- the city's real outline, chome points and GSI shelters (data/cities/<city>);
- synthetic residents as many as the 2015 census counts (Urayasu 164,024; Nishinomiya 487,850)
  in households at random points in the outline, with a household-size mix and ages near the
  national ones;
- welfare records at rates near the national ones (要介護3–5 ≈ 6 % of 65+, 身体障害者手帳
  ≈ 3 %, 療育手帳 ≈ 0.9 %, 精神 ≈ 1 %, 難病 ≈ 0.8 %, 手上げ 0.3 %): these are benchmark
  inputs, not statistics to quote;
- three hazard layers of many-vertex polygons: flood (5 ranks), tsunami (3 ranks, along the
  coast), landslide (many small zones in the hills), subdivided as imports do.

Then it times, in the same run, (a) `build_support_list` (the whole build: rules, households,
welfare, hazards, nearest suitable shelter, entries, counts); the hazard join of all residents
× hazard zones (b) the production way, against the subdivided parts, and (c) the naive way,
one plain ST_Intersects against the unsubdivided polygons. It prints a Markdown section for
docs/benchmarks.md (bench/run.py).
"""

from __future__ import annotations

import math
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, Polygon
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from dbtools import create_temporary_database, drop_database  # noqa: E402
from sonae.database import migrate  # noqa: E402
from sonae.database.core import transaction  # noqa: E402
from sonae.hazard.models import HazardType, HazardZone  # noqa: E402
from sonae.hazard.service import replace_scenario  # noqa: E402
from sonae.importing.bundle import load_city  # noqa: E402
from sonae.logging import configure_logging  # noqa: E402
from sonae.support.build import build_support_list  # noqa: E402

CITIES = (("urayasu", "122271", 164_024), ("nishinomiya", "282049", 487_850))
CODE = "282049"  # the city being prepared (set per city by main)
RESIDENTS = 487_850
TARGET_SECONDS = 5.0
AS_OF = date(2026, 4, 1)
SEED = 20260401

HOUSEHOLDS = """
INSERT INTO person (municipality_code, address_number, household_number, resident_kind, status,
                    name, birth_date, sex, relation_to_head, address_text, chome_key_code,
                    location, geocode_status)
WITH spots AS (
    SELECT row_number() OVER () AS h, (d).geom AS location
    FROM (SELECT ST_Dump(ST_GeneratePoints(outline, :households, :seed)) AS d
          FROM municipality WHERE code = :code) g
),
placed AS (
    SELECT s.h, s.location, k.key_code
    FROM spots s
    CROSS JOIN LATERAL (
        SELECT key_code FROM chome
        WHERE municipality_code = :code ORDER BY point <-> s.location LIMIT 1
    ) k
),
households AS (
    SELECT h, location, key_code, r,
           CASE WHEN r < 0.38 THEN 1 WHEN r < 0.66 THEN 2 WHEN r < 0.826 THEN 3
                WHEN r < 0.948 THEN 4 ELSE 5 END AS size,
           random() AS kind
    FROM (SELECT h, location, key_code, random() AS r FROM placed) s
),
members AS (
    SELECT hh.*, m,
           CASE
             WHEN hh.size = 1 THEN CASE WHEN hh.kind < 0.36 THEN 65 + floor(random() * 33)
                                        ELSE 20 + floor(random() * 45) END
             WHEN hh.size = 2 AND hh.kind < 0.33 THEN 65 + floor(random() * 30)
             WHEN hh.size = 2 THEN 25 + floor(random() * 50)
             WHEN m <= 2 THEN 30 + floor(random() * 30)
             WHEN m = 3 AND hh.kind < 0.15 THEN 72 + floor(random() * 25)
             ELSE floor(random() * 25)
           END AS age
    FROM households hh CROSS JOIN LATERAL generate_series(1, hh.size) AS m
)
SELECT :code, lpad(CAST(row_number() OVER () AS text), 10, '0'),
       lpad(CAST(h AS text), 10, '0'), 'japanese', 'resident',
       '試験　太郎', CAST(:as_of AS date) - CAST(age * 365.25 + floor(random() * 365) AS integer),
       CASE WHEN random() < 0.5 THEN CAST('male' AS sex) ELSE CAST('female' AS sex) END,
       CASE WHEN m = 1 THEN '世帯主' ELSE '子' END, '(合成)', key_code, location, 'address_point'
FROM members
LIMIT :residents
"""

WELFARE = """
INSERT INTO welfare_record (municipality_code, person_id, care_level, physical_disability_grade,
                            physical_disability_type, intellectual_disability_grade,
                            mental_disability_grade, intractable_disease, language_need, phone,
                            self_request)
SELECT :code, id, care, physical,
       CASE WHEN physical IS NULL THEN NULL
            ELSE (ARRAY['肢体不自由', '内部', '視覚', '聴覚・平衡', '音声・言語'])
                 [1 + floor(random() * 5)] END,
       intellectual, mental, disease, language, '0798-00-0000', asked
FROM (
    SELECT p.id,
           CAST(CASE WHEN old AND r1 < 0.064
                     THEN (ARRAY['care_3', 'care_4', 'care_5'])[1 + floor(random() * 3)]
                     WHEN old AND r1 < 0.19
                     THEN (ARRAY['support_1', 'support_2', 'care_1', 'care_2'])
                          [1 + floor(random() * 4)]
                     WHEN r1 < 0.002 THEN 'care_3' END AS care_level) AS care,
           CASE WHEN random() < CASE WHEN old THEN 0.08 ELSE 0.015 END
                THEN (ARRAY[1, 1, 2, 3, 3, 4, 4, 5, 6])[1 + floor(random() * 9)] END AS physical,
           CASE WHEN random() < 0.009 THEN CASE WHEN random() < 0.4 THEN 'A' ELSE 'B' END END
               AS intellectual,
           CASE WHEN random() < 0.01 THEN (ARRAY[1, 2, 2, 2, 3, 3])[1 + floor(random() * 6)] END
               AS mental,
           random() < 0.008 AS disease,
           CASE WHEN random() < 0.01 THEN '英語' END AS language,
           random() < 0.003 AS asked
    FROM (SELECT id, random() AS r1,
                 CAST(:as_of AS date) - birth_date >= 65 * 365 AS old
          FROM person WHERE municipality_code = :code) p
) w
WHERE care IS NOT NULL OR physical IS NOT NULL OR intellectual IS NOT NULL
   OR mental IS NOT NULL OR disease OR language IS NOT NULL OR asked
"""

SUBDIVIDED_JOIN = """
SELECT count(*) FROM (
    SELECT p.id, z.hazard_type, z.scenario, max(z.rank)
    FROM hazard_zone_part hp
    JOIN person p
      ON p.municipality_code = hp.municipality_code AND ST_Intersects(hp.geom, p.location)
    JOIN hazard_zone z ON z.municipality_code = hp.municipality_code AND z.id = hp.zone_id
    WHERE hp.municipality_code = :code AND p.status = 'resident'
    GROUP BY p.id, z.hazard_type, z.scenario
) exposures
"""

PLAIN_JOIN = """
SELECT count(*) FROM (
    SELECT p.id, z.hazard_type, z.scenario, max(z.rank)
    FROM person p JOIN hazard_zone z
      ON z.municipality_code = p.municipality_code AND ST_Intersects(z.geom, p.location)
    WHERE p.municipality_code = :code AND p.status = 'resident'
    GROUP BY p.id, z.hazard_type, z.scenario
) exposures
"""


def blob(rng: random.Random, cx: float, cy: float, radius: float, vertices: int) -> Polygon:
    """A star-shaped polygon with a wobbly edge: many vertices, like a digitised hazard map."""
    waves = [(rng.uniform(0.05, 0.25), rng.randint(2, 9), rng.uniform(0, 6.3)) for _ in range(4)]
    points = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius * (1 + sum(a * math.sin(k * angle + phase) for a, k, phase in waves))
        r *= 1 + rng.uniform(-0.01, 0.01)
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle) * 0.82))
    return Polygon(points).buffer(0)


def hazard_layers(session: Session, rng: random.Random) -> int:
    west, south, east, north = session.execute(
        text("SELECT ST_XMin(o), ST_YMin(o), ST_XMax(o), ST_YMax(o) FROM "
             "(SELECT outline AS o FROM municipality WHERE code = :code) m"),
        {"code": CODE},
    ).one()  # fmt: skip
    vertices = 0

    def zones(kind: HazardType, scenario: str, shapes: list[tuple[int, Polygon]]) -> None:
        nonlocal vertices
        vertices += sum(len(s.exterior.coords) for _, s in shapes)
        replace_scenario(
            session=session,
            municipality_code=CODE,
            hazard_type=kind,
            scenario=scenario,
            zones=[
                HazardZone(
                    hazard_type=kind,
                    scenario=scenario,
                    rank=rank,
                    rank_label=f"ランク{rank}",
                    source="bench (synthetic)",
                    geom=from_shape(MultiPolygon([shape]), srid=6668),
                )
                for rank, shape in shapes
            ],
        )

    lowland = south + (north - south) * 0.35
    zones(
        HazardType.flood,
        "想定最大規模（合成）",
        [
            (rank, blob(rng, rng.uniform(west, east), rng.uniform(south, lowland),
                        0.004 * (6 - rank), 3000))
            for rank in range(1, 6) for _ in range(8)
        ],
    )  # fmt: skip
    zones(
        HazardType.tsunami,
        "L2（合成）",
        [
            (rank, blob(rng, west + (east - west) * (i + 0.5) / 6, south + 0.004,
                        0.01 / rank, 4000))
            for rank in range(1, 4) for i in range(6)
        ],
    )  # fmt: skip
    zones(
        HazardType.landslide,
        "土砂災害警戒区域（合成）",
        [
            (rng.choice((1, 2)), blob(rng, rng.uniform(west, east), rng.uniform(lowland, north),
                                      0.0015, 300))
            for _ in range(400)
        ],
    )  # fmt: skip
    return vertices


def prepare(url: str, city: str) -> dict[str, int]:
    engine = create_engine(url)
    with transaction(engine) as session:
        load_city(
            session=session,
            city_dir=ROOT / "data" / "cities" / city,
            capacity_rules=ROOT / "data" / "reference" / "shelter_capacity_rules.csv",
        )
        session.execute(text("SELECT setseed(0.42)"))
        params = {
            "code": CODE,
            "seed": SEED,
            "households": int(RESIDENTS / 2.1),
            "residents": RESIDENTS,
            "as_of": AS_OF,
        }
        session.execute(text(HOUSEHOLDS), params)
        session.execute(text(WELFARE), params)
        vertices = hazard_layers(session, random.Random(SEED))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
        sizes = connection.execute(
            text(
                "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM welfare_record),"
                " (SELECT count(*) FROM hazard_zone), (SELECT count(*) FROM hazard_zone_part),"
                " (SELECT count(*) FROM shelter)"
            )
        ).one()
    engine.dispose()
    names = ("residents", "welfare", "zones", "parts", "shelters")
    return dict(zip(names, sizes, strict=True)) | {"vertices": vertices}


def server_cpu(pid: int) -> float | None:
    """CPU seconds the database backend has used (Linux, server on this machine), else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_build(engine: Engine) -> tuple[float, int, float | None]:
    """One whole build, committed: wall seconds, people listed, backend CPU seconds.

    The previous build's dead tuples are vacuumed first (not timed), so that autovacuum does not
    run in the middle of the next one."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE support_list_entry"))
    with Session(engine) as session:
        pid = int(session.scalar(text("SELECT pg_backend_pid()")) or 0)
        cpu_before = server_cpu(pid)
        started = time.perf_counter()
        build = build_support_list(
            session=session, municipality_code=CODE, built_by="bench", as_of=AS_OF
        )
        session.commit()
        wall = time.perf_counter() - started
        cpu_after = server_cpu(pid)
        cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
        return wall, build.listed, cpu


def timed_join(engine: Engine, sql: str) -> tuple[float, int, float | None]:
    with engine.connect() as connection:
        pid = int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
        cpu_before = server_cpu(pid)
        started = time.perf_counter()
        exposures = connection.execute(text(sql), {"code": CODE}).scalar_one()
        wall = time.perf_counter() - started
        cpu_after = server_cpu(pid)
        cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
        return wall, int(exposures), cpu


def measure(city: str) -> dict[str, object]:
    configure_logging(level="WARNING")  # stdout is the Markdown section; logs go to stderr
    url = create_temporary_database("sonae_bench_support")
    keep = os.environ.get("SONAE_BENCH_KEEP") == "1"  # keep the database to study plans
    try:
        migrate.upgrade(url)
        print(f"preparing {RESIDENTS:,} residents of {city} …", file=sys.stderr)
        sizes = prepare(url, city)
        engine = create_engine(url)
        timed_build(engine)  # warm the cache once, as a daily build would find it
        load = os.getloadavg()[0]
        runs = [timed_build(engine) for _ in range(3)]
        build_seconds, listed, cpu = sorted(runs, key=lambda r: r[0])[1]
        timed_join(engine, SUBDIVIDED_JOIN)  # warm
        subdivided = timed_join(engine, SUBDIVIDED_JOIN)
        plain = timed_join(engine, PLAIN_JOIN)
        engine.dispose()
    finally:
        if keep:
            print(f"kept {url}", file=sys.stderr)
        else:
            drop_database(url)
    return {
        "city": city,
        "sizes": sizes,
        "load": load,
        "runs": runs,
        "build": (build_seconds, listed, cpu),
        "subdivided": subdivided,
        "plain": plain,
    }


def cpu_note(cpu: float | None, leader: bool = False) -> str:
    if cpu is None:
        return ""
    return f"; database CPU {cpu:.2f} s" + (" (leader only)" if leader else "")


def main() -> None:
    global CODE, RESIDENTS
    results = []
    for city, code, residents in CITIES:
        CODE, RESIDENTS = code, residents
        results.append(measure(city))
    print("## Support list build and hazard join (bench_support_list.py)")
    print()
    for r in results:
        sizes = r["sizes"]
        assert isinstance(sizes, dict)
        print(
            f"- {r['city']}: {sizes['residents']:,} synthetic residents, {sizes['welfare']:,} "
            f"welfare records, {sizes['zones']} hazard zones ({sizes['vertices']:,} vertices of "
            f"synthetic flood, tsunami and landslide layers, {sizes['parts']:,} subdivided "
            f"parts), {sizes['shelters']} real GSI shelters; load average {r['load']:.1f} when "
            f"the timed runs started"
        )
    print()
    print(f"{os.cpu_count()} cores; other work on the machine slows the runs.")
    print()
    print("| city | what | seconds | result |")
    print("|---|---|---:|---|")
    for r in results:
        runs = r["runs"]
        build_seconds, listed, cpu = r["build"]  # type: ignore[misc]
        sub_seconds, sub_exposures, sub_cpu = r["subdivided"]  # type: ignore[misc]
        plain_seconds, exposures, plain_cpu = r["plain"]  # type: ignore[misc]
        verdict = "within" if build_seconds <= TARGET_SECONDS else "OVER"
        print(
            f"| {r['city']} | `build_support_list` (whole build, median of 3: "
            f"{', '.join(f'{x[0]:.2f}' for x in runs)}) | {build_seconds:.2f} | "  # type: ignore[attr-defined]
            f"{listed:,} listed — {verdict} the {TARGET_SECONDS:.0f} s target{cpu_note(cpu)} |"
        )
        print(
            f"| {r['city']} | hazard join, all residents × subdivided parts (production) | "
            f"{sub_seconds:.2f} | {sub_exposures:,} exposures{cpu_note(sub_cpu, True)} |"
        )
        print(
            f"| {r['city']} | baseline: one plain `ST_Intersects`, all residents × unsubdivided "
            f"zones | {plain_seconds:.2f} | {exposures:,} exposures{cpu_note(plain_cpu, True)}; "
            f"{plain_seconds / max(sub_seconds, 1e-9):.1f}× the subdivided join |"
        )
    print()
    print(
        "The build judges the rules first and joins only the listed people with the "
        "subdivided hazard parts; the joins are every resident against the same zones."
    )


if __name__ == "__main__":
    main()
