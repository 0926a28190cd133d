"""`make bench`: run every bench/bench_*.py and write docs/benchmarks.md.

    python bench/run.py                          # every benchmark
    python bench/run.py bench_assignment ...     # only these; the others' sections are kept

Each benchmark prints a Markdown section (its own numbers beside the baseline it measured in
the same run). This script adds the machine they ran on, so numbers are never quoted bare,
and marks each section with its script (HTML comments) so a partial run can keep the rest.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks.md"


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    with create_engine(os.environ["SONAE_DATABASE_URL"]).connect() as connection:
        postgres = connection.execute(text("SHOW server_version")).scalar_one()
        postgis = connection.execute(  # the database may not have the extension yet
            text("SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'")
        ).scalar()
    return [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {memory_kb / 1024 / 1024:.1f} GiB",
        f"- {platform.platform()}; Python {platform.python_version()}",
        f"- PostgreSQL {postgres}, PostGIS {postgis}",
        f"- load average at the start: {os.getloadavg()[0]:.1f} (sections note their own)",
    ]


SETTLED_LOAD = 1.5
SETTLE_AT_MOST_S = 90


def settle() -> None:
    """Wait (at most 90 s) for the previous benchmark's load to die down: the intake bench
    leaves a 1-minute load average of 5-6 on 2 cores, which the next section would inherit."""
    waited = 0
    while os.getloadavg()[0] > SETTLED_LOAD and waited < SETTLE_AT_MOST_S:
        time.sleep(5)
        waited += 5


def kept_sections() -> dict[str, str]:
    """The marked sections of the current docs/benchmarks.md, by script name."""
    if not OUT.exists():
        return {}
    found = re.findall(r"<!-- (bench_\w+\.py) -->\n(.*?)<!-- /\1 -->", OUT.read_text(), re.S)
    return dict(found)


def main() -> int:
    sections = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py). Machine:",
        "",
        *machine(),
        "",
    ]
    failed = 0
    chosen = {name.removesuffix(".py") for name in sys.argv[1:]}
    kept = kept_sections()
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        if chosen and script.stem not in chosen:
            if script.name in kept:  # from an earlier run: its own section says when/how loaded
                sections += [f"<!-- {script.name} -->", kept[script.name].rstrip(), ""]
                sections += [f"<!-- /{script.name} -->", ""]
            continue
        settle()
        print(f"running {script.name} …", file=sys.stderr, flush=True)
        sections.append(f"<!-- {script.name} -->")
        result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
        if result.returncode != 0:
            failed += 1
            sections += [
                f"## {script.name}",
                "",
                "FAILED:",
                "",
                "```",
                result.stderr[-3000:],
                "```",
                "",
            ]
        else:
            sections += [result.stdout.strip(), ""]
        sections += [f"<!-- /{script.name} -->", ""]
    OUT.write_text("\n".join(sections) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
