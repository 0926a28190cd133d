"""OGC API – Features (Part 1: Core, GeoJSON) per municipality, readable by QGIS and GDAL.

Landing page: /api/ogc/{municipality_code}/. Coordinates are JGD2011 (EPSG:6668) lon/lat,
published as CRS84: the two differ by far less than a metre.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from sonae.api.deps import DbSession
from sonae.api.params import Offset
from sonae.features import service
from sonae.features.collections import COLLECTIONS
from sonae.municipality import service as municipality_service

router = APIRouter(prefix="/api/ogc/{municipality_code}", tags=["OGC API – Features"])

GEOJSON = "application/geo+json"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
MAX_LIMIT = 10_000


def _link(request: Request, name: str, rel: str, media: str, **params: Any) -> dict[str, str]:
    return {"href": str(request.url_for(name, **params)), "rel": rel, "type": media}


@router.get("/", summary="Landing page")
def landing(request: Request, municipality_code: str, session: DbSession) -> dict[str, Any]:
    municipality = municipality_service.get(session=session, code=municipality_code)
    code = {"municipality_code": municipality_code}
    return {
        "title": f"Sonae {municipality.name} ({municipality.code})",
        "description": "Reference layers of the municipality (no personal data)",
        "links": [
            _link(request, "landing", "self", "application/json", **code),
            _link(request, "conformance", "conformance", "application/json", **code),
            _link(request, "collections", "data", "application/json", **code),
            {
                "href": str(request.url_for("openapi")),
                "rel": "service-desc",
                "type": "application/vnd.oai.openapi+json;version=3.0",
            },
        ],
    }


@router.get("/conformance", summary="Conformance classes")
def conformance(municipality_code: str) -> dict[str, list[str]]:
    return {"conformsTo": CONFORMANCE}


def _collection(
    request: Request, session: DbSession, municipality_code: str, collection_id: str
) -> dict[str, Any]:
    spec = service.get_collection(collection_id)
    params = {"municipality_code": municipality_code, "collection_id": collection_id}
    bbox = service.extent(session=session, spec=spec, municipality_code=municipality_code)
    return {
        "id": spec.id,
        "title": spec.title,
        "description": spec.description,
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": "http://www.opengis.net/def/crs/EPSG/0/6668",
        "extent": {"spatial": {"bbox": [bbox] if bbox else [], "crs": CRS84}},
        "links": [
            _link(request, "collection", "self", "application/json", **params),
            _link(request, "items", "items", GEOJSON, **params),
        ],
    }


@router.get("/collections", summary="Collections")
def collections(request: Request, municipality_code: str, session: DbSession) -> dict[str, Any]:
    municipality_service.get(session=session, code=municipality_code)
    return {
        "collections": [
            _collection(request, session, municipality_code, cid) for cid in COLLECTIONS
        ],
        "links": [
            _link(
                request,
                "collections",
                "self",
                "application/json",
                municipality_code=municipality_code,
            )
        ],
    }


@router.get("/collections/{collection_id}", summary="Collection")
def collection(
    request: Request, municipality_code: str, collection_id: str, session: DbSession
) -> dict[str, Any]:
    municipality_service.get(session=session, code=municipality_code)
    return _collection(request, session, municipality_code, collection_id)


@router.get(
    "/collections/{collection_id}/items", summary="Features (GeoJSON), with bbox and paging"
)
def items(
    request: Request,
    municipality_code: str,
    collection_id: str,
    session: DbSession,
    bbox: Annotated[str | None, Query(description="minLon,minLat,maxLon,maxLat")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[Offset, Query()] = 0,
) -> JSONResponse:
    municipality_service.get(session=session, code=municipality_code)
    spec = service.get_collection(collection_id)
    box = service.BBox.parse(bbox) if bbox else None
    page = service.page_items(
        session=session,
        spec=spec,
        municipality_code=municipality_code,
        bbox=box,
        limit=limit,
        offset=offset,
    )
    links = [{"href": str(request.url), "rel": "self", "type": GEOJSON}]
    if offset + limit < page.number_matched:
        links.append(
            {
                "href": str(request.url.include_query_params(offset=offset + limit, limit=limit)),
                "rel": "next",
                "type": GEOJSON,
            }
        )
    if offset > 0:
        links.append(
            {
                "href": str(
                    request.url.include_query_params(offset=max(0, offset - limit), limit=limit)
                ),
                "rel": "prev",
                "type": GEOJSON,
            }
        )
    body = {
        "type": "FeatureCollection",
        "features": page.features,
        "numberMatched": page.number_matched,
        "numberReturned": len(page.features),
        "links": links,
    }
    return JSONResponse(content=body, media_type=GEOJSON)


@router.get("/collections/{collection_id}/items/{feature_id}", summary="One feature (GeoJSON)")
def item(
    municipality_code: str, collection_id: str, feature_id: str, session: DbSession
) -> JSONResponse:
    municipality_service.get(session=session, code=municipality_code)
    spec = service.get_collection(collection_id)
    feature = service.get_item(
        session=session, spec=spec, municipality_code=municipality_code, feature_id=feature_id
    )
    return JSONResponse(content=feature, media_type=GEOJSON)
