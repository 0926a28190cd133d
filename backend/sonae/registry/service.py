"""`sonae registry import`: a registry file (full or changes) into people, history, numbers.

One call is one import, in the caller's transaction (never committed here). A file with any
invalid row is refused whole (ImportRejectedError, nothing written) unless skip_invalid, when
the valid rows are imported and the others reported. The file's kind is told by its header:
with 異動事由 it is a change file, else a full file.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.audit import service as audit
from sonae.errors import ImportRejectedError, InvalidInputError
from sonae.logging import get_logger
from sonae.municipality import service as municipality_service
from sonae.registry import partitions, persistence
from sonae.registry.bulk import BULK_CHANGE, analyze_after_bulk_change
from sonae.registry.changes import plan_changes
from sonae.registry.columns import CHANGE_COLUMNS, REGISTRY_COLUMNS, header_of
from sonae.registry.existing import load_people, lock_registry
from sonae.registry.geocode import geocode_column, load_gazetteer
from sonae.registry.models import GeocodeStatus
from sonae.registry.my_number_store import StoredNumbers, seal_numbers, store_my_numbers
from sonae.registry.parsing import RawTable, read_table, require_columns
from sonae.registry.plan import Plan, plan_full
from sonae.registry.problems import ReportLine, RowProblem, rejected_lines
from sonae.registry.result import RegistryImportResult
from sonae.registry.validation import validate_registry

log = get_logger(__name__)
Step = Callable[[str], None]
IMPORT_STEPS = (
    "reading",
    "validating",
    "geocoding",
    "staging people",
    "writing people",
    "indexing people",
    "writing history",
    "storing personal numbers",
    "finishing",
)
"""What on_step is called with, in order (for progress bars)."""
ERASE_GUARD_SHARE = 0.05
ERASE_GUARD_MIN = 50
"""A full file that would mark more than 5 % (and more than 50) of the held residents as gone
is refused unless allow_erase: it is more likely a partial export than a real exodus."""


@dataclass
class _Checked:
    """A file read, validated and compared with the registry: what to write."""

    raw: RawTable
    changes: bool
    plan: Plan
    stored: StoredNumbers
    accepted: int
    problems: list[RowProblem]


def import_registry(
    *,
    session: Session,
    municipality_code: str,
    path: Path,
    skip_invalid: bool = False,
    as_of: date | None = None,
    encoding: str | None = None,
    allow_erase: bool = False,
    on_step: Step | None = None,
    operator: str = "cli",
) -> RegistryImportResult:
    step = on_step or (lambda _: None)
    as_of = as_of or japan_time.today()
    if as_of > japan_time.today():
        # Rows dated up to it would be stored as today's truth: a death next month would take
        # the person off every list (and the shelter desks' look-up) now.
        raise InvalidInputError(f"--as-of {as_of.isoformat()}: after today (in Japan)")
    municipality_service.get(session=session, code=municipality_code)
    checked = _check(
        session=session,
        municipality_code=municipality_code,
        path=path,
        as_of=as_of,
        encoding=encoding,
        step=step,
    )
    if checked.problems and not skip_invalid:
        raise ImportRejectedError(checked.raw.file, sorted(checked.problems, key=_where))
    if not checked.changes and not allow_erase:
        _refuse_mass_erasure(checked)
    result = _write(
        session=session,
        municipality_code=municipality_code,
        checked=checked,
        as_of=as_of,
        step=step,
    )
    # A change of personal data: audited with the import id (person_history.import_id names
    # every person it touched; listing 488k ids in one audit row would bloat the trail).
    audit.record(
        session=session,
        principal=None,
        action="update",
        resource=f"registry.import.{result.kind}",
        username=operator,
        municipality_code=municipality_code,
        detail={"import_id": result.import_id, "file": result.file, **result.counts()},
    )
    log.info("registry imported", municipality=municipality_code, **result.counts())
    return result


def _check(
    *,
    session: Session,
    municipality_code: str,
    path: Path,
    as_of: date,
    encoding: str | None,
    step: Step,
) -> _Checked:
    step("reading")
    raw = read_table(path, known=(*REGISTRY_COLUMNS, *CHANGE_COLUMNS), encoding=encoding)
    changes = raw.has("change")
    require_columns(raw, (*REGISTRY_COLUMNS, *(CHANGE_COLUMNS if changes else ())))
    step("validating")
    validated = validate_registry(raw, changes=changes, as_of=as_of)
    lock_registry(session=session, municipality_code=municipality_code)
    accepted = validated.accepted
    numbers_only = pc.unique(accepted.column("address_number")).to_pylist() if changes else None
    existing = load_people(
        session=session, municipality_code=municipality_code, address_numbers=numbers_only
    )
    stored = StoredNumbers(session=session, municipality_code=municipality_code)
    held_ids = existing["id"].take(
        pc.index_in(accepted.column("address_number"), value_set=existing["address_number"])
    )
    clashes = stored.clashes(accepted.column("my_number"), held_ids)
    problems = [*validated.problems, *_clash_problems(accepted, clashes)]
    accepted = accepted.filter(pc.invert(clashes))
    if changes:
        plan = plan_changes(accepted, existing)
    else:
        listed = pc.drop_null(validated.table.column("address_number"))
        plan = plan_full(accepted, listed, existing, as_of=as_of)
    plan.residents_held = int(pc.sum(pc.equal(existing["status"], "resident")).as_py() or 0)
    return _Checked(
        raw=raw,
        changes=changes,
        plan=plan,
        stored=stored,
        accepted=int(accepted.num_rows) - len(plan.problems),
        problems=problems + plan.problems,
    )


def _write(
    *, session: Session, municipality_code: str, checked: _Checked, as_of: date, step: Step
) -> RegistryImportResult:
    plan, raw = checked.plan, checked.raw
    step("geocoding")
    geocoded = geocode_column(
        load_gazetteer(session=session, municipality_code=municipality_code),
        plan.people.column("address_text"),
    )
    step("staging people")
    targets = partitions.begin(session=session, municipality_code=municipality_code)
    people = persistence.assign_ids(session=session, people=plan.people)
    store, replace = checked.stored.to_store(people.column("my_number"), people.column("id"))
    kind = "changes" if checked.changes else "full"
    import_id = persistence.record_registry_import(
        session=session,
        municipality_code=municipality_code,
        file_name=raw.file,
        sha256=raw.sha256,
        kind=kind,
        encoding=raw.encoding,
        rows=raw.rows,
        accepted=checked.accepted,
        geocoded=geocoded.matched,
    )
    new_people = persistence.stage_people(
        session=session,
        rows=persistence.person_rows(municipality_code, people, geocoded),
        is_new=people.column("is_new"),
    )
    step("writing people")
    inserted, updated = persistence.apply_people(session=session, new=new_people, targets=targets)
    erased = persistence.erase(
        session=session, municipality_code=municipality_code, ids=_erased_ids(plan), as_of=as_of
    )
    history, numbers = _write_history_and_numbers(
        session=session,
        municipality_code=municipality_code,
        plan=plan,
        people=people,
        store=store,
        replace=replace,
        import_id=import_id,
        targets=targets,
        step=step,
    )
    step("finishing")  # a first load's other partitions attached, or statistics
    partitions.attach(
        session=session,
        municipality_code=municipality_code,
        targets=targets,
        tables=("person_history", "my_number"),
    )
    if not targets.first_load and inserted + updated + erased >= BULK_CHANGE:
        analyze_after_bulk_change(session, ("person_history", "my_number"))  # person: written
    return RegistryImportResult(
        file=raw.file,
        kind=kind,
        encoding=raw.encoding,
        rows=raw.rows,
        accepted=checked.accepted,
        inserted=inserted,
        updated=updated,
        unchanged=int(people.num_rows) - inserted - updated,
        erased=erased,
        history=history,
        my_numbers=numbers,
        geocoded={s.value: geocoded.count(s) for s in GeocodeStatus},
        import_id=import_id,
        report=[*rejected_lines(checked.problems), *_unmatched(people, geocoded), *_gone(plan)],
        ignored_columns=raw.ignored_columns,
    )


def _write_history_and_numbers(
    *,
    session: Session,
    municipality_code: str,
    plan: Plan,
    people: Any,
    store: Any,
    replace: bool,
    import_id: int,
    targets: partitions.Targets,
    step: Step,
) -> tuple[int, int]:
    """(history rows, numbers stored). Sealing and the history rows are Python work: a worker
    thread does them while the server runs one long statement (a first load's indexing of
    person), not beside a COPY, whose feed would wait for the GIL after every socket write."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        sealing = worker.submit(
            seal_numbers,
            municipality_code=municipality_code,
            person_ids=people.column("id").filter(store),
            numbers=people.column("my_number").filter(store),
        )
        history_rows = worker.submit(
            persistence.history_rows,
            municipality_code=municipality_code,
            history=plan.history,
            ids=_ids(people, plan),
            import_id=import_id,
        )
        step("indexing people")  # a first load's (else nothing)
        partitions.attach(
            session=session,
            municipality_code=municipality_code,
            targets=targets,
            tables=("person",),
        )
        step("writing history")
        history = persistence.write_history(
            session=session, rows=history_rows.result(), targets=targets
        )
        step("storing personal numbers")
        numbers = store_my_numbers(
            session=session, sealed=sealing.result(), replace=replace, targets=targets
        )
    return history, numbers


def _refuse_mass_erasure(checked: _Checked) -> None:
    if checked.raw.rows == 0:
        raise ImportRejectedError(checked.raw.file, [RowProblem("a full file with no data rows")])
    residents, gone = checked.plan.residents_held, checked.plan.erased_count
    if gone > ERASE_GUARD_MIN and gone > ERASE_GUARD_SHARE * residents:
        reason = (
            f"this full file would mark {gone} of the {residents} residents held as no longer "
            f"in the registry (more than {ERASE_GUARD_SHARE:.0%}): a partial export? "
            "If it is right, import it with --allow-erase"
        )
        raise ImportRejectedError(checked.raw.file, [RowProblem(reason)])


def _where(problem: Any) -> tuple[int, str]:
    return (problem.feature or 0, problem.field or "")


def _clash_problems(accepted: Any, clashes: Any) -> list[RowProblem]:
    lines = accepted.column("line").filter(clashes).to_pylist()
    reason = "already recorded for another person in the registry"
    return [RowProblem(reason, feature=line, field=header_of("my_number")) for line in lines]


def _erased_ids(plan: Plan) -> list[int]:
    return [] if plan.erased is None else plan.erased.column("id").to_pylist()


def _ids(people: Any, plan: Plan) -> Any:
    ids = people.select(["address_number", "id"])
    if plan.erased is not None and plan.erased.num_rows:
        ids = pa.concat_tables([ids, plan.erased.select(["address_number", "id"])])
    return ids


def _unmatched(people: Any, geocoded: Any) -> list[ReportLine]:
    unmatched = pc.equal(geocoded.status, GeocodeStatus.unmatched.value)
    return [
        ReportLine("unmatched", f"address not placed: {note}", line=line, address_number=number)
        for line, number, note in zip(
            people.column("line").filter(unmatched).to_pylist(),
            people.column("address_number").filter(unmatched).to_pylist(),
            geocoded.note.filter(unmatched).to_pylist(),
            strict=True,
        )
    ]


def _gone(plan: Plan) -> list[ReportLine]:
    if plan.erased is None:
        return []
    return [
        ReportLine(
            "no_longer_in_registry",
            "a resident held but not in this full file: erased",
            address_number=number,
        )
        for number in plan.erased.column("address_number").to_pylist()
    ]
