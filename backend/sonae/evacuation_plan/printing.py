"""The printable plan (A4 portrait HTML, no external resources), one person per sheet."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from geoalchemy2.shape import to_shape
from jinja2 import Environment, FileSystemLoader, select_autoescape
from shapely.geometry import LineString, Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae import japan_time
from sonae.evacuation_plan.service import PlanContext
from sonae.municipality import service as municipality_service
from sonae.registry.models import Sex
from sonae.shelter.models import Shelter
from sonae.support import service as support_service
from sonae.support_extract.extract import hazard_text
from sonae.support_extract.wareki import format_wareki
from sonae.welfare.models import WelfareRecord

TEMPLATES = Path(__file__).parent / "templates"
SKETCH = 260
"""Size in px of the route sketch (an SVG, drawn from the coordinates: no map tiles)."""


@dataclass(frozen=True)
class Sketch:
    route: str
    home: tuple[float, float] | None
    end: tuple[float, float]
    length_m: float


def route_sketch(route: LineString, home: Point | None) -> Sketch:
    """The route as SVG points in a SKETCH×SKETCH box, north up, equal scale on both axes."""
    lat0 = math.radians(route.centroid.y)
    coords = [(x * math.cos(lat0) * 111_320, y * 110_574) for x, y in route.coords]
    extra = [] if home is None else [(home.x * math.cos(lat0) * 111_320, home.y * 110_574)]
    xs, ys = [c[0] for c in coords + extra], [c[1] for c in coords + extra]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    margin = 12

    def px(point: tuple[float, float]) -> tuple[float, float]:
        scale = (SKETCH - 2 * margin) / span
        return (
            round(margin + (point[0] - min(xs)) * scale, 1),
            round(SKETCH - margin - (point[1] - min(ys)) * scale, 1),
        )

    length = sum(math.dist(a, b) for a, b in itertools.pairwise(coords))
    return Sketch(
        route=" ".join(f"{x},{y}" for x, y in map(px, coords)),
        home=px(extra[0]) if extra else None,
        end=px(coords[-1]),
        length_m=length,
    )


def plan_html(*, session: Session, context: PlanContext) -> str:
    plan, person, entry = context.plan, context.person, context.entry
    if plan is None:
        raise ValueError("no plan to print")
    code = person.municipality_code
    municipality = municipality_service.get(session=session, code=code)
    labels = support_service.rules_of(
        support_service.get_rule_set(
            session=session, municipality_code=code, rule_set_id=context.build.rule_set_id
        )
    ).labels()
    phone = session.scalar(
        select(WelfareRecord.phone).where(
            WelfareRecord.municipality_code == code, WelfareRecord.person_id == person.id
        )
    )
    destination = (
        session.get(Shelter, (code, plan.destination_shelter_id))
        if plan.destination_shelter_id
        else None
    )
    recommended = session.get(Shelter, (code, entry.shelter_id)) if entry.shelter_id else None
    home = None if person.location is None else cast(Point, to_shape(person.location))
    sketch = (
        None if plan.route is None else route_sketch(cast(LineString, to_shape(plan.route)), home)
    )
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    environment.filters["wareki"] = format_wareki
    japan_time.install_filters(environment)
    return environment.get_template("plan.html.j2").render(
        municipality_name=municipality.name,
        person=person,
        sex="男" if person.sex == Sex.male else "女",
        phone=phone,
        entry=entry,
        reasons=[labels.get(c, c) for c in entry.reasons],
        hazards=[hazard_text(h) for h in entry.hazards],
        plan=plan,
        destination=destination,
        recommended=recommended,
        sketch=sketch,
        sketch_size=SKETCH,
        made_at=japan_time.now(),
    )
