"""Push notices (プッシュ型): households eligible for a support they have not applied for.

Eligibility is read from the certificate in force: a level whose table row gives the support
(basic > 0, or any additional amount). 半壊 and below are eligible only when demolished, which
Sonae learns only from an application, so they get no notice. The amount shown is what the
household can expect: basic at its level, additional "up to" the build/buy amount.

An outdated certificate gives no notice: its level is no longer the household's (a re-survey or
criteria switch changed it), and an application on it would be refused; the household is on the
re-issue list, and once re-issued the notice follows the new level. A household that applied for
the support gets no "you have not applied yet" letter, whatever became of the application: a
rejection (不支給決定) was notified with its reasons, and a withdrawal was the household's choice.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.certificate.service import list_certificates
from sonae.event.clock import disaster_date
from sonae.event.service import get_municipal_event
from sonae.livelihood.models import LivelihoodApplication
from sonae.livelihood.table import (
    SUPPORT_KIND_LABELS,
    SUPPORT_LEVEL_LABELS,
    Plan,
    SupportKind,
    SupportLevel,
    deadline,
    estimate,
)
from sonae.registry.models import Person, ResidentStatus
from sonae.support_extract.wareki import format_wareki
from sonae.victim_registry.households import heads, latest_certificates, sizes


@dataclass(frozen=True)
class Notice:
    household_number: str
    kind: SupportKind
    level: SupportLevel
    certificate_serial: str
    household_size: int
    amount: int
    """basic: the amount; additional: the most it can be (build/buy)."""
    deadline: date
    days_left: int


@dataclass(frozen=True)
class Letter:
    """A notice with where to send it: the head of household's name and address."""

    notice: Notice
    person_id: int
    name: str
    address: str


def push_notices(
    *, session: Session, municipality_code: str, event_id: int, as_of: date
) -> list[Notice]:
    """Sorted by deadline, then household number. A deadline already past gives no notice."""
    event = get_municipal_event(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    start = disaster_date(event)
    certificates = latest_certificates(
        session=session, municipality_code=municipality_code, event_id=event_id
    )
    applied = _applied(session, municipality_code, event_id)
    outdated = {
        certificate.household_number
        for certificate, _ in list_certificates(
            session=session,
            municipality_code=municipality_code,
            event_id=event_id,
            outdated_only=True,
        )
    }
    counts = sizes(
        session=session, municipality_code=municipality_code, household_numbers=certificates
    )
    notices: list[Notice] = []
    for household, certificate in sorted(certificates.items()):
        size = counts.get(household, 0)
        if size == 0:
            continue  # nobody left at that address in the registry: no letter can reach them
        if household in outdated:
            continue  # its level is not the household's any more: re-issue first
        level = SupportLevel(certificate.damage_level)
        for kind in SupportKind:
            if (household, kind) in applied:
                continue
            amounts = estimate(level=level, household_size=size, plan=Plan.build)
            amount = amounts.basic if kind is SupportKind.basic else amounts.additional
            last_day = deadline(kind, start)
            if amount == 0 or as_of > last_day:
                continue
            notices.append(
                Notice(
                    household_number=household,
                    kind=kind,
                    level=level,
                    certificate_serial=certificate.serial,
                    household_size=size,
                    amount=amount,
                    deadline=last_day,
                    days_left=(last_day - as_of).days,
                )
            )
    return sorted(notices, key=lambda n: (n.deadline, n.household_number, n.kind.value))


def letters(*, session: Session, municipality_code: str, notices: list[Notice]) -> list[Letter]:
    people = session.scalars(
        select(Person).where(
            Person.municipality_code == municipality_code,
            Person.household_number.in_({n.household_number for n in notices}),
            Person.status == ResidentStatus.resident,
        )
    ).all()
    by_household = heads(people)
    result = []
    for notice in notices:
        head = by_household[notice.household_number]
        address = head.address_text + (f" {head.address_annex}" if head.address_annex else "")
        result.append(Letter(notice, head.id, head.name, address))
    return result


CSV_HEADER = [
    "世帯番号",
    "世帯主氏名",
    "住所",
    "支援金",
    "被害の程度",
    "罹災証明書番号",
    "世帯人数",
    "見込額（円）",
    "申請期限",
]


def to_csv(items: list[Letter]) -> bytes:
    """UTF-8 with BOM, so spreadsheet software opens the Japanese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for letter in items:
        n = letter.notice
        writer.writerow(
            [
                n.household_number,
                letter.name,
                letter.address,
                SUPPORT_KIND_LABELS[n.kind],
                SUPPORT_LEVEL_LABELS[n.level],
                n.certificate_serial,
                n.household_size,
                n.amount,
                format_wareki(n.deadline),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


_PAGE = """<section class="letter">
<p class="to">{address}<br>{name} 様（世帯番号 {household}）</p>
<h1>被災者生活再建支援金（{kind}）申請のご案内</h1>
<p>罹災証明書（番号 {serial}、被害の程度「{level}」）により、あなたの世帯は{kind}の支給対象と
なる見込みですが、まだ申請をいただいておりません。</p>
<p>見込額：{amount}円{upto}（世帯人数 {size}人）</p>
<p><strong>申請期限：{deadline}</strong>（期限を過ぎると申請できません）</p>
<p>申請は市役所の窓口で受け付けています。罹災証明書と本人確認書類、振込先口座の分かるものを
お持ちください。</p>
<p class="from">{municipality}</p>
</section>"""


def to_html(items: list[Letter], *, municipality_name: str) -> bytes:
    """One letter per page (printable from a browser)."""
    pages = []
    for letter in items:
        n = letter.notice
        pages.append(
            _PAGE.format(
                address=html.escape(letter.address),
                name=html.escape(letter.name),
                household=html.escape(n.household_number),
                kind=SUPPORT_KIND_LABELS[n.kind],
                serial=html.escape(n.certificate_serial),
                level=SUPPORT_LEVEL_LABELS[n.level],
                amount=f"{n.amount:,}",
                upto="（上限）" if n.kind is SupportKind.additional else "",
                size=n.household_size,
                deadline=format_wareki(n.deadline),
                municipality=html.escape(municipality_name),
            )
        )
    document = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        "<title>被災者生活再建支援金 申請のご案内</title><style>"
        "body{font-family:serif}.letter{page-break-after:always;padding:2em}"
        ".from{text-align:right}</style></head><body>" + "\n".join(pages) + "</body></html>"
    )
    return document.encode("utf-8")


def _applied(
    session: Session, municipality_code: str, event_id: int
) -> set[tuple[str, SupportKind]]:
    """(household, kind) with an application in any status (see the module docstring)."""
    rows = session.execute(
        select(LivelihoodApplication.household_number, LivelihoodApplication.kind).where(
            LivelihoodApplication.municipality_code == municipality_code,
            LivelihoodApplication.event_id == event_id,
        )
    ).all()
    return {(number, SupportKind(kind)) for number, kind in rows}
