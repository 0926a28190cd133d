"""Registry import at city scale: Urayasu (164,024) and Nishinomiya (487,850), beside raw COPY.

    SONAE_DATABASE_URL=… .venv/bin/python bench/bench_registry_import.py

For each city, `sonae registry generate --city CITY --seed N` writes the file. In a temporary
database built by the migrations with the city's reference layers (for geocoding), it measures:
- a raw COPY of the file's bytes into a bare table of text columns (no types, no index): the
  floor any import stands on;
- the first full import (parse, validate, geocode, seal the personal numbers, write people,
  history and numbers, commit), with the time of each step;
- the same file imported again (nothing changes: the nightly case).
Prints a Markdown section on stdout (bench/run.py collects it into docs/benchmarks.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from sonae.config import PROJECT_ROOT
from sonae.database import migrate
from sonae.database.core import transaction
from sonae.importing.bundle import load_city
from sonae.logging import configure_logging
from sonae.registry.service import import_registry

CITIES = (("urayasu", "122271", 7), ("nishinomiya", "282049", 1))
"""(city, municipality code, generator seed)"""
TARGET_ROWS_PER_S = 100_000
AS_OF = date(2026, 11, 1)


@contextmanager
def temporary_database() -> Iterator[str]:
    base = make_url(os.environ["SONAE_DATABASE_URL"])
    name = f"sonae_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def registry_file(workdir: Path, city: str, seed: int) -> tuple[Path, str]:
    """(file, how it was made)"""
    out = workdir / f"{city}.csv"
    sonae = Path(sys.executable).parent / "sonae"
    command = [str(sonae), "registry", "generate", "--city", city, "--seed", str(seed)]
    command += ["--out", str(out), "--welfare-out", str(workdir / f"{city}-welfare.csv")]
    subprocess.run(command, capture_output=True, text=True, check=True)
    return out, f"`sonae registry generate --city {city} --seed {seed}`"


def raw_copy(engine: Engine, path: Path) -> float:
    """Seconds to COPY the file as it is into a bare table of text columns."""
    header = path.read_bytes().split(b"\n", 1)[0]
    columns = header.count(b",") + 1
    encoding = "UTF8" if _is_utf8(path) else "SJIS"
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert isinstance(connection, psycopg.Connection)
        names = ", ".join(f"c{i} text" for i in range(columns))
        connection.execute(f"CREATE TABLE bench_raw ({names})")
        connection.commit()
        started = time.perf_counter()
        with connection.cursor().copy(
            f"COPY bench_raw FROM STDIN (FORMAT csv, HEADER true, ENCODING '{encoding}')"
        ) as copy:
            copy.write(path.read_bytes())
        connection.commit()
        elapsed = time.perf_counter() - started
        connection.execute("DROP TABLE bench_raw")
        connection.commit()
    finally:
        raw.close()
    return elapsed


def _is_utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


Step = tuple[str, float, float, float]
"""(name, wall seconds, client CPU seconds, server CPU seconds)"""


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def _cpu(backend_pid: int | None) -> tuple[float, float]:
    """(this process's CPU seconds, the database backend's, when it runs on this machine)."""
    mine = os.times()
    server = 0.0
    if backend_pid is not None:
        try:
            fields = Path(f"/proc/{backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return mine.user + mine.system, server


def _cluster_cpu(backend_pid: int | None) -> float | None:
    """CPU seconds of every process of the database cluster so far: the postmaster, its live
    children (backends, WAL writer, checkpointer…) and those it has reaped (parallel index
    builders). None when the server is not on this machine."""
    if backend_pid is None:
        return None
    try:
        postmaster = int(_stat(backend_pid)[1])
        fields = _stat(postmaster)
        total = sum(int(f) for f in fields[11:15])  # own and reaped children's user, system
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) != postmaster:
                child = _stat(int(entry.name))
                if child and int(child[1]) == postmaster:
                    total += int(child[11]) + int(child[12])
    except (OSError, IndexError, ValueError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """/proc/PID/stat's fields after the command name ([1] is the parent); [] if it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


@dataclass(frozen=True)
class Timed:
    seconds: float
    steps: list[Step]
    rows: int
    cpu: tuple[float, float | None]
    """All CPU seconds of the import: (this process, the whole database cluster or None)."""


def timed_import(engine: Engine, path: Path, code: str) -> Timed:
    """Wall and CPU time of each step: on a shared machine the CPU seconds say what the
    import costs, the wall seconds what the others left of the machine."""
    steps: list[Step] = []
    started = last = time.perf_counter()
    current = "opening"
    backend: int | None = None
    spent = _cpu(None)

    def step(name: str) -> None:
        nonlocal last, current, spent
        now, cpu = time.perf_counter(), _cpu(backend)
        steps.append((current, now - last, cpu[0] - spent[0], cpu[1] - spent[1]))
        current, last, spent = name, now, cpu

    with transaction(engine) as session:
        backend = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        spent = _cpu(backend)
        client, cluster = os.times(), _cluster_cpu(backend)
        result = import_registry(
            session=session, municipality_code=code, path=path, as_of=AS_OF, on_step=step
        )
        step("commit")
    step("end")
    cluster_after, client_after = _cluster_cpu(backend), os.times()
    cpu = (
        client_after.user + client_after.system - client.user - client.system,
        None if cluster is None or cluster_after is None else cluster_after - cluster,
    )
    return Timed(time.perf_counter() - started, steps[1:], result.rows, cpu)


def measure_city(city: str, code: str, seed: int) -> list[str]:
    with tempfile.TemporaryDirectory() as workdir, temporary_database() as url:
        path, made = registry_file(Path(workdir), city, seed)
        size = path.stat().st_size
        migrate.upgrade(url)
        engine = create_engine(url)
        with transaction(engine) as session:
            load_city(
                session=session,
                city_dir=PROJECT_ROOT / "data" / "cities" / city,
                capacity_rules=PROJECT_ROOT / "data" / "reference" / "shelter_capacity_rules.csv",
            )
        loads = [load_average()]
        copy_s = raw_copy(engine, path)
        first = timed_import(engine, path, code)
        first_s, steps, rows = first.seconds, first.steps, first.rows
        loads.append(load_average())
        again_s = timed_import(engine, path, code).seconds
        loads.append(load_average())
        engine.dispose()
    rate = rows / first_s
    return [
        f"### {city.capitalize()}",
        "",
        f"{rows:,} rows ({made}), {size / 1e6:.0f} MB; target ≥ {TARGET_ROWS_PER_S:,} rows/s "
        f"for the first full import: {'met' if rate >= TARGET_ROWS_PER_S else 'NOT met'}.",
        "",
        "| what | seconds | rows/s |",
        "|---|---:|---:|",
        f"| raw COPY into a bare text table (baseline) | {copy_s:.1f} | {rows / copy_s:,.0f} |",
        f"| first full import (all steps, committed) | {first_s:.1f} | {rate:,.0f} |",
        f"| same file again (nothing changes) | {again_s:.1f} | {rows / again_s:,.0f} |",
        "",
        f"Load average (1 min; 2 cores) before the COPY, after the first import and after the "
        f"second: {', '.join(loads)}.",
        "",
        f"The first import takes {first_s / copy_s:.1f}× the raw COPY. Its steps (CPU: this "
        "process, all threads; the database backend, read from /proc):",
        "",
        "| step | seconds | client CPU s | server CPU s |",
        "|---|---:|---:|---:|",
        *(
            f"| {name} | {seconds:.1f} | {client:.1f} | {server:.1f} |"
            for name, seconds, client, server in steps
        ),
        f"| (sum) | {sum(s[1] for s in steps):.1f} | {sum(s[2] for s in steps):.1f} | "
        f"{sum(s[3] for s in steps):.1f} |",
        "",
        *_floor(first.cpu, rows / TARGET_ROWS_PER_S),
    ]


def _floor(cpu: tuple[float, float | None], target_s: float) -> list[str]:
    """The least wall time the first import's CPU allows on this machine's cores."""
    client, cluster = cpu
    if cluster is None:
        return [f"Client CPU {client:.1f} s (the database runs elsewhere: its CPU unread).", ""]
    cores = os.cpu_count() or 1
    total = client + cluster
    return [
        f"All the CPU the first import used: {client:.1f} s in this process and {cluster:.1f} s "
        f"in the database cluster's processes (backend, parallel index builders, WAL writer), "
        f"{total:.1f} s in all. On {cores} cores that work cannot take less than "
        f"{total / cores:.1f} s, even perfectly spread (the target: "
        f"{target_s:.1f} s).",
        "",
    ]


def main() -> int:
    configure_logging(level="WARNING")  # stdout is the Markdown section; logs go to stderr
    lines = ["## Registry import (bench/bench_registry_import.py)", ""]
    for city, code, seed in CITIES:
        lines += measure_city(city, code, seed)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
