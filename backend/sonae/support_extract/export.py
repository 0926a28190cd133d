"""Extracts as files: CSV (UTF-8 with BOM, or cp932 for older office software), GeoPackage
(points, for desktop GIS) and a printable HTML list (A4 landscape, one page group per district).

Characters cp932 cannot hold (e.g. 𠮷) are written as 〓 (geta, the customary mark for a missing
glyph) and counted, never dropped silently.
"""

from __future__ import annotations

import codecs
import csv
import enum
import io
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from shapely.geometry import Point

from sonae import japan_time
from sonae.database.core import STORAGE_SRID
from sonae.private_files import write_private
from sonae.support_extract.extract import MODE_LABELS, Extract, ExtractRow
from sonae.support_extract.wareki import format_wareki

GETA = "〓"
TEMPLATES = Path(__file__).parent / "templates"
GPKG_LAYER = "support_list"


class ExportFormat(enum.StrEnum):
    csv = "csv"
    csv_cp932 = "csv-cp932"
    gpkg = "gpkg"
    html = "html"


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.csv_cp932: "text/csv; charset=shift_jis",
    ExportFormat.gpkg: "application/geopackage+sqlite3",
    ExportFormat.html: "text/html; charset=utf-8",
}
SUFFIXES = {
    ExportFormat.csv: ".csv",
    ExportFormat.csv_cp932: ".csv",
    ExportFormat.gpkg: ".gpkg",
    ExportFormat.html: ".html",
}

COLUMNS = (
    "地区",
    "氏名",
    "フリガナ",
    "生年月日",
    "生年月日（和暦）",
    "年齢",
    "性別",
    "住所又は居所",
    "電話番号その他の連絡先",
    "避難支援等を必要とする事由",
    "災害リスク",
    "推奨避難先",
    "避難先までの距離（m）",
    "優先度",
    "名簿提供の同意",
)


def _geta(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return GETA * (error.end - error.start), error.end


codecs.register_error("sonae_geta", _geta)


def row_values(row: ExtractRow) -> list[Any]:
    return [
        row.district,
        row.name,
        row.name_kana or "",
        row.birth_date.isoformat(),
        format_wareki(row.birth_date),
        row.age,
        row.sex,
        row.address,
        row.phone or "",
        "・".join(row.reasons),
        "／".join(row.hazards) or "なし",
        row.shelter_name or "",
        "" if row.shelter_distance_m is None else round(row.shelter_distance_m),
        row.priority,
        row.consent,
    ]


def to_csv_text(extract: Extract) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(row_values(row) for row in extract.rows)
    return buffer.getvalue()


def unencodable_in_cp932(text: str) -> int:
    """How many characters cp932 cannot hold (written as 〓)."""
    return sum(1 for ch in text if not _encodes(ch))


def _encodes(ch: str) -> bool:
    try:
        ch.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def to_gpkg(extract: Extract, path: Path) -> None:
    # geopandas (0.2 s with pandas) only for this format, not for every `sonae support` command.
    import geopandas as gpd

    records = [dict(zip(COLUMNS, row_values(row), strict=True)) for row in extract.rows]
    geometry = [
        Point(row.lon, row.lat) if row.lon is not None and row.lat is not None else None
        for row in extract.rows
    ]
    frame = gpd.GeoDataFrame(
        records or None, columns=list(COLUMNS), geometry=geometry, crs=f"EPSG:{STORAGE_SRID}"
    )
    frame.to_file(path, layer=GPKG_LAYER, driver="GPKG", engine="pyogrio")


def to_html(extract: Extract, *, municipality_name: str) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    environment.filters["wareki"] = format_wareki
    japan_time.install_filters(environment)
    template = environment.get_template("district_list.html.j2")
    return template.render(
        extract=extract,
        groups=extract.by_district(),
        mode_label=MODE_LABELS[extract.mode],
        municipality_name=municipality_name,
        columns=COLUMNS,
    )


def export_bytes(extract: Extract, fmt: ExportFormat, *, municipality_name: str) -> bytes:
    """The file's content (GeoPackage goes through a temporary file: SQLite needs one)."""
    if fmt == ExportFormat.csv:
        return to_csv_text(extract).encode("utf-8-sig")
    if fmt == ExportFormat.csv_cp932:
        return to_csv_text(extract).encode("cp932", errors="sonae_geta")
    if fmt == ExportFormat.html:
        return to_html(extract, municipality_name=municipality_name).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="sonae-export-") as directory:
        path = Path(directory) / "support_list.gpkg"
        to_gpkg(extract, path)
        return path.read_bytes()


def write_export(extract: Extract, fmt: ExportFormat, out: Path, *, municipality_name: str) -> int:
    """Write the file; returns the number of characters cp932 could not hold (0 otherwise)."""
    content = export_bytes(extract, fmt, municipality_name=municipality_name)
    write_private(out, content)
    if fmt == ExportFormat.csv_cp932:
        return unencodable_in_cp932(to_csv_text(extract))
    return 0
