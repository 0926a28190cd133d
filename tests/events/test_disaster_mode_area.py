"""An event waives consent (49条の11第3項) inside its affected area only."""

from __future__ import annotations

from datetime import date

from event_town import declare
from sonae.support.build import build_support_list
from sonae.support_extract.extract import ExtractMode, extract_districts
from support.factory import AS_OF, Town


def test_a_disaster_extract_gives_everyone_listed_in_the_area_and_only_consenters_outside(
    town: Town,
) -> None:
    south = town.person("south-care", born=date(1990, 1, 1), at=(300, -100), care_level="care_4")
    build = build_support_list(
        session=town.session, municipality_code=town.code, built_by="t", as_of=AS_OF
    )
    declare(town)  # 北町 only
    extract = extract_districts(
        session=town.session,
        municipality_code=town.code,
        build_id=build.id,
        districts=None,
        mode=ExtractMode.disaster,
        principal=None,
        username="test",
    )
    # Nobody has consented: the listed person of 北町 is given, the one of 南町 is not.
    assert [r.person_id for r in extract.rows] == [town.people["north-care"].id]
    assert south.id not in {r.person_id for r in extract.rows}
    assert extract.left_out_without_consent == 1
