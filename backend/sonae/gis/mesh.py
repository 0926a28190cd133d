"""JIS X 0410 regional mesh codes (地域メッシュ), down to the 250 m quarter mesh.

1st mesh (80 km): 40' of latitude × 1° of longitude, code pppp-uu... laid out as
  p = floor(lat × 1.5), u = floor(lon − 100)                 → 4 digits  "5339"
2nd mesh (10 km): the 1st split 8 × 8                         → +2 digits "533946"
3rd mesh (1 km, 基準地域メッシュ): the 2nd split 10 × 10       → +2 digits "53394611"
half mesh (500 m, 2分の1): the 3rd split 2 × 2, numbered 1 SW, 2 SE, 3 NW, 4 NE → 9 digits
quarter mesh (250 m, 4分の1): the half split 2 × 2, same numbering         → 10 digits

Arithmetic is done on integer multiples of the smallest cell (7.5" lat × 11.25" lon) so that a
point on a cell edge always falls in the cell to its north-east, as the standard says.
"""

from __future__ import annotations

import math
import re

# The quarter mesh, the finest cell, in degrees: 1st mesh 2/3° lat × 1° lon divided by
# 8 × 10 × 2 × 2 = 320 each way.
QUARTER_LAT_DEG = (2 / 3) / 320
QUARTER_LON_DEG = 1 / 320
_QUARTER_CODE = re.compile(r"^\d{8}[1-4][1-4]$")


def _steps(lat: float, lon: float) -> tuple[int, int]:
    """Whole quarter-mesh steps from (0°N, 100°E), rounded so float noise never crosses an edge."""
    lat_steps = math.floor(round(lat * 1.5 * 320, 9))
    lon_steps = math.floor(round((lon - 100) * 320, 9))
    return lat_steps, lon_steps


def quarter_mesh(lat: float, lon: float) -> str:
    """The 10-digit 250 m mesh code of a point (JGD2011 / WGS 84 degrees)."""
    if not (20 <= lat < 46.67 and 122 <= lon < 154):
        raise ValueError("JIS X 0410 meshes cover Japan only (lat 20–46.7, lon 122–154)")
    lat_steps, lon_steps = _steps(lat, lon)
    p, lat_rest = divmod(lat_steps, 320)
    u, lon_rest = divmod(lon_steps, 320)
    q, lat_rest = divmod(lat_rest, 40)
    v, lon_rest = divmod(lon_rest, 40)
    r, lat_rest = divmod(lat_rest, 4)
    w, lon_rest = divmod(lon_rest, 4)
    half = (lat_rest // 2) * 2 + (lon_rest // 2) + 1
    quarter = (lat_rest % 2) * 2 + (lon_rest % 2) + 1
    return f"{p:02d}{u:02d}{q}{v}{r}{w}{half}{quarter}"


def third_mesh(lat: float, lon: float) -> str:
    """The 8-digit 1 km (基準地域) mesh code of a point."""
    return quarter_mesh(lat, lon)[:8]


def quarter_mesh_bounds(code: str) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a 10-digit 250 m mesh, in degrees."""
    if not _QUARTER_CODE.match(code):
        raise ValueError(f"not a 250 m mesh code: {code!r}")
    p, u = int(code[0:2]), int(code[2:4])
    q, v, r, w = (int(c) for c in code[4:8])
    half, quarter = int(code[8]) - 1, int(code[9]) - 1
    lat_steps = p * 320 + q * 40 + r * 4 + (half // 2) * 2 + quarter // 2
    lon_steps = u * 320 + v * 40 + w * 4 + (half % 2) * 2 + quarter % 2
    south = lat_steps * QUARTER_LAT_DEG
    west = 100 + lon_steps * QUARTER_LON_DEG
    return west, south, west + QUARTER_LON_DEG, south + QUARTER_LAT_DEG
