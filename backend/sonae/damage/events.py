"""Reading the disaster event a damage or certificate request is about.

sonae.event.service.get_event is being written on main; until it lands this small reader keeps
the damage and certificate features independent of it (merge note: swap for get_event).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from sonae.errors import NotFoundError
from sonae.event.models import DisasterEvent
from sonae.event.phases import Workflow, require_workflow_open


def load_event(*, session: Session, municipality_code: str, event_id: int) -> DisasterEvent:
    event = session.get(DisasterEvent, (municipality_code, event_id))
    if event is None:
        raise NotFoundError(f"disaster event {event_id} not found")
    return event


def open_event(
    *, session: Session, municipality_code: str, event_id: int, workflow: Workflow
) -> DisasterEvent:
    """The event, if the workflow accepts new work in its current phase (else ConflictError)."""
    event = load_event(session=session, municipality_code=municipality_code, event_id=event_id)
    require_workflow_open(workflow, event.phase)
    return event
