"""Evacuation assignment for the whole of Urayasu, beside a per-person KNN nearest-shelter query.

    SONAE_DATABASE_URL=… .venv/bin/python bench/bench_assignment.py

In a temporary database built by the migrations: Urayasu's real layers (OSM road network, GSI
shelters, liquefaction scenario), 164,024 synthetic residents (`sonae registry generate --city
urayasu --seed 7`, imported with `sonae registry import`), their welfare file and a support list.
It times, in the same run:
- `run_assignment` (read people, hazard join, snapping, Dijkstra from every shelter, the
  min-cost flow, reasons, storing one row per person; committed), median of 3;
- the obvious way: one KNN query per person for the nearest shelter as the crow flies (no
  roads, no capacity, no hazards), over all residents in one statement;
- Nishinomiya's scale (488k) on the only road network shipped (Urayasu's): the residents
  copied twice more at the same addresses (492,072 people), one warm-up and one timed run,
  beside the KNN baseline over them.
Prints a Markdown section on stdout (bench/run.py collects it into docs/benchmarks.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from dbtools import create_temporary_database, drop_database  # noqa: E402
from sonae.assignment.models import AssignmentScope  # noqa: E402
from sonae.assignment.service import run_assignment  # noqa: E402
from sonae.database import migrate  # noqa: E402
from sonae.logging import configure_logging  # noqa: E402

CITY = "urayasu"
CODE = "122271"
SEED = 7
AS_OF = date(2026, 4, 1)
TARGET_SECONDS = 30.0

KNN = """
SELECT count(*), count(DISTINCT k.id) FROM person p
CROSS JOIN LATERAL (
    SELECT s.id FROM shelter s
    WHERE s.municipality_code = p.municipality_code
    ORDER BY s.point <-> p.location LIMIT 1
) k
WHERE p.municipality_code = :code AND p.status = 'resident' AND p.location IS NOT NULL
"""


TRIPLE = """
INSERT INTO person (municipality_code, address_number, household_number, resident_kind, status,
                    name, name_kana, birth_date, sex, relation_to_head, address_text,
                    chome_key_code, location, geocode_status, became_resident_on, address_since,
                    status_since)
SELECT municipality_code, address_number || 'x' || copy, household_number || 'x' || copy,
       resident_kind, status, name, name_kana, birth_date, sex, relation_to_head, address_text,
       chome_key_code, location, geocode_status, became_resident_on, address_since, status_since
FROM person CROSS JOIN (VALUES (2), (3)) AS c(copy)
WHERE municipality_code = :code
"""


SHELTERS = """
SELECT count(*) FILTER (WHERE earthquake),
       coalesce(sum(coalesce(capacity, estimated_capacity, 0)) FILTER (WHERE earthquake), 0),
       count(*)
FROM shelter WHERE municipality_code = :code
"""


def sonae(url: str, *args: str) -> None:
    command = [str(Path(sys.executable).parent / "sonae"), *args]
    env = os.environ | {"SONAE_DATABASE_URL": url}
    subprocess.run(command, capture_output=True, text=True, check=True, env=env)


def prepare(url: str, workdir: Path) -> None:
    registry, welfare = workdir / "registry.csv", workdir / "welfare.csv"
    sonae(url, "import", "city", CITY)
    sonae(url, "registry", "generate", "--city", CITY, "--seed", str(SEED), "--out",
          str(registry), "--welfare-out", str(welfare), "--as-of", str(AS_OF))  # fmt: skip
    sonae(url, "registry", "import", str(registry), "-m", CODE, "--as-of", str(AS_OF))
    sonae(url, "welfare", "import", str(welfare), "-m", CODE)
    sonae(url, "support", "build", "-m", CODE, "--as-of", str(AS_OF))
    engine = create_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def server_cpu(pid: int) -> float:
    """CPU seconds a database backend has used (Linux, server on this machine; else 0)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_run(engine: Engine, **options: Any) -> tuple[float, dict[str, Any], float]:
    """Wall seconds, the run's figures, and CPU seconds (this process + its database backend):
    on a busy machine the CPU time says what the run would take with the cores to itself."""
    with Session(engine) as session:
        pid = int(session.scalar(text("SELECT pg_backend_pid()")) or 0)
        cpu_before = time.process_time() + server_cpu(pid)
        started = time.perf_counter()
        run = run_assignment(
            session=session, municipality_code=CODE, created_by="bench", as_of=AS_OF, **options
        )
        session.commit()
        wall = time.perf_counter() - started
        return wall, dict(run.figures), time.process_time() + server_cpu(pid) - cpu_before


def timed_knn(engine: Engine) -> tuple[float, int]:
    with engine.connect() as connection:
        started = time.perf_counter()
        people, _ = connection.execute(text(KNN), {"code": CODE}).one()
        return time.perf_counter() - started, int(people)


def shelter_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        row = connection.execute(text(SHELTERS), {"code": CODE}).one()
    return {"earthquake": int(row[0]), "earthquake_places": int(row[1]), "all": int(row[2])}


def at_nishinomiya_scale(engine: Engine) -> dict[str, Any]:
    """Residents tripled at the same addresses; one warm-up run, then one timed run."""
    with Session(engine) as session:
        session.execute(text(TRIPLE), {"code": CODE})
        session.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE person"))
    timed_run(engine)
    load = os.getloadavg()[0]
    seconds, figures, cpu = timed_run(engine)
    knn_seconds, knn_people = timed_knn(engine)
    return {"seconds": seconds, "figures": figures, "cpu": cpu, "load": load,
            "knn_seconds": knn_seconds, "knn_people": knn_people}  # fmt: skip


def km(metres: float) -> str:
    return f"{metres / 1000:,.1f}"


def main() -> None:
    configure_logging(level="WARNING")
    url = create_temporary_database("sonae_bench_assign")
    try:
        migrate.upgrade(url)
        with tempfile.TemporaryDirectory() as workdir:
            print("preparing Urayasu (164k residents) …", file=sys.stderr)
            prepare(url, Path(workdir))
        engine = create_engine(url)
        timed_run(engine)  # warm the caches, as a planning office's second run finds them
        load = os.getloadavg()[0]
        runs = sorted((timed_run(engine) for _ in range(3)), key=lambda r: r[0])
        seconds, figures, cpu = runs[1]
        knn_seconds, knn_people = timed_knn(engine)
        _, listed, _ = timed_run(engine, scope=AssignmentScope.support_list)
        _, flood, _ = timed_run(engine, hazard="flood")
        shelters = shelter_counts(engine)
        scale = at_nishinomiya_scale(engine)
        engine.dispose()
    finally:
        drop_database(url)
    verdict = "within" if seconds <= TARGET_SECONDS else "OVER"
    print("## Evacuation assignment (bench_assignment.py)")
    print()
    print(
        f"Urayasu in full: {figures['people']:,} synthetic residents (`sonae registry generate "
        f"--city urayasu --seed {SEED}`), the real OSM road network and {shelters['all']} GSI "
        f"shelters; "
        f"{os.cpu_count()} cores, load average {load:.1f} when the timed runs started."
    )
    print()
    print("| what | seconds | result |")
    print("|---|---:|---|")
    print(
        f"| `run_assignment`, all residents, every hazard layer (median of 3: "
        f"{', '.join(f'{r[0]:.1f}' for r in runs)}) | {seconds:.1f} | "
        f"{figures['assigned']:,} placed, {figures['unassigned']:,} with a reason — {verdict} "
        f"the {TARGET_SECONDS:.0f} s target; CPU {cpu:.1f} s (Python + database backend) |"
    )
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in figures["seconds_by_stage"].items())
    print(f"| of which (median run): {stages} | | |")
    print(
        f"| baseline: per-person KNN nearest shelter (crow flies; no roads, capacity or "
        f"hazards) | {knn_seconds:.1f} | {knn_people:,} people |"
    )
    print()
    print("Walking distances (road network) against plain nearest-shelter assignment (the nearest")
    print("shelter each person may use, ignoring capacity):")
    print()
    print(
        "| run | people | placed | total walk km (placed) | same people, nearest km | max walk m"
        " | plain nearest: max m | plain nearest over capacity | max minutes |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, f in (
        ("all residents, every hazard", figures),
        ("support list only, every hazard", listed),
        ("all residents, flood only", flood),
    ):
        print(
            f"| {name} | {f['people']:,} | {f['assigned']:,} | {km(f['total_walk_m'])} | "
            f"{km(f['nearest_total_walk_m_of_assigned'])} | {f['max_walk_m']:,.0f} | "
            f"{f['nearest_max_walk_m']:,.0f} | {f['nearest_over_capacity']:,} | "
            f"{f['max_walk_minutes']:.0f} |"
        )
    print()
    print(
        f"The whole city lies in the liquefaction scenario, whose shelters must be "
        f"earthquake-suitable: {shelters['earthquake']} of the {shelters['all']} shelters are "
        f"(GSI flag, or declared in city.toml), with {shelters['earthquake_places']:,} places, "
        "so residents beyond them get 「未割当: 適した避難所に空きがない」. Urayasu has no flood "
        "layer: with flood only nobody is exposed, so every shelter suits. Walking times: "
        f"{figures['walk_speed_m_s']} m/s, {figures['slow_walk_speed_m_s']} m/s "
        "for people 65+ or needing care (docs/assignment.md)."
    )
    big = scale["figures"]
    print()
    print(
        f"At Nishinomiya's scale: Urayasu's residents copied twice more at the same addresses "
        f"({big['people']:,} people) on Urayasu's road network, the only one shipped "
        f"(Nishinomiya has none in data/); load average {scale['load']:.1f}."
    )
    print()
    print("| what | seconds | result |")
    print("|---|---:|---|")
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in big["seconds_by_stage"].items())
    print(
        f"| `run_assignment`, {big['people']:,} people, every hazard (one run after a warm-up) | "
        f"{scale['seconds']:.1f} | {big['assigned']:,} placed, {big['unassigned']:,} with a "
        f"reason; CPU {scale['cpu']:.1f} s; {stages} |"
    )
    print(
        f"| baseline: per-person KNN nearest shelter | {scale['knn_seconds']:.1f} | "
        f"{scale['knn_people']:,} people |"
    )


if __name__ == "__main__":
    main()
