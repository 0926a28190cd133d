"""`sonae assign …`: capacity-aware evacuation assignment (避難先の割当) over the road network.

`run` stores a new assignment and prints its figures (no personal data); `people` prints
person-level results and is recorded in the audit trail under the operator's name.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from sonae.assignment.models import (
    ASSIGNMENT_REASON_LABELS,
    AssignmentReason,
    AssignmentScope,
    EvacuationAssignment,
)
from sonae.audit import service as audit
from sonae.cli.common import friendly_errors, operator, unit_of_work
from sonae.cli.support_options import By, Municipality, municipality_code
from sonae.errors import InvalidInputError

app = typer.Typer(no_args_is_help=True)
# Each command imports sonae.assignment.service when run: it brings scipy (about a second), which
# --help does not need.
out = Console(highlight=False)

RunArg = Annotated[str, typer.Argument(help="assignment id, or 'latest'")]


@app.command("run")
@friendly_errors
def run_command(
    scope: Annotated[
        AssignmentScope, typer.Option(help="residents (everyone) or support_list")
    ] = AssignmentScope.residents,
    hazard: Annotated[
        str | None, typer.Option(help="only this hazard type decides suitability [all]")
    ] = None,
    as_of: Annotated[str | None, typer.Option(help="date ages are computed at [today]")] = None,
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Assign people to shelters (capacity, hazard, care needs; shortest total walk)."""
    from sonae.assignment import service

    code = municipality_code(municipality)
    with unit_of_work() as session:
        run = service.run_assignment(
            session=session,
            municipality_code=code,
            created_by=operator(by),
            scope=scope,
            hazard=hazard,
            as_of=date.fromisoformat(as_of) if as_of else None,
        )
        _print_run(run)


@app.command("show")
@friendly_errors
def show_command(run_id: RunArg = "latest", municipality: Municipality = None) -> None:
    """The figures of a stored assignment (no personal data)."""
    from sonae.assignment import service

    code = municipality_code(municipality)
    with unit_of_work() as session:
        run_number = _resolve(session, code, run_id)
        _print_run(
            service.get_assignment(
                session=session, municipality_code=code, assignment_id=run_number
            )
        )


@app.command("people")
@friendly_errors
def people_command(
    run_id: RunArg = "latest",
    reason: Annotated[
        list[AssignmentReason] | None, typer.Option(help="only these reasons (repeatable)")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Person-level results (person id, shelter, walk, reason); the read is audited."""
    from sonae.assignment import service

    code = municipality_code(municipality)
    with unit_of_work() as session:
        run_number = _resolve(session, code, run_id)
        total, rows = service.list_people(
            session=session,
            municipality_code=code,
            assignment_id=run_number,
            reasons=[str(r) for r in reason] if reason else None,
            limit=limit,
        )
        audit.record(
            session=session,
            principal=None,
            username=operator(by),
            municipality_code=code,
            action="read",
            resource=f"evacuation_assignment/{run_number}/people",
            person_ids=[r.person_id for r in rows],
        )
        table = Table(title=f"割当 {run_number}: {total:,} 人中 {len(rows)} 人")
        for column in ("person", "shelter", "walk m", "min", "理由"):
            table.add_column(column)
        for r in rows:
            table.add_row(
                str(r.person_id),
                "" if r.shelter_id is None else str(r.shelter_id),
                "" if r.walk_m is None else f"{r.walk_m:,.0f}",
                "" if r.walk_minutes is None else f"{r.walk_minutes:.1f}",
                ASSIGNMENT_REASON_LABELS[r.reason],
            )
        out.print(table)


def _resolve(session: Session, code: str, run_id: str) -> int:
    from sonae.assignment import service

    if run_id == "latest":
        run = service.latest_assignment(session=session, municipality_code=code)
        if run is None:
            raise InvalidInputError("no assignment yet: run `sonae assign run`")
        return run.id
    if not run_id.isdigit():
        raise InvalidInputError(f"assignment {run_id!r} is neither a number nor 'latest'")
    return int(run_id)


def _print_run(run: EvacuationAssignment) -> None:
    f = run.figures
    out.print(
        f"割当 {run.id} ({run.scope}, hazard {run.hazard or 'all'}): {f['people']:,} 人, "
        f"割当 {f['assigned']:,}, 未割当 {f['unassigned']:,}, 最寄り以外 {f['not_nearest']:,}; "
        f"{run.seconds:.2f} s"
    )
    table = Table(title="徒歩距離（割当 vs 最寄りの避難所・容量無視）")
    for column in ("", "人", "合計 km", "最大 m", "平均 m"):
        table.add_column(column)
    table.add_row(
        "割当", f"{f['assigned']:,}", f"{f['total_walk_m'] / 1000:,.1f}",
        f"{f['max_walk_m']:,.0f}", f"{f['mean_walk_m'] or 0:,.0f}",
    )  # fmt: skip
    table.add_row(
        "最寄り", f"{f['nearest_people']:,}", f"{f['nearest_total_walk_m'] / 1000:,.1f}",
        f"{f['nearest_max_walk_m']:,.0f}", "",
    )  # fmt: skip
    out.print(table)
    out.print(
        f"最寄り割当なら容量超過 {f['nearest_over_capacity']:,} 人; 徒歩時間 最大 "
        f"{f['max_walk_minutes']:.0f} 分, 平均 {f['mean_walk_minutes'] or 0:.1f} 分 "
        f"(歩行速度 {f['walk_speed_m_s']} m/s, 高齢者・要配慮者 {f['slow_walk_speed_m_s']} m/s)"
    )
    reasons = Table(title="理由別")
    reasons.add_column("理由")
    reasons.add_column("人", justify="right")
    for row in f["by_reason"].values():
        if row["people"]:
            reasons.add_row(row["label"], f"{row['people']:,}")
    out.print(reasons)
