"""`sonae support …`: the support list (避難行動要支援者名簿): rules, builds, diffs, exports.

Reads of personal data from the command line are recorded in the audit trail too, under the
operator's name (--by, default the OS user, prefixed cli:).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from sonae import japan_time
from sonae.audit import service as audit
from sonae.cli import support_consent, support_export
from sonae.cli.common import console, friendly_errors, operator, unit_of_work
from sonae.cli.support_options import By, Municipality, municipality_code, resolve_build
from sonae.municipality import service as municipality_service
from sonae.private_files import write_private
from sonae.support import service as support_service
from sonae.support.build import STAGES, build_support_list
from sonae.support.diff import diff_builds
from sonae.support.diff_report import REPORT_COLUMNS, report_csv, report_rows
from sonae.support.rules import read_rules_file

app = typer.Typer(no_args_is_help=True)
rules_app = typer.Typer(help="Inclusion criteria, as numbered versions.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(support_consent.app, name="consent")
out = Console(highlight=False)

BuildArg = Annotated[str, typer.Argument(help="build id, or 'latest'")]


@rules_app.command("show")
@friendly_errors
def rules_show(
    version: Annotated[int | None, typer.Option(help="a version (default: the latest)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the stored JSON")] = False,
    municipality: Municipality = None,
) -> None:
    """Show the criteria in force (or a given version)."""
    municipality = municipality_code(municipality)
    with unit_of_work() as session:
        rule_set = (
            support_service.rule_set_by_version(
                session=session, municipality_code=municipality, version=version
            )
            if version is not None
            else support_service.latest_rule_set(session=session, municipality_code=municipality)
        )
        if rule_set is None:
            out.print(
                "no rules stored yet: the shipped default becomes version 1 at the first build"
            )
            return
        rules = support_service.rules_of(rule_set)
        if as_json:
            out.print_json(json.dumps(rule_set.rules, ensure_ascii=False))
            return
        table = Table(title=f"掲載基準 第{rule_set.version}版 {rule_set.name}")
        for column in ("code", "基準", "条件"):
            table.add_column(column)
        for name in type(rules).model_fields:
            rule = getattr(rules, name)
            if name in ("name", "note", "priority", "shelter") or rule is None:
                continue
            params = rule.model_dump(exclude={"code", "label"}, mode="json")
            table.add_row(rule.code, rule.label, json.dumps(params, ensure_ascii=False))
        out.print(table)
        out.print(f"priority: {rules.priority.model_dump()}")
        out.print(f"shelter: {rules.shelter.model_dump(mode='json')}")
        out.print(f"created {japan_time.shown(rule_set.created_at)} JST by {rule_set.created_by}")


@rules_app.command("set")
@friendly_errors
def rules_set(
    file: Annotated[Path, typer.Argument(help="rules TOML (see data/reference/…default.toml)")],
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Store FILE as the next version of the criteria (earlier versions are kept)."""
    municipality = municipality_code(municipality)
    rules = read_rules_file(file)
    with unit_of_work() as session:
        municipality_service.get(session=session, code=municipality)
        rule_set = support_service.create_rule_set(
            session=session, municipality_code=municipality, rules=rules, created_by=operator(by)
        )
    console.print(f"[green]stored[/green] support rules version {rule_set.version} ({rules.name})")


@rules_app.command("versions")
@friendly_errors
def rules_versions(municipality: Municipality = None) -> None:
    """List every version of the criteria."""
    municipality = municipality_code(municipality)
    with unit_of_work() as session:
        table = Table("版", "id", "名称", "作成（日本時間）", "作成者")
        for r in support_service.list_rule_sets(session=session, municipality_code=municipality):
            table.add_row(
                str(r.version), str(r.id), r.name, japan_time.shown(r.created_at), r.created_by
            )
    out.print(table)


@app.command()
@friendly_errors
def build(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="date ages are computed at [today]; the registry is always as held now"
        ),
    ] = None,
    rule_set: Annotated[
        int | None, typer.Option("--rule-set", help="rule set id (default: the latest version)")
    ] = None,
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """Build and store a new version of the list."""
    municipality = municipality_code(municipality)
    when = date.fromisoformat(as_of) if as_of else japan_time.today()
    with Progress(console=console, transient=True) as progress, unit_of_work() as session:
        task = progress.add_task("名簿の作成", total=len(STAGES))

        def stage(name: str, number: int, total: int) -> None:
            progress.update(task, completed=number - 1, total=total, description=name)

        result = build_support_list(
            session=session,
            municipality_code=municipality,
            built_by=operator(by),
            as_of=when,
            rule_set_id=rule_set,
            on_stage=stage,
        )
        progress.update(task, completed=len(STAGES))
        labels = support_service.rules_of(
            support_service.get_rule_set(
                session=session, municipality_code=municipality, rule_set_id=result.rule_set_id
            )
        ).labels()
    console.print(
        f"[green]built[/green] support list {result.id} as of {result.as_of}: "
        f"{result.listed} of {result.residents} residents listed"
    )
    table = Table("掲載事由", "人数")
    for code, n in sorted(result.counts["by_reason"].items(), key=lambda kv: -kv[1]):
        table.add_row(labels.get(code, code), str(n))
    out.print(table)
    out.print(f"災害リスク: {result.counts['by_hazard']}")


@app.command()
@friendly_errors
def builds(municipality: Municipality = None) -> None:
    """List the stored builds, newest first."""
    municipality = municipality_code(municipality)
    with unit_of_work() as session:
        table = Table("id", "基準日", "作成（日本時間）", "作成者", "基準 id", "住民", "掲載")
        for b in support_service.list_builds(session=session, municipality_code=municipality):
            table.add_row(
                str(b.id),
                str(b.as_of),
                japan_time.shown(b.built_at),
                b.built_by,
                str(b.rule_set_id),
                str(b.residents),
                str(b.listed),
            )
    out.print(table)


@app.command()
@friendly_errors
def diff(
    before: BuildArg,
    after: BuildArg,
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="also write the report as CSV")
    ] = None,
    by: By = None,
    municipality: Municipality = None,
) -> None:
    """What changed from build BEFORE to build AFTER, and why (Japanese report)."""
    municipality = municipality_code(municipality)
    with unit_of_work() as session:
        first = resolve_build(session, municipality, before)
        second = resolve_build(session, municipality, after)
        result = diff_builds(
            session=session, municipality_code=municipality, build_id=first, other_build_id=second
        )
        rows = report_rows(session=session, diff=result)
        audit.record(
            session=session,
            principal=None,
            username=operator(by),
            municipality_code=municipality,
            action="read",
            resource=f"support_list_build/{first}/diff/{second}",
            person_ids=[item.person_id for item in result.items],
            fields=["address_number", "name", "reasons"],
            purpose_code="support_list_maintenance",
        )
    counts = result.counts()
    table = Table(
        *REPORT_COLUMNS,
        title=f"名簿の差分 第{first}版 → 第{second}版（追加 {counts['added']}・"
        f"削除 {counts['removed']}・変更 {counts['changed']}）",
    )
    for row in rows:
        table.add_row(*(row[c] for c in REPORT_COLUMNS))
    out.print(table)
    if csv_out is not None:
        write_private(csv_out, report_csv(rows))
        console.print(f"[green]wrote[/green] {csv_out}")


support_export.register(app)
