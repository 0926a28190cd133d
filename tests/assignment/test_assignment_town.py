"""A hand-made town whose optimal assignment is worked out by hand.

Road (north = 1000 m, one straight street): n1 at east 0, n2 at 1000, n3 at 2500, n4 at 4000;
and n9 at (0, 4900) with no edge at all (a road piece cut off from the rest).

Shelters: A at n1, capacity 2, flood-safe; U at n2, capacity 10, not flood-safe;
B at n3, capacity 10, flood-safe; W at n4, a welfare shelter (福祉避難所), capacity 5, flood-safe.
A flood zone covers 900–1100 m east and north (around n2 only).

People:
- p1, p2, p3 at n1, no hazard, no care: A takes two; the third walks to U (1000 m).
- q at n2 in the flood zone, 85 and alone (on the list, no care need): its nearest shelter U
  (0 m) is not flood-safe; A (1000 m) would push a third p to U (+1000), so B (1500 m) is
  cheaper overall: 2,500 m against 3,000 m.
- c at n3, needs care (要介護3, on the list), born 1940: B is 0 m but an ordinary shelter costs
  the 2,000 m welfare preference, so W (1500 m) wins; c walks at 0.5 m/s: 50 minutes.
- z at n9: no shelter is connected; nobody: address not geocoded.
Total walk 0 + 0 + 1000 + 1500 + 1500 = 4000 m; max 1500 m. Plain nearest (no capacity):
p's and q to A (0, 0, 0, 1000), c to B (0): 1000 m, and A would get 4 people for 2 places.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from assignment.roads import add_roads
from sonae.assignment import service
from sonae.assignment.models import AssignedPerson, AssignmentReason, AssignmentScope
from sonae.audit.models import AuditEntry
from sonae.evacuation_plan import service as plans
from sonae.evacuation_plan.schemas import PlanIn
from sonae.hazard.models import HazardType
from sonae.security.roles import Role
from sonae.shelter.models import Shelter
from sonae.support import service as support_service
from sonae.support.build import build_support_list
from sonae.support.models import ConsentScope, ConsentStatus, SupportListEntry
from sonae.support_extract.consent import record_consent
from support.factory import AS_OF, Town, square

YOUNG = date(1990, 6, 1)
OLD = date(1940, 6, 1)
NODES = {1: (0.0, 1000.0), 2: (1000.0, 1000.0), 3: (2500.0, 1000.0), 4: (4000.0, 1000.0),
         9: (0.0, 4900.0)}  # fmt: skip


def shelter(town: Town, name: str, node: int, capacity: int, **kwargs: object) -> Shelter:
    made = town.shelter(name, NODES[node], **kwargs)  # type: ignore[arg-type]
    made.capacity = capacity
    town.session.flush()
    return made


@pytest.fixture
def placed(town: Town) -> dict[str, int]:
    """The town above with a support list built; returns shelter ids by name."""
    add_roads(town.session, NODES, [(1, 2), (2, 3), (3, 4)])
    ids = {
        "A": shelter(town, "A", 1, 2, flags=("flood",)).id,
        "U": shelter(town, "U", 2, 10, flags=()).id,
        "B": shelter(town, "B", 3, 10, flags=("flood",)).id,
        "W": shelter(town, "W", 4, 5, flags=("flood",), is_welfare=True).id,
    }
    town.hazard(HazardType.flood, "想定最大規模", [(2, square(900, 900, 1100, 1100))])
    for label in ("p1", "p2", "p3"):
        town.person(label, born=YOUNG, at=NODES[1])
    town.person("q", born=OLD, at=NODES[2])  # lives alone at 85: on the list
    town.person("c", born=OLD, at=NODES[3], care_level="care_3")
    town.person("z", born=YOUNG, at=NODES[9])
    town.person("nowhere", born=YOUNG, at=None)
    build_support_list(session=town.session, municipality_code=town.code, built_by="t", as_of=AS_OF)
    return ids


def outcome(session: Session, run_id: int, town: Town) -> dict[str, AssignedPerson]:
    rows = session.scalars(
        select(AssignedPerson).where(
            AssignedPerson.municipality_code == town.code, AssignedPerson.assignment_id == run_id
        )
    )
    label = {p.id: name for name, p in town.people.items()}
    return {label[r.person_id]: r for r in rows}


def test_the_optimal_flow_worked_out_by_hand(town: Town, placed: dict[str, int]) -> None:
    run = service.run_assignment(
        session=town.session, municipality_code=town.code, created_by="t", as_of=AS_OF
    )
    got = outcome(town.session, run.id, town)
    p_shelters = sorted(got[p].shelter_id or 0 for p in ("p1", "p2", "p3"))
    assert p_shelters == sorted([placed["A"], placed["A"], placed["U"]])
    # households in order: the first two people (by household number) stay at the nearest
    assert [got[p].reason for p in ("p1", "p2", "p3")] == [
        AssignmentReason.nearest,
        AssignmentReason.nearest,
        AssignmentReason.full,
    ]
    assert got["p3"].walk_m == pytest.approx(1000, abs=1)
    assert (got["q"].shelter_id, got["q"].reason) == (placed["B"], AssignmentReason.unsuitable)
    assert got["q"].nearest_shelter_id == placed["U"]
    assert got["q"].walk_m == pytest.approx(1500, abs=1)
    assert (got["c"].shelter_id, got["c"].reason) == (placed["W"], AssignmentReason.welfare)
    assert got["c"].needs_care and got["c"].slow
    assert got["c"].walk_minutes == pytest.approx(50, abs=0.1)
    assert (got["z"].shelter_id, got["z"].reason) == (None, AssignmentReason.unreachable)
    assert (got["nowhere"].shelter_id, got["nowhere"].reason) == (
        None,
        AssignmentReason.no_location,
    )
    f = run.figures
    assert (f["people"], f["assigned"], f["unassigned"]) == (7, 5, 2)
    assert f["total_walk_m"] == pytest.approx(4000, abs=2)
    assert f["max_walk_m"] == pytest.approx(1500, abs=1)
    assert f["nearest_total_walk_m"] == pytest.approx(1000, abs=1)
    assert f["nearest_over_capacity"] == 2
    loads = {row["shelter_id"]: row["assigned"] for row in run.shelters}
    assert loads == {placed["A"]: 2, placed["U"]: 1, placed["B"]: 1, placed["W"]: 1}


def test_no_room_and_no_suitable_shelter_are_told_apart(town: Town, placed: dict[str, int]) -> None:
    """Only A open, with one place; a tsunami zone over n1, and no tsunami-safe shelter.

    p1–p3 (tsunami zone): no suitable shelter anywhere. q (flood) and c (care) both may use A:
    c is on the list and needs care, so the one place is theirs (leaving c out costs three
    times the base, q once); B, c's nearest, has no room (capacity 0): reason full.
    """
    for name, capacity in (("A", 1), ("U", 0), ("B", 0), ("W", 0)):
        town.session.get(Shelter, (town.code, placed[name])).capacity = capacity  # type: ignore[union-attr]
    town.hazard(HazardType.tsunami, "L2", [(1, square(-100, 900, 100, 1100))])
    run = service.run_assignment(
        session=town.session, municipality_code=town.code, created_by="t", as_of=AS_OF
    )
    got = outcome(town.session, run.id, town)
    assert {got[p].reason for p in ("p1", "p2", "p3")} == {AssignmentReason.no_suitable}
    assert (got["q"].shelter_id, got["q"].reason) == (None, AssignmentReason.no_capacity)
    assert (got["c"].shelter_id, got["c"].reason) == (placed["A"], AssignmentReason.full)
    assert got["c"].walk_m == pytest.approx(2500, abs=1)
    assert run.assigned == 1


def entry_of(town: Town, build_id: int, label: str) -> SupportListEntry:
    return town.session.scalars(
        select(SupportListEntry).where(
            SupportListEntry.municipality_code == town.code,
            SupportListEntry.build_id == build_id,
            SupportListEntry.person_id == town.people[label].id,
        )
    ).one()


def test_support_list_and_plans_take_the_assigned_shelter(
    town: Town, placed: dict[str, int]
) -> None:
    """q: the list alone recommends A (the nearest flood-safe shelter, 1000 m as the crow
    flies); after the assignment, B with the 1500 m walk."""
    before = support_service.latest_build(session=town.session, municipality_code=town.code)
    assert before is not None
    assert entry_of(town, before.id, "q").shelter_id == placed["A"]
    service.run_assignment(
        session=town.session, municipality_code=town.code, created_by="t", as_of=AS_OF
    )
    build = build_support_list(
        session=town.session, municipality_code=town.code, built_by="t", as_of=AS_OF
    )
    entry = entry_of(town, build.id, "q")
    assert (entry.shelter_id, entry.shelter_distance_m) == (placed["B"], pytest.approx(1500, 1))
    assert entry_of(town, build.id, "c").shelter_id == placed["W"]
    assert (
        service.assigned_shelter(
            session=town.session, municipality_code=town.code, person_id=town.people["q"].id
        )
        == placed["B"]
    )


def test_api_roles_and_audit(
    client: TestClient,
    auth_headers: Callable[..., dict[str, str]],
    town: Town,
    placed: dict[str, int],
    session: Session,
) -> None:
    hq = auth_headers(Role.hq, municipality_code=town.code)
    welfare = auth_headers(Role.welfare, municipality_code=town.code)
    supporter = auth_headers(Role.supporter, municipality_code=town.code, district="北町")
    body = {"scope": AssignmentScope.residents, "as_of": str(AS_OF)}
    assert client.post("/api/assignments", json=body, headers=welfare).status_code == 403
    created = client.post("/api/assignments", json=body, headers=hq)
    assert created.status_code == 201, created.text
    run_id = created.json()["id"]
    assert created.json()["figures"]["assigned"] == 5
    assert client.get(f"/api/assignments/{run_id}/people", headers=supporter).status_code == 403
    page = client.get(
        f"/api/assignments/{run_id}/people", params={"reason": "welfare"}, headers=welfare
    )
    assert page.status_code == 200
    items = page.json()["items"]
    assert [(i["person_id"], i["reason_label"]) for i in items] == [
        (town.people["c"].id, "要配慮者のため福祉避難所へ")
    ]
    audited = session.scalars(
        select(AuditEntry).where(AuditEntry.resource == f"evacuation_assignment/{run_id}/people")
    ).all()
    assert [a.person_ids for a in audited] == [[town.people["c"].id]]


def test_a_plan_without_a_destination_takes_the_assigned_shelter(
    town: Town, placed: dict[str, int]
) -> None:
    """c (on the list, consenting) gets a plan with no destination chosen: W, where the
    assignment sends them; a destination chosen by hand is kept."""
    record_consent(
        session=town.session,
        municipality_code=town.code,
        person_id=town.people["c"].id,
        scope=ConsentScope.evacuation_plan,
        status=ConsentStatus.agreed,
        decided_on=AS_OF,
        recorded_by="test",
        principal=None,
    )
    service.run_assignment(
        session=town.session, municipality_code=town.code, created_by="t", as_of=AS_OF
    )

    def save(destination: int | None) -> int | None:
        content = PlanIn.model_validate(
            {"supporters": [], "emergency_contacts": [], "destination_shelter_id": destination}
        )
        saved = plans.save_plan(
            session=town.session,
            municipality_code=town.code,
            person_id=town.people["c"].id,
            plan=content,
            by="welfare-1",
        )
        return saved.destination_shelter_id

    assert save(None) == placed["W"]
    assert save(placed["B"]) == placed["B"]
