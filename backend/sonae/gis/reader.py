"""Reading real GIS files (GeoJSON, GeoPackage, Shapefile, CityGML, CSV with coordinates).

Every failure becomes an ImportRejectedError naming the file and the reason. Frames come back in
the storage CRS with the geometry column named "geometry".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyproj import CRS

from sonae.errors import ImportRejectedError, Problem
from sonae.gis.crs import STORAGE_CRS, parse_crs

CSV_ENCODINGS = ("utf-8-sig", "cp932")
"""Municipal systems export Shift_JIS (cp932) as often as UTF-8."""


@dataclass(frozen=True)
class ReadOptions:
    layer: str | None = None
    crs: str | None = None
    """CRS the user says the file is in. Must agree with the file's own CRS if it has one."""
    x_column: str | None = None
    y_column: str | None = None
    """For CSV files: the columns holding the coordinates (lon/easting, lat/northing)."""


def reject(
    path: Path, reason: str, *, feature: int | None = None, field: str | None = None
) -> ImportRejectedError:
    return ImportRejectedError(path.name, [Problem(reason, feature=feature, field=field)])


def read_layer(path: Path, options: ReadOptions | None = None) -> gpd.GeoDataFrame:
    options = options or ReadOptions()
    if not path.is_file():
        raise reject(path, "file not found")
    if path.suffix.lower() in {".csv", ".txt", ".tsv"}:
        frame = _read_csv_points(path, options)
    else:
        frame = _read_vector(path, options)
    return _to_storage_crs(path, frame, options)


def _read_vector(path: Path, options: ReadOptions) -> gpd.GeoDataFrame:
    try:
        # GDAL's GML driver would otherwise leave a .gfs schema file beside the source.
        extra = {"WRITE_GFS": "NO"} if path.suffix.lower() in {".gml", ".xml"} else {}
        frame = pyogrio.read_dataframe(path, layer=options.layer, **extra)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise reject(path, f"unreadable as a GIS file ({_first_line(exc)})") from exc
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry is None:
        raise reject(path, "the file has no geometry")
    return frame


def _read_csv_points(path: Path, options: ReadOptions) -> gpd.GeoDataFrame:
    if not (options.x_column and options.y_column):
        raise reject(path, "a CSV needs its coordinate columns (x_column and y_column)")
    table = read_csv_table(path)
    for column in (options.x_column, options.y_column):
        if column not in table.columns:
            raise reject(
                path, f"missing column (has: {', '.join(map(str, table.columns))})", field=column
            )
    xs = pd.to_numeric(table[options.x_column], errors="coerce")
    ys = pd.to_numeric(table[options.y_column], errors="coerce")
    problems = [
        Problem("coordinate is not a number", feature=int(i) + 1, field=column)
        for column, values in ((options.x_column, xs), (options.y_column, ys))
        for i in table.index[values.isna()]
    ]
    if problems:
        raise ImportRejectedError(path.name, sorted(problems, key=lambda p: p.feature or 0))
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(xs, ys), crs=None)


def read_csv_table(path: Path) -> pd.DataFrame:
    for encoding in CSV_ENCODINGS:
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise reject(path, f"unreadable as CSV ({_first_line(exc)})") from exc
    raise reject(path, f"text is neither {' nor '.join(CSV_ENCODINGS)}")


def _to_storage_crs(path: Path, frame: gpd.GeoDataFrame, options: ReadOptions) -> gpd.GeoDataFrame:
    declared = _declared_crs(path, options)
    file_crs = None if _crs_only_implied(path) and declared is not None else frame.crs
    if file_crs is None and declared is None:
        raise reject(
            path, "unknown CRS: the file declares none; give one (for example --crs EPSG:6668)"
        )
    if (
        file_crs is not None
        and declared is not None
        and not CRS(file_crs).equals(declared, ignore_axis_order=True)
    ):
        # geopandas would only warn here; a silent mismatch puts a city in the wrong place.
        raise reject(
            path,
            f"CRS mismatch: the file says {CRS(file_crs).to_string()}, "
            f"you said {declared.to_string()}",
        )
    frame = frame.set_crs(file_crs or declared, allow_override=True)
    if frame.geometry.name != "geometry":
        frame = frame.rename_geometry("geometry")
    return frame.to_crs(STORAGE_CRS)


def _crs_only_implied(path: Path) -> bool:
    """A GeoJSON without a "crs" member is WGS84 by RFC 7946, which GDAL reports as EPSG:4326.

    Japanese public data often is such a file in JGD2011; a CRS the user gives then wins.
    """
    if path.suffix.lower() not in {".geojson", ".json"}:
        return False
    with path.open("rb") as handle:
        return b'"crs"' not in handle.read()


def _declared_crs(path: Path, options: ReadOptions) -> CRS | None:
    if options.crs is None:
        return None
    try:
        return parse_crs(options.crs)
    except ValueError as exc:
        raise reject(path, str(exc)) from exc


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
