"""Consent (同意) to share the list (49条の11) and to make an evacuation plan (49条の14).

Decisions are appended, never edited: the one recorded last per person and scope is in force
("latest wins", by recording time and then id, so a correction entered later always wins).
A person never asked has no row and counts as not_asked.

Every write is audited here, with the people it touched, whoever calls (API, CLI): a person's
access history (audit.service.person_history) shows who recorded their decisions.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.audit import service as audit
from sonae.errors import ImportRejectedError, InvalidInputError, NotFoundError, Problem
from sonae.logging import get_logger
from sonae.registry.dates import read_date
from sonae.registry.models import Person
from sonae.registry.problems import RowProblem
from sonae.security.roles import Principal
from sonae.support.models import Consent, ConsentScope, ConsentStatus
from sonae.support.service import among

if TYPE_CHECKING:
    # Only a type here: the CLI calls this too and need not load FastAPI (0.1 s) for that.
    from fastapi import Request

log = get_logger(__name__)

STATUS_WORDS = {
    ConsentStatus.agreed: ("同意", "同意する", "同意あり", "有", "あり", "はい", "1", "agreed"),
    ConsentStatus.refused: ("不同意", "同意しない", "同意なし", "拒否", "いいえ", "0", "refused"),
    ConsentStatus.not_asked: ("未確認", "未回答", "未同意", "確認中", "", "not_asked"),
}
STATUS_BY_WORD = {word: status for status, words in STATUS_WORDS.items() for word in words}
STATUS_LABELS = {
    ConsentStatus.agreed: "同意",
    ConsentStatus.refused: "不同意",
    ConsentStatus.not_asked: "未確認",
}
SCOPE_LABELS = {
    ConsentScope.list_sharing: "名簿情報の平常時提供",
    ConsentScope.evacuation_plan: "個別避難計画",
}
CSV_COLUMNS = ("宛名番号", "同意", "同意日")
PURPOSE = "support_list_consent"


def person_id_for(*, session: Session, municipality_code: str, address_number: str) -> int:
    person_id = session.scalar(
        select(Person.id).where(
            Person.municipality_code == municipality_code,
            Person.address_number == address_number.strip(),
        )
    )
    if person_id is None:
        raise NotFoundError("no person has this 宛名番号")
    return person_id


AFTER_TODAY = "after today (in Japan)"
"""A decision cannot be dated in the future: a typo in the year would make it look current."""


def record_consent(
    *,
    session: Session,
    municipality_code: str,
    person_id: int,
    scope: ConsentScope,
    status: ConsentStatus,
    decided_on: date | None,
    recorded_by: str,
    principal: Principal | None,
    request: Request | None = None,
    note: str | None = None,
) -> Consent:
    """Append one decision, audited (principal None: the CLI, recorded_by is the operator)."""
    if session.get(Person, (municipality_code, person_id)) is None:
        raise NotFoundError(f"person {person_id} does not exist in {municipality_code}")
    if decided_on is not None and decided_on > japan_time.today():
        raise InvalidInputError(f"field 'decided_on': {AFTER_TODAY}")
    consent = Consent(
        municipality_code=municipality_code,
        person_id=person_id,
        scope=scope,
        status=status,
        decided_on=decided_on,
        recorded_by=recorded_by,
        note=note,
    )
    session.add(consent)
    session.flush()
    audit.record(
        session=session, principal=principal, username=recorded_by,
        municipality_code=municipality_code, action="create",
        resource=f"person/{person_id}/consent", person_ids=[person_id], fields=["consent"],
        purpose_code=PURPOSE, request=request, detail={"scope": str(scope)},
    )  # fmt: skip
    return consent


def latest_consents(
    *,
    session: Session,
    municipality_code: str,
    scope: ConsentScope,
    person_ids: Collection[int] | None = None,
) -> dict[int, ConsentStatus]:
    """The decision in force per person (people without one are absent: not asked)."""
    where = [Consent.municipality_code == municipality_code, Consent.scope == scope]
    if person_ids is not None:
        where.append(among(Consent.person_id, person_ids))
    newest_first = func.row_number().over(
        partition_by=Consent.person_id, order_by=(Consent.recorded_at.desc(), Consent.id.desc())
    )
    ranked = (
        select(Consent.person_id, Consent.status, newest_first.label("n")).where(*where).subquery()
    )
    query = select(ranked.c.person_id, ranked.c.status).where(ranked.c.n == 1)
    return {person_id: status for person_id, status in session.execute(query)}


def consent_status(
    *, session: Session, municipality_code: str, person_id: int, scope: ConsentScope
) -> ConsentStatus:
    found = latest_consents(
        session=session, municipality_code=municipality_code, scope=scope, person_ids=[person_id]
    )
    return found.get(person_id, ConsentStatus.not_asked)


def consent_history(*, session: Session, municipality_code: str, person_id: int) -> list[Consent]:
    return list(
        session.scalars(
            select(Consent)
            .where(Consent.municipality_code == municipality_code, Consent.person_id == person_id)
            .order_by(Consent.recorded_at, Consent.id)
        )
    )


def _decision_date(text: str) -> tuple[date | None, str | None]:
    """(the date, None) or (None, why not)."""
    try:
        decided_on = read_date(text)
    except ValueError as reason:
        return None, str(reason)
    if decided_on > japan_time.today():
        return None, AFTER_TODAY
    return decided_on, None


@dataclass
class ConsentImport:
    rows: int
    by_status: dict[str, int] = field(default_factory=dict)


def import_consent_csv(
    *,
    session: Session,
    municipality_code: str,
    name: str,
    content: bytes,
    scope: ConsentScope,
    recorded_by: str,
    principal: Principal | None,
    request: Request | None = None,
) -> ConsentImport:
    """Columns 宛名番号, 同意, 同意日 (UTF-8 with or without BOM, or cp932); all rows or none.
    Audited as one entry naming every person whose decision was recorded."""
    reader = csv.DictReader(io.StringIO(_decode(name, content)))
    missing = [c for c in CSV_COLUMNS[:2] if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRejectedError(name, [Problem("missing column", field=c) for c in missing])
    parsed: list[tuple[int, ConsentStatus, date | None]] = []
    problems: list[Problem] = []
    numbers = {
        number: pid
        for number, pid in session.execute(
            select(Person.address_number, Person.id).where(
                Person.municipality_code == municipality_code
            )
        )
    }
    for row in reader:
        line = reader.line_num  # of the file, as the registry import reports (header: 1)
        person_id = numbers.get((row.get("宛名番号") or "").strip())
        status = STATUS_BY_WORD.get((row.get("同意") or "").strip())
        decided_on = None
        if person_id is None:
            problems.append(
                RowProblem("no person has this 宛名番号", feature=line, field="宛名番号")
            )
        if status is None:
            problems.append(RowProblem("not a consent answer", feature=line, field="同意"))
        if (row.get("同意日") or "").strip():
            decided_on, wrong = _decision_date(row["同意日"])
            if wrong:
                problems.append(RowProblem(wrong, feature=line, field="同意日"))
        if person_id is not None and status is not None:
            parsed.append((person_id, status, decided_on))
    if problems:
        raise ImportRejectedError(name, problems)
    for person_id, status, decided_on in parsed:
        session.add(
            Consent(
                municipality_code=municipality_code,
                person_id=person_id,
                scope=scope,
                status=status,
                decided_on=decided_on,
                recorded_by=recorded_by,
                note=f"import {name}"[:200],
            )
        )
    session.flush()
    counts = Counter(str(status) for _, status, _ in parsed)
    audit.record(
        session=session, principal=principal, username=recorded_by,
        municipality_code=municipality_code, action="create", resource="consent/import",
        person_ids=[person_id for person_id, _, _ in parsed], fields=["consent"],
        purpose_code=PURPOSE, request=request,
        detail={"scope": str(scope), "rows": len(parsed)},
    )  # fmt: skip
    log.info("consents imported", municipality=municipality_code, rows=len(parsed), scope=scope)
    return ConsentImport(rows=len(parsed), by_status=dict(counts))


def _decode(name: str, content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejectedError(name, [Problem("neither UTF-8 nor Shift_JIS (cp932)")])
