"""City bundles: a directory of real files and a city.toml that says how to load them.

`sonae import city urayasu` loads data/cities/urayasu in one transaction: all of it or nothing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from sonae.address.service import import_address_points
from sonae.chome.service import import_chome
from sonae.errors import ImportRejectedError, Problem
from sonae.gis.reader import ReadOptions
from sonae.hazard.models import HazardType
from sonae.hazard.scenario import build_district_scenario, read_district_scenario
from sonae.hazard.service import import_hazard_zones, parse_rank_labels
from sonae.municipality import service as municipality_service
from sonae.road.service import import_road_network
from sonae.shelter.models import ShelterKind
from sonae.shelter.service import import_shelters, read_capacity_rules, replace_capacity_rules

MANIFEST = "city.toml"
Step = dict[str, Any]


def read_manifest(city_dir: Path) -> dict[str, Any]:
    path = city_dir / MANIFEST
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ImportRejectedError(
            str(path), [Problem(f"cannot read the city manifest ({exc})")]
        ) from exc


def steps(manifest: dict[str, Any]) -> list[Step]:
    """The manifest's work in order: outline first, then capacity rules, then each layer."""
    outline = manifest.get("outline")
    return [
        *([{"kind": "outline", **outline}] if outline else []),
        {"kind": "capacity_rules"},
        *manifest.get("layers", []),
    ]


def load_city(
    *,
    session: Session,
    city_dir: Path,
    capacity_rules: Path,
    on_step: Callable[[Step], None] = lambda step: None,
) -> list[str]:
    """Run every step of the bundle; returns a line per step describing what was loaded."""
    manifest = read_manifest(city_dir)
    code = manifest["code"]
    municipality_service.register(
        session=session,
        code=code,
        name=manifest["name"],
        plane_rectangular_srid=int(manifest["plane_rectangular_srid"]),
    )
    done = []
    for step in steps(manifest):
        on_step(step)
        done.append(_run(session, city_dir, manifest, step, capacity_rules))
    return done


def _read(step: Step) -> ReadOptions:
    return ReadOptions(
        layer=step.get("layer"),
        crs=step.get("crs"),
        x_column=step.get("x_column"),
        y_column=step.get("y_column"),
    )


def _run(
    session: Session, city_dir: Path, manifest: dict[str, Any], step: Step, rules: Path
) -> str:
    code: str = manifest["code"]
    kind = step["kind"]
    file = city_dir / step["file"] if "file" in step else None
    if kind == "outline" and file:
        municipality_service.import_outline(
            session=session,
            code=code,
            name=manifest["name"],
            plane_rectangular_srid=int(manifest["plane_rectangular_srid"]),
            path=file,
            read=_read(step),
        )
        return f"outline from {file.name}"
    if kind == "capacity_rules":
        replace_capacity_rules(
            session=session, municipality_code=code, rules=read_capacity_rules(rules)
        )
        return f"shelter capacity estimate rules from {rules.name}"
    if file is None:
        raise ImportRejectedError(MANIFEST, [Problem(f"step {kind!r} names no file")])
    return _run_layer(session, code, file, step)


def _run_layer(session: Session, code: str, file: Path, step: Step) -> str:
    kind = step["kind"]
    columns = step.get("columns")
    if kind == "chome":
        census = file.parent / step["census_table"] if "census_table" in step else None
        summary = import_chome(
            session=session,
            municipality_code=code,
            path=file,
            read=_read(step),
            columns=columns,
            census_table=census,
            census_year=step.get("census_year"),
        )
    elif kind == "address_points":
        summary = import_address_points(
            session=session, municipality_code=code, path=file, read=_read(step), columns=columns
        )
    elif kind == "shelters":
        summary = import_shelters(
            session=session,
            municipality_code=code,
            path=file,
            read=_read(step),
            kind=ShelterKind(step["shelter_kind"]),
            columns=columns,
            declared_suitable=step.get("declared_suitable", ()),
        )
    elif kind == "roads":
        summary = import_road_network(
            session=session, municipality_code=code, path=file, crs=step.get("crs")
        )
    elif kind == "hazard":
        rank = {"rank": step["rank_column"]} if "rank_column" in step else {}
        summary = import_hazard_zones(
            session=session,
            municipality_code=code,
            path=file,
            hazard_type=HazardType(step["hazard_type"]),
            scenario=step["scenario"],
            rank_labels=parse_rank_labels(step.get("rank_labels")),
            read=_read(step),
            columns={**rank, **(columns or {})},
            source=step.get("source"),
        )
    elif kind == "district_scenario":
        definition = read_district_scenario(file)
        zones = build_district_scenario(
            session=session, municipality_code=code, definition=definition
        )
        return f"scenario {definition.scenario}: {zones} zones"
    else:
        raise ImportRejectedError(MANIFEST, [Problem(f"unknown step kind {kind!r}")])
    return summary.describe()
