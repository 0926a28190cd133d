"""Rule-set versions and stored builds: create, find, list. Services never commit."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import BigInteger, ColumnElement, SQLColumnExpression, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from sonae.errors import NotFoundError
from sonae.logging import get_logger
from sonae.support.models import SupportListBuild, SupportListEntry, SupportRuleSet
from sonae.support.rules import SupportRules, default_rules, parse_rules

log = get_logger(__name__)


def create_rule_set(
    *, session: Session, municipality_code: str, rules: SupportRules, created_by: str
) -> SupportRuleSet:
    """Store the rules as the next version; earlier versions stay as they were."""
    # Two concurrent writers would pick the same number: the unique constraint refuses one.
    latest = session.scalar(
        select(func.max(SupportRuleSet.version)).where(
            SupportRuleSet.municipality_code == municipality_code
        )
    )
    rule_set = SupportRuleSet(
        municipality_code=municipality_code,
        version=(latest or 0) + 1,
        name=rules.name,
        rules=rules.model_dump(mode="json"),
        created_by=created_by,
    )
    session.add(rule_set)
    session.flush()
    log.info("support rules stored", municipality=municipality_code, version=rule_set.version)
    return rule_set


def latest_rule_set(*, session: Session, municipality_code: str) -> SupportRuleSet | None:
    return session.scalars(
        select(SupportRuleSet)
        .where(SupportRuleSet.municipality_code == municipality_code)
        .order_by(SupportRuleSet.version.desc())
        .limit(1)
    ).first()


def current_rule_set(
    *, session: Session, municipality_code: str, created_by: str
) -> SupportRuleSet:
    """The latest version; the shipped default becomes version 1 when there is none yet."""
    rule_set = latest_rule_set(session=session, municipality_code=municipality_code)
    if rule_set is None:
        rule_set = create_rule_set(
            session=session,
            municipality_code=municipality_code,
            rules=default_rules(),
            created_by=created_by,
        )
    return rule_set


def get_rule_set(*, session: Session, municipality_code: str, rule_set_id: int) -> SupportRuleSet:
    rule_set = session.get(SupportRuleSet, (municipality_code, rule_set_id))
    if rule_set is None:
        raise NotFoundError(f"support rule set {rule_set_id} does not exist in {municipality_code}")
    return rule_set


def rule_set_by_version(
    *, session: Session, municipality_code: str, version: int
) -> SupportRuleSet:
    rule_set = session.scalars(
        select(SupportRuleSet).where(
            SupportRuleSet.municipality_code == municipality_code,
            SupportRuleSet.version == version,
        )
    ).first()
    if rule_set is None:
        raise NotFoundError(
            f"support rules version {version} does not exist in {municipality_code}"
        )
    return rule_set


def list_rule_sets(*, session: Session, municipality_code: str) -> list[SupportRuleSet]:
    return list(
        session.scalars(
            select(SupportRuleSet)
            .where(SupportRuleSet.municipality_code == municipality_code)
            .order_by(SupportRuleSet.version)
        )
    )


def rules_of(rule_set: SupportRuleSet) -> SupportRules:
    return parse_rules(rule_set.rules, source=f"rule set {rule_set.id}")


def get_build(*, session: Session, municipality_code: str, build_id: int) -> SupportListBuild:
    build = session.get(SupportListBuild, (municipality_code, build_id))
    if build is None:
        raise NotFoundError(f"support list build {build_id} does not exist in {municipality_code}")
    return build


def latest_build(*, session: Session, municipality_code: str) -> SupportListBuild | None:
    return session.scalars(
        select(SupportListBuild)
        .where(SupportListBuild.municipality_code == municipality_code)
        .order_by(SupportListBuild.id.desc())
        .limit(1)
    ).first()


def list_builds(*, session: Session, municipality_code: str) -> list[SupportListBuild]:
    return list(
        session.scalars(
            select(SupportListBuild)
            .where(SupportListBuild.municipality_code == municipality_code)
            .order_by(SupportListBuild.id.desc())
        )
    )


def list_entries(
    *,
    session: Session,
    municipality_code: str,
    build_id: int,
    districts: Sequence[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[int, list[SupportListEntry]]:
    """Entries of a build, highest priority first, with the total before paging."""
    get_build(session=session, municipality_code=municipality_code, build_id=build_id)
    where = [
        SupportListEntry.municipality_code == municipality_code,
        SupportListEntry.build_id == build_id,
    ]
    if districts is not None:
        where.append(SupportListEntry.district.in_(list(districts)))
    total = session.scalar(select(func.count()).select_from(SupportListEntry).where(*where)) or 0
    query = (
        select(SupportListEntry)
        .where(*where)
        .order_by(SupportListEntry.priority.desc(), SupportListEntry.person_id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return total, list(session.scalars(query))


def among(column: SQLColumnExpression[int], ids: Collection[int]) -> ColumnElement[bool]:
    """column = ANY(array): one bound array however many ids (an IN list binds one each, and
    PostgreSQL takes at most 65,535 parameters per statement)."""
    return column == any_(bindparam(None, sorted(set(ids)), type_=ARRAY(BigInteger)))
