"""The phase machine: every move not written here by hand is refused, each with its reason."""

from __future__ import annotations

import itertools

import pytest

from sonae.errors import ConflictError
from sonae.event.models import EventPhase as P
from sonae.event.phases import Workflow, check_transition, workflow_open

ALLOWED = {
    (P.normal, P.initial_response),
    (P.initial_response, P.sheltering),
    (P.sheltering, P.damage_certification),
    (P.damage_certification, P.temporary_housing),
    (P.temporary_housing, P.reconstruction),
    (P.reconstruction, P.closed),
    # Closing is allowed from any open phase (a typhoon that passes without damage).
    (P.normal, P.closed),
    (P.initial_response, P.closed),
    (P.sheltering, P.closed),
    (P.damage_certification, P.closed),
    (P.temporary_housing, P.closed),
}
REFUSED = sorted(set(itertools.product(P, P)) - ALLOWED)


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_moves_pass(current: P, target: P) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_every_other_move_is_refused_with_a_reason(current: P, target: P) -> None:
    with pytest.raises(ConflictError) as refused:
        check_transition(current, target)
    message = str(refused.value)
    assert current.value in message and target.value in message
    if current is P.closed:
        assert "closed" in message
    elif target is current:
        assert "already" in message
    elif list(P).index(target) < list(P).index(current):
        assert "backwards" in message
    else:
        assert "one step" in message


def test_there_are_exactly_38_refused_moves() -> None:
    # 7 phases → 49 ordered pairs, minus the 11 allowed ones.
    assert len(REFUSED) == 49 - 11


def test_workflows_overlap_across_phases() -> None:
    # Shelters stay open while certificates are issued...
    assert workflow_open(Workflow.shelter_operations, P.damage_certification)
    assert workflow_open(Workflow.damage_certificates, P.damage_certification)
    # ...certificates are still issued while temporary housing is allocated...
    assert workflow_open(Workflow.damage_certificates, P.temporary_housing)
    assert workflow_open(Workflow.temporary_housing, P.temporary_housing)
    # ...and nothing accepts new work before the event or after it is closed.
    for workflow in Workflow:
        assert not workflow_open(workflow, P.normal)
        assert not workflow_open(workflow, P.closed)
    assert not workflow_open(Workflow.damage_certificates, P.initial_response)
