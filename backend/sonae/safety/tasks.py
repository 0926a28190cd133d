"""Safety-confirmation tasks: one per resident of the affected area, listed people first.

Made in one set-based statement when the event is declared. A task is done when the person's
current status is anything but unknown; tasks are handed to supporters by district.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, and_, case, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sonae.chome.districts import CHOME_SUFFIX
from sonae.chome.models import Chome
from sonae.errors import InvalidInputError
from sonae.event.models import DisasterEvent
from sonae.registry.models import Person, ResidentStatus
from sonae.safety.models import SafetyCurrent, SafetyStatus, SafetyTask
from sonae.security.models import AppUser
from sonae.security.roles import Role
from sonae.support.models import SupportListBuild, SupportListEntry

LISTED, OTHERS = 1, 2
UNKNOWN_DISTRICT = "（町丁目不明）"
TASK_ROLES = frozenset({Role.hq, Role.welfare, Role.supporter})
"""The roles that read and work safety tasks (safety.router's Confirmer)."""


def create_tasks(*, session: Session, event: DisasterEvent) -> int:
    """A task for every resident living in the affected chome; returns how many were made."""
    code = event.municipality_code
    latest_build = (
        select(func.max(SupportListBuild.id))
        .where(SupportListBuild.municipality_code == code)
        .scalar_subquery()
    )
    listed = (
        select(SupportListEntry.person_id)
        .where(
            SupportListEntry.municipality_code == code,
            SupportListEntry.build_id == latest_build,
        )
        .subquery()
    )
    district = func.coalesce(
        func.regexp_replace(Chome.name, CHOME_SUFFIX.pattern, ""), literal(UNKNOWN_DISTRICT)
    )
    priority = case((listed.c.person_id.is_not(None), LISTED), else_=OTHERS)
    rows = (
        select(
            Person.municipality_code,
            literal(event.id),
            Person.id,
            district,
            Person.chome_key_code,
            priority,
        )
        .select_from(Person)
        .join(
            Chome,
            and_(Chome.municipality_code == code, Chome.key_code == Person.chome_key_code),
            isouter=True,
        )
        .join(listed, listed.c.person_id == Person.id, isouter=True)
        .where(
            Person.municipality_code == code,
            Person.status == ResidentStatus.resident,
            Person.chome_key_code.in_(event.affected_chome),
        )
    )
    columns = ["municipality_code", "event_id", "person_id", "district", "chome_key_code"]
    statement = insert(SafetyTask).from_select([*columns, "priority"], rows)
    session.execute(statement.on_conflict_do_nothing())
    # Counted, not taken from rowcount: the driver does not report it for INSERT … SELECT here.
    made = session.scalar(
        select(func.count()).where(
            SafetyTask.municipality_code == code, SafetyTask.event_id == event.id
        )
    )
    return int(made or 0)


def assign_district(
    *, session: Session, event: DisasterEvent, district: str, assigned_to: str
) -> int:
    """Hand every task of the district to one supporter (username); returns how many."""
    require_assignee(session=session, event=event, district=district, username=assigned_to)
    result = cast(
        CursorResult[Any],
        session.execute(
            update(SafetyTask)
            .where(
                SafetyTask.municipality_code == event.municipality_code,
                SafetyTask.event_id == event.id,
                SafetyTask.district == district,
            )
            .values(assigned_to=assigned_to)
        ),
    )
    if not result.rowcount:
        raise InvalidInputError(f"field 'district': no safety tasks in district {district!r}")
    return int(result.rowcount)


def require_assignee(
    *, session: Session, event: DisasterEvent, district: str, username: str
) -> None:
    """The assignee must be able to work the tasks: an active user of this municipality with a
    task role, and a supporter only in their own district (elsewhere they would get 403 on the
    very tasks handed to them). The username is not echoed: it may be a person's name."""
    user = session.scalars(
        select(AppUser).where(
            AppUser.municipality_code == event.municipality_code,
            AppUser.username == username,
            AppUser.is_active.is_(True),
        )
    ).first()
    if user is None:
        raise InvalidInputError("field 'assigned_to': no active user of this municipality")
    roles = set(user.roles) & TASK_ROLES
    if not roles:
        raise InvalidInputError(
            "field 'assigned_to': the user has no role that works safety tasks "
            "(hq, welfare, supporter)"
        )
    if roles == {Role.supporter} and user.district != district:
        raise InvalidInputError(
            f"field 'assigned_to': the supporter works another district than {district!r}"
        )


@dataclass(frozen=True)
class TaskRow:
    person_id: int
    district: str
    priority: int
    assigned_to: str | None
    name: str
    name_kana: str | None
    address: str
    status: SafetyStatus


def list_tasks(
    *, session: Session, event: DisasterEvent, district: str | None, limit: int, offset: int
) -> list[TaskRow]:
    """Tasks with who to confirm and their current status: listed people first, then by id."""
    status = func.coalesce(SafetyCurrent.status, SafetyStatus.unknown)
    query = (
        select(SafetyTask, Person.name, Person.name_kana, Person.address_text, status)
        .join(
            Person,
            and_(
                Person.municipality_code == SafetyTask.municipality_code,
                Person.id == SafetyTask.person_id,
            ),
        )
        .join(
            SafetyCurrent,
            and_(
                SafetyCurrent.municipality_code == SafetyTask.municipality_code,
                SafetyCurrent.event_id == SafetyTask.event_id,
                SafetyCurrent.person_id == SafetyTask.person_id,
            ),
            isouter=True,
        )
        .where(
            SafetyTask.municipality_code == event.municipality_code,
            SafetyTask.event_id == event.id,
        )
        .order_by(SafetyTask.priority, SafetyTask.person_id)
        .limit(limit)
        .offset(offset)
    )
    if district is not None:
        query = query.where(SafetyTask.district == district)
    return [
        TaskRow(
            person_id=task.person_id,
            district=task.district,
            priority=task.priority,
            assigned_to=task.assigned_to,
            name=name,
            name_kana=kana,
            address=address,
            status=SafetyStatus(current),
        )
        for task, name, kana, address, current in session.execute(query)
    ]


def task_district(*, session: Session, event: DisasterEvent, person_id: int) -> str | None:
    return session.scalar(
        select(SafetyTask.district).where(
            SafetyTask.municipality_code == event.municipality_code,
            SafetyTask.event_id == event.id,
            SafetyTask.person_id == person_id,
        )
    )
