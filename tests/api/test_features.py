"""OGC API – Features on tiny hand-made data whose answers are known."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from geoalchemy2.shape import from_shape
from shapely.geometry import LineString, Point, box
from sqlalchemy.orm import Session

from sonae.municipality import service as municipality_service
from sonae.shelter.models import Shelter, ShelterKind

CODE = "131016"  # 千代田区: a valid code not in the baseline
BASE = f"/api/ogc/{CODE}"


@pytest.fixture
def tiny_city(session: Session) -> list[Shelter]:
    """A 0.1° square city; three shelters on its diagonal at +0.02°, +0.05° and +0.08°."""
    outline = box(139.7, 35.6, 139.8, 35.7)
    municipality_service.register(
        session=session, code=CODE, name="テスト区", plane_rectangular_srid=6677, outline=outline
    )
    shelters = [
        Shelter(
            municipality_code=CODE,
            source_id=f"S{i}",
            kind=ShelterKind.emergency_site,
            name=f"避難場所{i}",
            is_welfare=(i == 2),
            flood=True,
            tsunami=False,
            point=from_shape(Point(139.7 + d, 35.6 + d), srid=6668),
        )
        for i, d in enumerate((0.02, 0.05, 0.08), start=1)
    ]
    session.add_all(shelters)
    session.flush()
    return shelters


def test_landing_page_links_conformance_collections_and_openapi(
    client: TestClient, tiny_city: list[Shelter]
) -> None:
    body = client.get(f"{BASE}/").json()
    rels = {link["rel"]: link["href"] for link in body["links"]}
    assert {"self", "conformance", "data", "service-desc"} <= set(rels)
    assert client.get(rels["service-desc"]).json()["openapi"].startswith("3.")
    conformance = client.get(rels["conformance"]).json()["conformsTo"]
    assert any(c.endswith("/conf/geojson") for c in conformance)


def test_collection_extent_is_the_bounding_box_of_its_features(
    client: TestClient, tiny_city: list[Shelter]
) -> None:
    body = client.get(f"{BASE}/collections/shelters").json()
    assert body["extent"]["spatial"]["bbox"][0] == pytest.approx([139.72, 35.62, 139.78, 35.68])


def test_bbox_returns_only_features_inside_it(client: TestClient, tiny_city: list[Shelter]) -> None:
    response = client.get(
        f"{BASE}/collections/shelters/items", params={"bbox": "139.70,35.60,139.76,35.66"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["numberMatched"] == 2
    assert sorted(f["properties"]["source_id"] for f in body["features"]) == ["S1", "S2"]
    assert body["features"][0]["geometry"]["type"] == "Point"


def test_paging_walks_every_feature_once_through_next_links(
    client: TestClient, tiny_city: list[Shelter]
) -> None:
    url: str | None = f"{BASE}/collections/shelters/items?limit=2"
    seen: list[str] = []
    while url:
        body = client.get(url).json()
        assert body["numberReturned"] == len(body["features"]) <= 2
        seen += [f["properties"]["source_id"] for f in body["features"]]
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
    assert seen == ["S1", "S2", "S3"]


def test_one_feature_by_id_and_its_flags(client: TestClient, tiny_city: list[Shelter]) -> None:
    welfare = tiny_city[1]
    body = client.get(f"{BASE}/collections/shelters/items/{welfare.id}").json()
    assert body["id"] == welfare.id
    assert body["properties"]["is_welfare"] is True
    assert body["properties"]["flood"] is True and body["properties"]["tsunami"] is False
    assert body["properties"]["landslide"] is None
    assert body["properties"]["kind"] == "emergency_site"


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/collections/nonexistent/items", 404, "nonexistent"),
        ("/collections/shelters/items/999999999", 404, "999999999"),
        ("/collections/shelters/items?bbox=1,2,3", 422, "bbox"),
        ("/collections/shelters/items?bbox=5,5,1,1", 422, "bbox"),
        ("/collections/shelters/items?limit=0", 422, "limit"),
    ],
)
def test_bad_requests_say_what_is_wrong(
    client: TestClient, tiny_city: list[Shelter], path: str, status: int, words: str
) -> None:
    response = client.get(f"{BASE}{path}")
    assert response.status_code == status
    assert words in response.text


def test_unknown_municipality_is_404(client: TestClient) -> None:
    response = client.get("/api/ogc/999999/collections")
    assert response.status_code == 404
    assert "999999" in response.json()["detail"]


def test_every_collection_serves_the_baseline_city(client: TestClient, session: Session) -> None:
    collections = client.get("/api/ogc/122271/collections").json()["collections"]
    for collection in collections:
        body = client.get(
            f"/api/ogc/122271/collections/{collection['id']}/items", params={"limit": 1}
        ).json()
        assert body["numberMatched"] > 0, collection["id"]
        assert body["features"][0]["geometry"]["type"] in {
            "Point",
            "LineString",
            "Polygon",
            "MultiPolygon",
        }


def test_health_checks_the_database(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["postgis"].startswith("3.")


def test_road_line_geometry_round_trips(
    client: TestClient, session: Session, tiny_city: list[Shelter]
) -> None:
    from sonae.road.models import RoadEdge, RoadNode

    a, b = Point(139.71, 35.61), Point(139.72, 35.61)
    session.add_all(
        [
            RoadNode(municipality_code=CODE, node_id=1, point=from_shape(a, srid=6668)),
            RoadNode(municipality_code=CODE, node_id=2, point=from_shape(b, srid=6668)),
        ]
    )
    session.flush()
    session.add(
        RoadEdge(
            municipality_code=CODE,
            edge_id=7,
            source=1,
            target=2,
            length_m=906.0,
            cost=906.0,
            reverse_cost=906.0,
            geom=from_shape(LineString([a, b]), srid=6668),
        )
    )
    session.flush()
    body = client.get(f"{BASE}/collections/road_edges/items/7").json()
    assert body["geometry"]["coordinates"] == [[139.71, 35.61], [139.72, 35.61]]
    assert body["properties"]["source"] == 1 and body["properties"]["target"] == 2
