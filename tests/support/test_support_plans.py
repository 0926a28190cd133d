"""Individual evacuation plans: only with consent, only for listed people; coverage; print."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from sonae import japan_time
from sonae.errors import InvalidInputError
from sonae.evacuation_plan import service as plans
from sonae.evacuation_plan.printing import plan_html
from sonae.evacuation_plan.schemas import LineStringGeoJSON, PlanIn
from sonae.support.build import build_support_list
from sonae.support.models import ConsentScope, ConsentStatus, SupportListBuild
from sonae.support_extract.consent import record_consent
from support.factory import AS_OF, Town, lonlat

YOUNG = date(1990, 6, 1)


def consent(town: Town, label: str, status: ConsentStatus) -> None:
    record_consent(
        session=town.session,
        municipality_code=town.code,
        person_id=town.people[label].id,
        scope=ConsentScope.evacuation_plan,
        status=status,
        decided_on=AS_OF,
        recorded_by="test",
        principal=None,
    )


def plan(town: Town, shelter_id: int | None = None) -> PlanIn:
    return PlanIn.model_validate(
        {
            "supporters": [
                {
                    "name": "近所　一郎",
                    "phone": "090-1111-2222",
                    "address": "北町1-2",
                    "relation": "近隣住民",
                }
            ],
            "destination_shelter_id": shelter_id,
            "route": {"type": "LineString", "coordinates": [lonlat(100, 100), lonlat(100, 400)]},
            "care_notes": "車椅子。<段差>に注意",
            "emergency_contacts": [{"name": "長女", "phone": "03-0000-0000", "relation": "子"}],
        }
    )


@pytest.fixture
def listed(town: Town) -> SupportListBuild:
    for label in ("yes", "no", "unasked"):
        town.person(label, born=YOUNG, care_level="care_4", at=(100, 100), phone="047-1")
    town.person("south_yes", born=YOUNG, care_level="care_3", at=(100, -100))
    town.person("unlisted", born=YOUNG)
    consent(town, "yes", ConsentStatus.agreed)
    consent(town, "no", ConsentStatus.refused)
    consent(town, "south_yes", ConsentStatus.agreed)
    consent(town, "unlisted", ConsentStatus.agreed)
    town.shelter("公民館", (100, 400), flags=("flood", "earthquake"))
    return build_support_list(
        session=town.session, municipality_code=town.code, built_by="test", as_of=AS_OF
    )


def save(town: Town, label: str, content: PlanIn) -> object:
    return plans.save_plan(
        session=town.session,
        municipality_code=town.code,
        person_id=town.people[label].id,
        plan=content,
        by="welfare-1",
    )


@pytest.mark.parametrize("label", ["no", "unasked"])
def test_no_plan_without_consent(town: Town, listed: object, label: str) -> None:
    with pytest.raises(plans.ConsentRequiredError, match="has not agreed"):
        save(town, label, plan(town))


def test_no_plan_for_someone_not_on_the_list(town: Town, listed: object) -> None:
    with pytest.raises(plans.NotListedError):
        save(town, "unlisted", plan(town))


def test_a_plan_is_made_changed_and_read_back_with_its_route(town: Town, listed: object) -> None:
    shelter = town.session.query(plans.Shelter).filter_by(municipality_code=town.code).one()
    stored = save(town, "yes", plan(town, shelter.id))
    changed = plan(town, shelter.id).model_copy(update={"care_notes": "changed"})
    again = save(town, "yes", changed)
    assert again is stored
    context = plans.get_plan(
        session=town.session, municipality_code=town.code, person_id=town.people["yes"].id
    )
    shown = plans.plan_out(session=town.session, context=context)
    assert shown.care_notes == "changed" and shown.updated_by == "welfare-1"
    assert shown.destination_shelter_name == "公民館"
    assert shown.route is not None and shown.route["type"] == "LineString"
    assert shown.route["coordinates"][0] == pytest.approx(list(lonlat(100, 100)), abs=1e-7)
    assert shown.supporters[0].relation == "近隣住民"


def test_withdrawn_consent_seals_the_plan(town: Town, listed: object) -> None:
    save(town, "yes", plan(town))
    consent(town, "yes", ConsentStatus.refused)
    with pytest.raises(plans.ConsentRequiredError):
        plans.get_plan(
            session=town.session, municipality_code=town.code, person_id=town.people["yes"].id
        )


def test_coverage_per_district(town: Town, listed: SupportListBuild) -> None:
    save(town, "yes", plan(town))
    result = plans.coverage(session=town.session, municipality_code=town.code)
    rows = {row.district: (row.listed, row.consenting, row.with_plan) for row in result.districts}
    assert rows == {"北町": (3, 1, 1), "南町": (1, 1, 0)}
    assert (result.total.listed, result.total.consenting, result.total.with_plan) == (4, 2, 1)
    assert result.build_id == listed.id


def test_the_printed_plan(town: Town, listed: object) -> None:
    shelter = town.session.query(plans.Shelter).filter_by(municipality_code=town.code).one()
    save(town, "yes", plan(town, shelter.id))
    context = plans.get_plan(
        session=town.session, municipality_code=town.code, person_id=town.people["yes"].id
    )
    html = plan_html(session=town.session, context=context)
    assert "個別避難計画" in html and "試験　yes" in html and "近所　一郎" in html
    assert "&lt;段差&gt;" in html  # escaped
    assert "公民館" in html and "<polyline" in html and "約300 m" in html
    assert "size: A4 portrait" in html and "http" not in html


def test_the_printed_plan_gives_japan_dates_on_a_utc_server(
    town: Town, listed: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    evening_utc = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # 05:00 on the 24th in Japan
    monkeypatch.setattr(japan_time, "now", lambda: evening_utc)
    save(town, "yes", plan(town))
    context = plans.get_plan(
        session=town.session, municipality_code=town.code, person_id=town.people["yes"].id
    )
    assert context.plan is not None
    context.plan.created_at = context.plan.updated_at = evening_utc
    html = plan_html(session=town.session, context=context)
    assert "作成：令和8年11月24日（welfare-1）" in html
    assert "更新：令和8年11月24日" in html
    assert "出力：令和8年11月24日 05:00" in html


@pytest.mark.parametrize(
    ("part", "blank"),
    [("supporters", {"name": "\u3000"}), ("emergency_contacts", {"name": " ", "phone": "03"}),
     ("emergency_contacts", {"name": "長女", "phone": "  "})],
)  # fmt: skip
def test_a_supporter_or_contact_needs_a_name_and_a_contact_a_phone(
    town: Town, part: str, blank: dict[str, str]
) -> None:
    given = plan(town).model_dump(mode="json")
    given[part] = [blank]
    with pytest.raises(ValidationError):
        PlanIn.model_validate(given)


def test_a_welfare_shelter_is_only_for_someone_needing_care(town: Town) -> None:
    """福祉避難所 as the destination: refused for a 75歳以上のみの世帯 listing, kept for care."""
    town.person("old_a", born=date(1940, 1, 1), household="H9", at=(100, 100))
    town.person("old_b", born=date(1941, 1, 1), household="H9", at=(100, 100))
    town.person("care", born=YOUNG, care_level="care_4", at=(100, 100))
    for label in ("old_a", "care"):
        consent(town, label, ConsentStatus.agreed)
    welfare = town.shelter("福祉センター", (100, 400), is_welfare=True)
    build_support_list(session=town.session, municipality_code=town.code, built_by="t", as_of=AS_OF)
    with pytest.raises(InvalidInputError, match=r"field 'destination_shelter_id'.*welfare"):
        save(town, "old_a", plan(town, welfare.id))
    stored = save(town, "care", plan(town, welfare.id))
    assert stored.destination_shelter_id == welfare.id  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "coordinates",
    [
        [(0.0, 0.0), (1.0, 1.0)],  # the reviewer's route: far off the coast of Africa
        [lonlat(100, 100), lonlat(100, 9000)],  # ends 4 km beyond the 5 km outline
    ],
)
def test_a_route_must_stay_near_the_municipality(
    town: Town, listed: object, coordinates: list[tuple[float, float]]
) -> None:
    far = plan(town).model_copy(
        update={"route": LineStringGeoJSON(type="LineString", coordinates=coordinates)}
    )
    with pytest.raises(InvalidInputError, match="field 'route'"):
        save(town, "yes", far)
    # Just over the border (2 km out) is within the margin: a shelter across it.
    near = [lonlat(100, 100), lonlat(100, 7000)]
    across = plan(town).model_copy(
        update={"route": LineStringGeoJSON(type="LineString", coordinates=near)}
    )
    assert save(town, "yes", across) is not None


def test_errors_name_the_person_as_the_caller_did(town: Town, listed: object) -> None:
    with pytest.raises(plans.ConsentRequiredError, match=r"^宛名番号 0010079292 has not agreed"):
        plans.save_plan(session=town.session, municipality_code=town.code,
                        person_id=town.people["no"].id, plan=plan(town), by="w",
                        subject="宛名番号 0010079292")  # fmt: skip
