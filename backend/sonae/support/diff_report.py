"""A diff as rows for people to read: Japanese headers, who (宛名番号, 氏名), where, and why."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.registry.models import Person
from sonae.support.diff import SupportListDiff
from sonae.support.service import among

KIND_LABELS = {"added": "追加", "removed": "削除", "changed": "変更"}
REPORT_COLUMNS = (
    "区分",
    "宛名番号",
    "氏名",
    "地区",
    "変更の理由",
    "掲載事由（前）",
    "掲載事由（後）",
)


def report_rows(*, session: Session, diff: SupportListDiff) -> list[dict[str, str]]:
    ids = [item.person_id for item in diff.items]
    people = {
        pid: (number, name)
        for pid, number, name in session.execute(
            select(Person.id, Person.address_number, Person.name).where(
                Person.municipality_code == diff.build.municipality_code, among(Person.id, ids)
            )
        )
    }
    before, after = diff.rules_before.labels(), diff.rules_after.labels()
    rows = []
    for item in diff.items:
        number, name = people.get(item.person_id, ("", ""))
        rows.append(
            {
                "区分": KIND_LABELS[item.kind],
                "宛名番号": number,
                "氏名": name,
                "地区": item.district or "",
                "変更の理由": "、".join(change.label for change in item.changes),
                "掲載事由（前）": "・".join(before.get(c, c) for c in item.reasons_before),
                "掲載事由（後）": "・".join(after.get(c, c) for c in item.reasons_after),
            }
        )
    return rows


def report_csv(rows: list[dict[str, str]]) -> bytes:
    """UTF-8 with BOM (Excel opens it as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
