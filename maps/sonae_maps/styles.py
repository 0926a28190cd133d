"""Colours, symbol styles and Japanese labels of the city map, in one place.

Colours are chosen so the layers stay readable on top of each other: population in blues
(half transparent, it is the background), hazards in the warm ramp Japanese hazard maps use,
shelters in saturated colours with a light outline so they stand out on both.
"""

from __future__ import annotations

from typing import Any

Style = dict[str, Any]
"""Leaflet path options, keys in Leaflet's camelCase: GeoJson style functions hand them to
Leaflet verbatim (folium only camelizes the keyword arguments of its own markers)."""

BACKGROUND_COLOUR = "#f4f3ef"
"""Map background where no tiles are drawn: a light paper tone, not Leaflet's grey."""

MAP_ELEMENT_ID = "sonae_map"
"""id of the map <div> and name of its JavaScript variable, stable so tests can find it."""

# --- chome population -------------------------------------------------------------------------

POPULATION_CLASS_COUNT = 5
POPULATION_RAMP: tuple[str, ...] = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
"""ColorBrewer Blues, light to dark; fewer classes take evenly spread colours from it."""
NO_DATA_COLOUR = "#cccccc"
CHOME_FILL_OPACITY = 0.55
CHOME_LINE_COLOUR = "#6b7b8c"
CHOME_POINT_RADII: tuple[int, ...] = (4, 5, 7, 9, 11)
"""Radius (px) per population class where chome are points instead of polygons."""

# --- shelters ---------------------------------------------------------------------------------

SHELTER_KIND_LABELS: dict[str, str] = {
    "designated_shelter": "指定避難所",
    "emergency_site": "指定緊急避難場所",
}
WELFARE_LABEL = "福祉避難所"

SHELTER_STYLES: dict[str, Style] = {
    "designated_shelter": {
        "radius": 6,
        "color": "#ffffff",
        "weight": 1.5,
        "fillColor": "#1b9e77",
        "fillOpacity": 0.95,
    },
    "emergency_site": {
        "radius": 6,
        "color": "#ffffff",
        "weight": 1.5,
        "fillColor": "#d95f02",
        "fillOpacity": 0.95,
    },
}
# Welfare shelters serve people who need care; they must be findable at a glance, hence a
# different colour, a larger symbol and a thick dark ring instead of the white one.
WELFARE_STYLE: Style = {
    "radius": 7,
    "color": "#3b0a24",
    "weight": 2.5,
    "fillColor": "#e7298a",
    "fillOpacity": 0.95,
}

FLAG_SUITABLE = "○"
FLAG_UNSUITABLE = "―"
FLAG_UNKNOWN = "不明"
ESTIMATE_SUFFIX = "(推定)"

# --- hazards ----------------------------------------------------------------------------------

HAZARD_TYPE_LABELS: dict[str, str] = {
    "flood": "洪水",
    "tsunami": "津波",
    "storm_surge": "高潮",
    "inland_flooding": "内水氾濫",
    "landslide": "土砂災害",
    "liquefaction": "液状化",
}
DERIVED_SCENARIO_LABEL = "想定シナリオ（Sonae作成）"

HAZARD_RAMP: tuple[str, ...] = (
    "#f7f5a9",
    "#ffd8c0",
    "#ffb7b7",
    "#ff9191",
    "#f285c9",
    "#dc7adc",
)
"""Depth-rank colours of the MLIT hazard map guidelines (浸水深), rank 1 = lightest."""
HAZARD_FILL_OPACITY = 0.6
HAZARD_LINE_COLOUR = "#b05050"

# --- outline and roads ------------------------------------------------------------------------

OUTLINE_STYLE: Style = {"color": "#333333", "weight": 2.5, "fill": False, "dashArray": "6 4"}
ROAD_STYLE: Style = {"color": "#8c8c8c", "weight": 1, "opacity": 0.7}

# --- layer names (shown in the layer control) -------------------------------------------------

LAYER_OUTLINE = "市域"
LAYER_CHOME = "町丁目 人口"
LAYER_SHELTERS = "避難所"
LAYER_HAZARD_PREFIX = "ハザード"
LAYER_ROADS = "道路"


def population_colours(class_count: int) -> list[str]:
    """Colours for `class_count` population classes, spread over the whole ramp."""
    if class_count <= 1:
        return [POPULATION_RAMP[len(POPULATION_RAMP) // 2]] * class_count
    last = len(POPULATION_RAMP) - 1
    return [POPULATION_RAMP[round(i * last / (class_count - 1))] for i in range(class_count)]


def hazard_colour(rank: int) -> str:
    """Colour of a hazard rank; ranks outside the ramp take its nearest end."""
    index = min(max(rank, 1), len(HAZARD_RAMP)) - 1
    return HAZARD_RAMP[index]


def hazard_layer_name(hazard_type: str, is_derived: bool) -> str:
    """Layer-control name of one hazard type, flagged when Sonae derived the scenario."""
    label = HAZARD_TYPE_LABELS.get(hazard_type, hazard_type)
    name = f"{LAYER_HAZARD_PREFIX}：{label}"
    return f"{name}（{DERIVED_SCENARIO_LABEL}）" if is_derived else name


# --- dashboard --------------------------------------------------------------------------------

DAMAGE_LEVELS: tuple[str, ...] = (
    "total_collapse",
    "large_scale_half",
    "medium_scale_half",
    "half",
    "quasi_half",
    "partial",
)
"""Damage levels of the 内閣府 被害認定基準 (2020 revision), worst first."""
DAMAGE_LEVEL_LABELS: dict[str, str] = {
    "total_collapse": "全壊",
    "large_scale_half": "大規模半壊",
    "medium_scale_half": "中規模半壊",
    "half": "半壊",
    "quasi_half": "準半壊",
    "partial": "準半壊に至らない（一部損壊）",
}
DAMAGE_LEVEL_COLOURS: dict[str, str] = {
    "total_collapse": "#67000d",
    "large_scale_half": "#cb181d",
    "medium_scale_half": "#f16913",
    "half": "#fdae6b",
    "quasi_half": "#fee391",
    "partial": "#bdbdbd",
}
"""A fixed scale (never rescaled to the data), so two maps or two days read the same."""

COUNT_RAMP: tuple[str, ...] = ("#fcfbfd", "#dadaeb", "#9e9ac8", "#6a51a3", "#3f007d")
"""ColorBrewer Purples, for counts of people (support list density)."""
SAFETY_RAMP: tuple[str, ...] = ("#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850")
"""Share confirmed, 0–20 % … 80–100 %: red while many are unconfirmed."""
SUPPRESSED_COLOUR = "#e0e0e0"
OCCUPANCY_RAMP: tuple[tuple[float, str, str], ...] = (
    (0.5, "#1a9850", "50%未満"),
    (0.8, "#fee08b", "50〜80%"),
    (1.0, "#fc8d59", "80〜100%"),
    (float("inf"), "#d73027", "定員超過"),
)
"""Occupancy against capacity: (upper bound of the ratio, colour, label)."""
CAPACITY_ONLY_COLOUR = "#4575b4"
PLAN_DESTINATION_COLOUR = "#762a83"

LAYER_SUPPORT_CHOME = "要支援者数（町丁目）"
LAYER_SUPPORT_MESH = "要支援者数（250mメッシュ）"
LAYER_SAFETY = "安否確認状況（町丁目）"
LAYER_SHELTER_STATUS = "避難所 収容状況"
LAYER_PLAN_DESTINATIONS = "個別避難計画の避難先"
LAYER_DAMAGE_CHOME = "住家被害（町丁目）"
LAYER_SEARCH = "住所・町丁目検索"


def occupancy_colour(ratio: float | None) -> str:
    if ratio is None:
        return CAPACITY_ONLY_COLOUR
    return next(colour for bound, colour, _ in OCCUPANCY_RAMP if ratio < bound)
