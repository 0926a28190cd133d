"""Declare an event, move it through its phases, and switch disaster mode with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from geoalchemy2.shape import from_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.chome.models import Chome
from sonae.database.core import STORAGE_SRID
from sonae.errors import InvalidInputError, NotFoundError
from sonae.event.clock import require_lawful_start, require_not_ahead, server_clock
from sonae.event.models import DisasterEvent, EventHazard, EventPhase, PhaseTransition
from sonae.event.phases import Workflow, check_transition, require_workflow_open
from sonae.gis.validate import as_multi
from sonae.hazard.models import HazardZone
from sonae.logging import get_logger
from sonae.municipality import service as municipality_service
from sonae.safety.tasks import create_tasks
from sonae.support_extract.disaster_mode import set_disaster_mode
from sonae.text import require_text

log = get_logger(__name__)

POINT_CHOME_RADIUS_M = 300.0
"""Where a city has chome points only (Nishinomiya), each listed chome counts as this disc."""


@dataclass(frozen=True)
class Declaration:
    name: str
    hazard: EventHazard
    started_at: datetime
    area: BaseGeometry | None = None
    """A polygon in EPSG:6668; the chome it touches become the affected chome."""
    chome_keys: tuple[str, ...] = ()
    scenario: str | None = None


def declare_event(
    *, session: Session, municipality_code: str, declaration: Declaration, declared_by: str
) -> DisasterEvent:
    """Create the event in initial_response and switch disaster mode on for its area.

    started_at may lie in the past (an event is often declared hours after the earthquake) but
    not ahead of the server's clock beyond CLOCK_SKEW: every desk's time is checked against it,
    so a wrong year would make every report "before the event" (event.clock).
    """
    municipality_service.get(session=session, code=municipality_code)
    name = require_text(field="name", value=declaration.name)
    require_not_ahead(field="started_at", at=declaration.started_at, now=server_clock(session))
    require_lawful_start(field="started_at", at=declaration.started_at)
    if declaration.scenario is not None:
        _require_scenario(session, municipality_code, declaration.scenario)
    keys, area = _affected(session, municipality_code, declaration)
    event = DisasterEvent(
        municipality_code=municipality_code,
        name=name,
        hazard=declaration.hazard,
        started_at=declaration.started_at,
        phase=EventPhase.initial_response,
        scenario=declaration.scenario,
        affected_chome=keys,
        affected_area=area,
        declared_by=declared_by,
    )
    session.add(event)
    session.flush()
    session.add(
        PhaseTransition(
            municipality_code=municipality_code,
            event_id=event.id,
            from_phase=EventPhase.normal,
            to_phase=EventPhase.initial_response,
            reason="発災・災害対策本部設置 (event declared)",
            moved_by=declared_by,
        )
    )
    set_disaster_mode(
        session=session,
        municipality_code=municipality_code,
        active=True,
        switched_by=declared_by,
        reason=f"event {event.id} declared",
        event_id=event.id,
        affected_chome=keys,
    )
    tasks = create_tasks(session=session, event=event)
    log.warning("event declared", event_id=event.id, municipality=municipality_code, tasks=tasks)
    return event


def get_event(*, session: Session, event_id: int) -> DisasterEvent:
    event = session.scalars(select(DisasterEvent).where(DisasterEvent.id == event_id)).first()
    if event is None:
        raise NotFoundError(f"event {event_id} not found")
    return event


def get_municipal_event(
    *, session: Session, event_id: int, municipality_code: str
) -> DisasterEvent:
    """The event, if it belongs to this municipality; another city's event is simply not found."""
    event = session.get(DisasterEvent, (municipality_code, event_id))
    if event is None:
        raise NotFoundError(f"event {event_id} not found")
    return event


def get_open_event(
    *, session: Session, municipality_code: str, event_id: int, workflow: Workflow
) -> DisasterEvent:
    """The event, if the workflow accepts new work in its current phase (else ConflictError)."""
    event = get_municipal_event(
        session=session, event_id=event_id, municipality_code=municipality_code
    )
    require_workflow_open(workflow, event.phase)
    return event


def get_event_for_update(*, session: Session, event_id: int) -> DisasterEvent:
    """The event row locked, so concurrent phase moves are judged one after the other."""
    event = session.scalars(
        select(DisasterEvent).where(DisasterEvent.id == event_id).with_for_update()
    ).first()
    if event is None:
        raise NotFoundError(f"event {event_id} not found")
    return event


def list_events(*, session: Session, municipality_code: str) -> list[DisasterEvent]:
    return list(
        session.scalars(
            select(DisasterEvent)
            .where(DisasterEvent.municipality_code == municipality_code)
            .order_by(DisasterEvent.started_at.desc(), DisasterEvent.id.desc())
        )
    )


def move_phase(
    *, session: Session, event_id: int, to_phase: EventPhase, reason: str, moved_by: str
) -> PhaseTransition:
    """Guarded move (event.phases); closing needs the event's work finished (event.closing)
    and switches disaster mode off."""
    if not reason.strip():
        raise InvalidInputError("field 'reason': a phase change needs a reason")
    event = get_event_for_update(session=session, event_id=event_id)
    check_transition(event.phase, to_phase)
    if to_phase is EventPhase.closed:
        # Imported here: closing reads the workflows (certificates, livelihood, housing),
        # which themselves import this module.
        from sonae.event.closing import require_nothing_outstanding

        require_nothing_outstanding(session=session, event=event, today=japan_time.today())
    transition = PhaseTransition(
        municipality_code=event.municipality_code,
        event_id=event.id,
        from_phase=event.phase,
        to_phase=to_phase,
        reason=reason.strip(),
        moved_by=moved_by,
    )
    event.phase = to_phase
    session.add(transition)
    if to_phase is EventPhase.closed:
        event.closed_at = session.scalar(select(func.clock_timestamp()))
        set_disaster_mode(
            session=session,
            municipality_code=event.municipality_code,
            active=False,
            switched_by=moved_by,
            reason=f"event {event.id} closed",
            event_id=event.id,
        )
    session.flush()
    return transition


def history(*, session: Session, event_id: int) -> list[PhaseTransition]:
    get_event(session=session, event_id=event_id)
    return list(
        session.scalars(
            select(PhaseTransition)
            .where(PhaseTransition.event_id == event_id)
            .order_by(PhaseTransition.id)
        )
    )


def _require_scenario(session: Session, municipality_code: str, scenario: str) -> None:
    found = session.scalar(
        select(HazardZone.id)
        .where(HazardZone.municipality_code == municipality_code, HazardZone.scenario == scenario)
        .limit(1)
    )
    if found is None:
        raise InvalidInputError(f"field 'scenario': no hazard zones with scenario {scenario!r}")


def _affected(
    session: Session, municipality_code: str, declaration: Declaration
) -> tuple[list[str], object]:
    """The affected chome keys and the area as a multipolygon, from either form of the input."""
    if (declaration.area is None) == (not declaration.chome_keys):
        raise InvalidInputError("give the affected area either as a polygon or as chome keys")
    if declaration.area is not None:
        return _from_polygon(session, municipality_code, declaration.area)
    return _from_chome(session, municipality_code, declaration.chome_keys)


def _from_polygon(
    session: Session, municipality_code: str, area: BaseGeometry
) -> tuple[list[str], object]:
    if area.geom_type not in ("Polygon", "MultiPolygon") or not area.is_valid or area.is_empty:
        raise InvalidInputError("field 'area': must be a valid, non-empty polygon in EPSG:6668")
    shape = from_shape(as_multi(area), srid=STORAGE_SRID)
    where = func.coalesce(Chome.boundary, Chome.point)
    keys = session.scalars(
        select(Chome.key_code)
        .where(Chome.municipality_code == municipality_code, func.ST_Intersects(where, shape))
        .order_by(Chome.key_code)
    ).all()
    if not keys:
        raise InvalidInputError("field 'area': the polygon touches no chome of this municipality")
    return list(keys), shape


def _from_chome(
    session: Session, municipality_code: str, chome_keys: tuple[str, ...]
) -> tuple[list[str], object]:
    wanted = sorted(set(chome_keys))
    rows = session.execute(
        select(Chome.key_code, Chome.boundary, Chome.point).where(
            Chome.municipality_code == municipality_code, Chome.key_code.in_(wanted)
        )
    ).all()
    missing = sorted(set(wanted) - {row.key_code for row in rows})
    if missing:
        raise InvalidInputError(f"field 'chome': unknown chome key_code {', '.join(missing[:5])}")
    disc = func.ST_Buffer(func.geography(Chome.point), POINT_CHOME_RADIUS_M)
    part = func.coalesce(Chome.boundary, func.geometry(disc))
    union = select(func.ST_Multi(func.ST_CollectionExtract(func.ST_Union(part), 3))).where(
        Chome.municipality_code == municipality_code, Chome.key_code.in_(wanted)
    )
    return wanted, session.scalar(union)


def all_chome_keys(*, session: Session, municipality_code: str) -> list[str]:
    """Every chome of the municipality: for an event that strikes the whole city."""
    return list(
        session.scalars(
            select(Chome.key_code)
            .where(Chome.municipality_code == municipality_code)
            .order_by(Chome.key_code)
        )
    )
