"""The phase state machine, and which workflows are open in which phase.

Phases only move forward, one step at a time; an event may be closed from any open phase (a
typhoon that passes without damage). Workflows overlap: shelters stay open while certificates
are issued, and certificates are still issued while temporary housing is allocated.
"""

from __future__ import annotations

import enum

from sonae.errors import ConflictError
from sonae.event.models import PHASE_LABELS, EventPhase

PHASE_ORDER: tuple[EventPhase, ...] = tuple(EventPhase)


class Workflow(enum.StrEnum):
    safety_confirmation = "safety_confirmation"
    """安否確認"""
    shelter_operations = "shelter_operations"
    """避難所運営 (check-in, check-out, occupancy)"""
    damage_survey = "damage_survey"
    """被害認定調査"""
    damage_certificates = "damage_certificates"
    """罹災証明書"""
    livelihood_support = "livelihood_support"
    """被災者生活再建支援金"""
    temporary_housing = "temporary_housing"
    """応急仮設住宅"""


WORKFLOW_LABELS: dict[Workflow, str] = {
    Workflow.safety_confirmation: "安否確認",
    Workflow.shelter_operations: "避難所運営",
    Workflow.damage_survey: "被害認定調査",
    Workflow.damage_certificates: "罹災証明書",
    Workflow.livelihood_support: "被災者生活再建支援金",
    Workflow.temporary_housing: "応急仮設住宅",
}

_P = EventPhase
WORKFLOW_PHASES: dict[Workflow, frozenset[EventPhase]] = {
    Workflow.safety_confirmation: frozenset(
        {_P.initial_response, _P.sheltering, _P.damage_certification, _P.temporary_housing}
    ),
    Workflow.shelter_operations: frozenset(
        {_P.initial_response, _P.sheltering, _P.damage_certification, _P.temporary_housing}
    ),
    Workflow.damage_survey: frozenset(
        {_P.sheltering, _P.damage_certification, _P.temporary_housing, _P.reconstruction}
    ),
    Workflow.damage_certificates: frozenset(
        {_P.damage_certification, _P.temporary_housing, _P.reconstruction}
    ),
    Workflow.livelihood_support: frozenset(
        {_P.damage_certification, _P.temporary_housing, _P.reconstruction}
    ),
    Workflow.temporary_housing: frozenset({_P.temporary_housing, _P.reconstruction}),
}
"""In which phases each workflow accepts new work. Reading is always allowed."""


def allowed_next(phase: EventPhase) -> frozenset[EventPhase]:
    if phase is EventPhase.closed:
        return frozenset()
    following = PHASE_ORDER[PHASE_ORDER.index(phase) + 1]
    return frozenset({following, EventPhase.closed})


def check_transition(current: EventPhase, target: EventPhase) -> None:
    """Raise ConflictError naming both phases when the move is not allowed."""
    if target in allowed_next(current):
        return
    if current is EventPhase.closed:
        reason = "the event is closed"
    elif target is current:
        reason = "the event is already in that phase"
    elif PHASE_ORDER.index(target) < PHASE_ORDER.index(current):
        reason = "phases do not move backwards"
    else:
        reason = "phases move one step at a time"
    raise ConflictError(
        f"phase {current.value} ({PHASE_LABELS[current]}) → {target.value} "
        f"({PHASE_LABELS[target]}) refused: {reason}"
    )


def workflow_open(workflow: Workflow, phase: EventPhase) -> bool:
    return phase in WORKFLOW_PHASES[workflow]


def require_workflow_open(workflow: Workflow, phase: EventPhase) -> None:
    if not workflow_open(workflow, phase):
        raise ConflictError(
            f"{workflow.value} ({WORKFLOW_LABELS[workflow]}) is not open in phase "
            f"{phase.value} ({PHASE_LABELS[phase]})"
        )
