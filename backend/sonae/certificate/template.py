"""The municipality-editable certificate template: versioned text with named placeholders."""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sonae.certificate.models import CertificateTemplate
from sonae.config import PROJECT_ROOT
from sonae.errors import InvalidInputError

DEFAULT_TEMPLATE_FILE = PROJECT_ROOT / "data" / "reference" / "damage_certificate_template.toml"

PLACEHOLDERS = frozenset(
    {
        "serial",
        "issued_on",
        "municipality_name",
        "event_name",
        "disaster_date",
        "cause",
        "head_name",
        "address",
        "address_annex",
        "household_number",
        "damage_level",
        "survey_round",
        "survey_date",
        "criteria_version",
        "reissue_note",
    }
)


@dataclass(frozen=True)
class TemplateText:
    title: str
    body: str
    issuer: str


def check_text(text: str, *, field: str) -> None:
    """Only known {placeholders}, no format specs or attribute access (str.format would run
    {x.__class__} on whatever object it is handed)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise InvalidInputError(f"{field}: unbalanced braces ({exc})") from exc
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            known = ", ".join(sorted(PLACEHOLDERS))
            raise InvalidInputError(f"{field}: unknown placeholder {{{name}}} (known: {known})")
        if spec or conversion:
            raise InvalidInputError(
                f"{field}: placeholder {{{name}}} takes no format (no ':' or '!'): write {{{name}}}"
            )


def render(text: str, values: dict[str, str]) -> str:
    return text.format_map({name: values.get(name, "") for name in PLACEHOLDERS})


def _default() -> TemplateText:
    data = tomllib.loads(DEFAULT_TEMPLATE_FILE.read_text(encoding="utf-8"))
    return TemplateText(title=data["title"], body=data["body"].strip("\n"), issuer=data["issuer"])


def save_template(
    *, session: Session, municipality_code: str, text: TemplateText, created_by: str
) -> CertificateTemplate:
    """A new version; earlier versions stay (each certificate records the version it printed)."""
    for field, value in (("title", text.title), ("body", text.body), ("issuer", text.issuer)):
        check_text(value, field=field)
    last = session.scalar(
        select(func.max(CertificateTemplate.version)).where(
            CertificateTemplate.municipality_code == municipality_code
        )
    )
    template = CertificateTemplate(
        municipality_code=municipality_code,
        version=(last or 0) + 1,
        title=text.title,
        body=text.body,
        issuer=text.issuer,
        created_by=created_by,
    )
    session.add(template)
    session.flush()
    return template


def _ensure_default(session: Session, municipality_code: str) -> None:
    """Version 1 from the default file. Two counters issuing the city's very first certificates
    at once both get here: the loser's insert waits for the winner and then does nothing."""
    text = _default()
    session.execute(
        insert(CertificateTemplate)
        .values(
            municipality_code=municipality_code,
            version=1,
            title=text.title,
            body=text.body,
            issuer=text.issuer,
            created_by="system",
        )
        .on_conflict_do_nothing(index_elements=["municipality_code", "version"])
    )


def current_template(*, session: Session, municipality_code: str) -> CertificateTemplate:
    found = session.scalars(
        select(CertificateTemplate)
        .where(CertificateTemplate.municipality_code == municipality_code)
        .order_by(CertificateTemplate.version.desc())
        .limit(1)
    ).one_or_none()
    if found is not None:
        return found
    _ensure_default(session, municipality_code)
    return current_template(session=session, municipality_code=municipality_code)


def template_version(
    *, session: Session, municipality_code: str, version: int
) -> CertificateTemplate:
    found = session.scalars(
        select(CertificateTemplate).where(
            CertificateTemplate.municipality_code == municipality_code,
            CertificateTemplate.version == version,
        )
    ).one_or_none()
    if found is None:
        raise InvalidInputError(f"certificate template version {version} does not exist")
    return found
