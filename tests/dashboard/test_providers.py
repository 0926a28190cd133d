"""Provider slots: 未集計 until a feature registers, then its figures and layers show.

The dwelling provider here is a hand-written select of four dwellings (no table needed), the
shape the damage feature's provider must have.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import mapbox_vector_tile
from fastapi.testclient import TestClient
from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import Session

from dashboard_rows import BIG_SPOT, SMALL_SPOT, URAYASU, ListedTown, tile_of
from sonae.dashboard import providers
from sonae.dashboard.providers import FigureLine, FigureSlot, SafetyCounts, ShelterStatus
from sonae.security.roles import Role

Headers = Callable[..., dict[str, str]]
NEAR_SPOT = (BIG_SPOT[0] + 0.0005, BIG_SPOT[1])


def _figures(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = client.get(f"/api/dashboard/{URAYASU}/figures", headers=headers)
    assert response.status_code == 200, response.text
    return {slot["slot"]: slot for slot in response.json()["slots"]}


def test_every_slot_reads_not_available_until_a_provider_registers(
    client: TestClient, auth_headers: Headers
) -> None:
    headers = auth_headers(Role.hq)
    slots = _figures(client, headers)
    assert {s: (v["available"], v["status"]) for s, v in slots.items()} == {
        "safety": (False, "未集計"),
        "shelters": (False, "未集計"),
        "certificates": (False, "未集計"),
        "housing": (False, "未集計"),
    }

    def certificates(**_: Any) -> list[FigureLine]:
        return [FigureLine("交付済", 120, unit="件"), FigureLine("未処理", 35, unit="件")]

    providers.register_figure(FigureSlot.certificates, certificates)
    slots = _figures(client, headers)
    assert slots["certificates"]["available"] is True
    assert [(line["label"], line["value"]) for line in slots["certificates"]["lines"]] == [
        ("交付済", 120),
        ("未処理", 35),
    ]
    assert slots["housing"]["status"] == "未集計"


def test_list_size_is_the_latest_build(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown
) -> None:
    response = client.get(f"/api/dashboard/{URAYASU}/figures", headers=auth_headers(Role.welfare))
    assert response.json()["support_list_size"] == 7
    assert response.json()["event"] is None


def _dwelling(
    number: int, household: str, chome: str, level: str, certificate: str, spot: tuple[float, float]
) -> Select[Any]:
    return select(
        literal(number).label("dwelling_id"),
        literal(household).label("household_number"),
        literal(chome).label("chome_key_code"),
        literal(level).label("damage_level"),
        literal(certificate).label("certificate_status"),
        literal("未申請").label("support_status"),
        func.ST_SetSRID(func.ST_MakePoint(*spot), 6668).label("geometry"),
    )


def _register_dwellings(town: ListedTown) -> None:
    big, small = town.big_chome.key_code, town.small_chome.key_code

    def dwellings(*, municipality_code: str, event_id: int | None) -> Select[Any]:
        rows = union_all(
            _dwelling(1, town.household, big, "total_collapse", "交付済", BIG_SPOT),
            _dwelling(2, "H2", big, "half", "未交付", NEAR_SPOT),
            _dwelling(3, "H3", big, "half", "交付済", NEAR_SPOT),
            _dwelling(4, "H4", small, "partial", "未交付", SMALL_SPOT),
        ).subquery()
        return select(*rows.c)

    providers.register_dwellings(dwellings)


def _decode(client: TestClient, headers: dict[str, str], z: int, query: str = "") -> list[Any]:
    x, y = tile_of(*BIG_SPOT, z)
    url = f"/api/tiles/{URAYASU}/dwellings/{z}/{x}/{y}.pbf{query}"
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    layers = mapbox_vector_tile.decode(response.content)
    return list(layers["dwellings"]["features"]) if layers else []


def test_dwellings_come_as_tiles_filtered_by_level_status_and_chome(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown
) -> None:
    headers = auth_headers(Role.hq)
    # At zoom 15 all four dwellings lie in one tile (checked, so the test means what it says).
    assert len({tile_of(*spot, 15) for spot in (BIG_SPOT, NEAR_SPOT, SMALL_SPOT)}) == 1
    assert _decode(client, headers, 15) == []  # no provider: an empty tile, not an error
    _register_dwellings(listed_town)
    everything = _decode(client, headers, 15)
    assert {f["id"]: f["properties"]["damage_level"] for f in everything} == {
        1: "total_collapse",
        2: "half",
        3: "half",
        4: "partial",
    }
    assert {f["id"] for f in _decode(client, headers, 15, "?level=half")} == {2, 3}
    assert {f["id"] for f in _decode(client, headers, 15, "?level=half&certificate=交付済")} == {3}
    small = listed_town.small_chome.key_code
    assert {f["id"] for f in _decode(client, headers, 15, f"?chome={small}")} == {4}
    # City-wide: clusters with the worst level in each (0 = 全壊).
    clusters = _decode(client, headers, 10)
    assert sum(f["properties"]["count"] for f in clusters) == 4
    assert min(f["properties"]["worst"] for f in clusters) == 0


def test_card_shows_the_damage_of_the_household(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown
) -> None:
    _register_dwellings(listed_town)
    card = client.get(
        f"/api/dashboard/{URAYASU}/households/{listed_town.household}",
        headers=auth_headers(Role.welfare),
    ).json()
    assert (card["damage_level"], card["damage_level_label"]) == ("total_collapse", "全壊")
    assert card["certificate_status"] == "交付済"
    options = client.get(
        f"/api/dashboard/{URAYASU}/dwelling-options", headers=auth_headers(Role.hq)
    ).json()
    assert options["certificate_status"] == ["交付済", "未交付"]


def test_damage_counts_per_chome_are_suppressed_for_others(
    session: Session, listed_town: ListedTown
) -> None:
    from sonae.dashboard.layers import thematic_layers

    _register_dwellings(listed_town)
    shown = thematic_layers(session=session, municipality_code=URAYASU, people_visible=False)
    assert shown.damage_chome is not None
    by_name = shown.damage_chome.set_index("name")
    big = by_name.loc[listed_town.big_chome.name]
    assert big["total"] == 3
    assert big["total_collapse"] is None or big["total_collapse"] != big["total_collapse"]  # 1
    assert big["large_scale_half"] == 0
    exact = thematic_layers(session=session, municipality_code=URAYASU, people_visible=True)
    assert exact.damage_chome is not None
    assert exact.damage_chome.set_index("name").loc[listed_town.big_chome.name]["half"] == 2


def test_shelter_and_safety_providers_feed_the_map(
    session: Session, listed_town: ListedTown
) -> None:
    from sonae.dashboard.layers import thematic_layers

    key = listed_town.big_chome.key_code

    def safety(**_: Any) -> dict[str, SafetyCounts]:
        return {key: SafetyCounts(confirmed=4, total=5)}

    shelters = thematic_layers(
        session=session, municipality_code=URAYASU, people_visible=True
    ).shelters
    first = int(shelters["id"].iloc[0])

    def status(**_: Any) -> dict[int, ShelterStatus]:
        return {first: ShelterStatus(is_open=True, occupancy=40)}

    providers.register_safety_by_chome(safety)
    providers.register_shelter_status(status)
    layers = thematic_layers(session=session, municipality_code=URAYASU, people_visible=True)
    assert layers.safety_chome is not None
    assert layers.safety_chome[["confirmed", "total"]].values.tolist() == [[4, 5]]
    row = layers.shelters.set_index("id").loc[first]
    assert (row["occupancy"], row["is_open"]) == (40, True)
    assert layers.shelters["occupancy"].isna().sum() == len(layers.shelters) - 1


def test_a_new_provider_shows_on_the_next_page_despite_the_map_cache(
    client: TestClient, auth_headers: Headers, listed_town: ListedTown
) -> None:
    headers = auth_headers(Role.hq)
    not_yet = json.dumps("住家被害（町丁目）：未集計")[1:-1]
    assert not_yet in client.get(f"/dashboard/{URAYASU}", headers=headers).text
    assert not_yet in client.get(f"/dashboard/{URAYASU}", headers=headers).text  # cached
    _register_dwellings(listed_town)
    page = client.get(f"/dashboard/{URAYASU}", headers=headers).text
    assert not_yet not in page
    assert json.dumps("住家被害（町丁目）（最も重い被害）")[1:-1] in page
