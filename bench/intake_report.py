"""The Markdown section of bench_intake.py (kept apart so the benchmark itself stays short)."""

from __future__ import annotations

from typing import Any

from intake_load import FaultResult

CLIENTS = 32
SECONDS = 15.0
FAULT_CLIENTS = 50
TARGET_RATE, TARGET_P95_MS = 300.0, 100.0


def report(
    baseline: Any,
    sweep: dict[int, Any],
    larger: tuple[dict[int, Any], int],
    fault: FaultResult,
    tasks: int,
    open_stays: int,
    all_stays: int,
    people: int,
    intact: bool,
    shelters: int,
    loadavg: str,
) -> str:
    load, big = sweep[CLIENTS], larger[0][CLIENTS]
    rows = [
        f"| GET /api/auth/me (baseline) | {baseline.per_second:,.0f} | {baseline.median:.1f} "
        f"| {baseline.percentile(95):.1f} | {baseline.percentile(99):.1f} | {baseline.errors} |",
        f"| POST …/checkins by 宛名番号 | {load.per_second:,.0f} | {load.median:.1f} "
        f"| {load.percentile(95):.1f} | {load.percentile(99):.1f} | {load.errors} |",
        f"| POST …/checkins by 宛名番号, Nishinomiya ({larger[1]:,} residents) "
        f"| {big.per_second:,.0f} | {big.median:.1f} "
        f"| {big.percentile(95):.1f} | {big.percentile(99):.1f} | {big.errors} |",
    ]
    made = fault.outcomes["checked_in"] + fault.outcomes["transferred"]
    verdict = "nothing lost, nothing doubled" if intact else "MISMATCH"
    lines = [
        "## Shelter intake (check-ins under load, and a server crash mid-run)",
        "",
        f"Urayasu, synthetic registry (seed 7), {shelters} designated shelters open (Nishinomiya: "
        "seed 1, its own database, the check-in rates only); uvicorn "
        f"with 2 workers on loopback; {CLIENTS} closed-loop clients for {SECONDS:.0f} s after "
        "a 2 s warm-up. The load generator, the server and PostgreSQL share the same cores "
        f"(and other work on the machine: load average at the end `{loadavg}`).",
        "",
        "| request | per second | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
        *_sweep("Urayasu", sweep),
        *_sweep(f"Nishinomiya, {larger[1]:,} residents", larger[0]),
        "The load generator keeps one keep-alive connection per client and spends a few "
        "hundredths of a millisecond of CPU per request (bench/intake_load.py).",
        "",
        f"Fault run: {FAULT_CLIENTS} clients, {tasks} check-ins ({tasks - people} of them "
        f"moves to another shelter) of {people} people, each resent with its Idempotency-Key "
        "until answered; the server SIGKILLed and restarted halfway. "
        f"{fault.retries} resends; outcomes {dict(fault.outcomes)}; refused "
        f"{dict(fault.refused) or 'none'}; {fault.seconds:.1f} s. "
        f"Open stays {open_stays} for {people} distinct people; {all_stays} stays for {made} "
        f"answers that made one: **{verdict}**.",
        "",
    ]
    return "\n".join(lines)


def _sweep(city: str, sweep: dict[int, Any]) -> list[str]:
    """The rate at each number of closed-loop clients, and where it meets the target."""
    meeting = [
        clients
        for clients, result in sweep.items()
        if result.per_second >= TARGET_RATE and result.percentile(95) < TARGET_P95_MS
    ]
    verdict = (
        f"**met** at {', '.join(map(str, meeting))} clients"
        if meeting
        else "**not met** at any of these client counts"
    )
    return [
        f"Check-ins by 宛名番号 ({city}) at each number of closed-loop clients:",
        "",
        "| clients | per second | p50 ms | p95 ms | p99 ms | errors |",
        "|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {clients} | {r.per_second:,.0f} | {r.median:.1f} | {r.percentile(95):.1f} "
            f"| {r.percentile(99):.1f} | {r.errors} |"
            for clients, r in sweep.items()
        ),
        "",
        f"Target ≥ {TARGET_RATE:.0f} check-ins/s with p95 < {TARGET_P95_MS:.0f} ms ({city}): "
        f"{verdict} in this run.",
        "",
    ]
