"""The victim registry as a file: CSV, UTF-8 with BOM, one row per person, Japanese headers.

Columns follow 災害対策基本法 第90条の3 第2項 and 施行規則 第8条の5 (氏名, 生年月日, 性別, 住所,
住家の被害その他の被害の状況, 援護の実施の状況, 要配慮者であるときはその旨及び事由) plus what
ordinances usually add (連絡先, 世帯, 罹災証明書の交付の状況, 台帳情報の提供先). The personal number
(個人番号), which the ordinance allows, is deliberately left out of files (security.my_number).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from sonae.damage.levels import DAMAGE_LEVEL_LABELS
from sonae.housing.models import HOUSING_STATUS_LABELS
from sonae.japan_time import japan_date
from sonae.livelihood.models import APPLICATION_STATUS_LABELS
from sonae.livelihood.table import PLAN_LABELS, SUPPORT_KIND_LABELS
from sonae.registry.models import Sex
from sonae.support_extract.wareki import format_wareki
from sonae.victim_registry.models import REGISTRY_ITEMS, SUPPORT_GIVEN_LABELS
from sonae.victim_registry.service import HouseholdRecord

HEADER = list(REGISTRY_ITEMS)
SEX_LABELS = {Sex.male: "男", Sex.female: "女"}


def rows(record: HouseholdRecord) -> Iterable[list[str]]:
    certificate = record.certificate
    household_columns = [
        DAMAGE_LEVEL_LABELS[certificate.damage_level] if certificate else "",
        certificate.serial if certificate else "",
        format_wareki(japan_date(certificate.issued_at)) if certificate else "",
        _livelihood(record),
        _housing(record),
    ]
    for entry in record.members:
        person = entry.person
        supports = [
            f"{SUPPORT_GIVEN_LABELS[s.kind]}：{s.description}"
            + (f" {s.amount:,}円" if s.amount is not None else "")
            + f"（{format_wareki(s.given_on)}）"
            for s in record.supports
            if s.person_id in (None, person.id)
        ]
        safety = [s.summary for s in record.safety if s.person_id == person.id]
        yield [
            str(record.event_id),
            record.household_number,
            person.address_number,
            person.name,
            person.name_kana or "",
            format_wareki(person.birth_date),
            SEX_LABELS[person.sex],
            person.relation_to_head,
            person.address_text + (f" {person.address_annex}" if person.address_annex else ""),
            (entry.welfare.phone or "") if entry.welfare else "",
            "該当" if entry.care_reasons else "",
            "、".join(entry.care_reasons),
            *household_columns,
            "／".join(supports),
            "／".join(safety),
            "／".join(
                f"{p.recipient}（{p.purpose}、{format_wareki(p.provided_on)}）"
                for p in record.provisions
            ),
        ]


def _livelihood(record: HouseholdRecord) -> str:
    paid = {p.application_id: p for p in record.payments}
    parts = []
    for a in record.livelihood:
        text = f"{SUPPORT_KIND_LABELS[a.kind]}"
        if a.kind.value == "additional":
            text += f"（{PLAN_LABELS[a.plan]}）"
        text += f" {a.amount:,}円 {APPLICATION_STATUS_LABELS[a.status]}"
        if a.id in paid:
            text += f"（{format_wareki(paid[a.id].paid_on)}支給）"
        parts.append(text)
    return "／".join(parts)


def _housing(record: HouseholdRecord) -> str:
    parts = []
    for h in record.housing:
        text = HOUSING_STATUS_LABELS[h.status]
        if h.moved_in_on:
            text += f"（入居 {format_wareki(h.moved_in_on)}"
            text += f"、期限 {format_wareki(h.limit_on)}）" if h.limit_on else "）"
        parts.append(text)
    return "／".join(parts)


def to_csv(records: Iterable[HouseholdRecord]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for record in records:
        writer.writerows(rows(record))
    return buffer.getvalue().encode("utf-8-sig")
