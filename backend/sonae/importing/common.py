"""Steps every reference-data import shares: read, check, locate, record provenance."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy.orm import Session

from sonae.config import get_settings
from sonae.gis.reader import ReadOptions, read_layer
from sonae.gis.validate import check_geometries, check_within
from sonae.logging import get_logger
from sonae.municipality import service as municipality_service
from sonae.municipality.models import ImportRecord, Municipality

log = get_logger(__name__)


@dataclass(frozen=True)
class ImportSummary:
    layer: str
    file: str
    municipality_code: str
    features: int
    repaired: int = 0
    location_checked: bool = True
    skipped: int = 0
    skipped_reason: str = ""
    stored: int | None = None
    """Rows written, where parts of one feature were merged (else equal to features)."""

    def describe(self) -> str:
        text = f"{self.layer}: {self.features} features from {self.file}"
        if self.stored is not None and self.stored != self.features:
            text += f", stored as {self.stored} after merging parts with the same key"
        if self.skipped:
            text += f" ({self.skipped} skipped: {self.skipped_reason})"
        if self.repaired:
            text += f" ({self.repaired} invalid geometries repaired with make_valid)"
        if not self.location_checked:
            text += " (not checked against an outline: the municipality has none)"
        return text


@dataclass(frozen=True)
class LoadedLayer:
    frame: gpd.GeoDataFrame
    repaired: int
    location_checked: bool
    skipped: int = 0
    skipped_reason: str = ""


Exclusion = Callable[[gpd.GeoDataFrame], "pd.Series[bool]"]
"""Rows a layer leaves out on purpose (counted and reported, never silently dropped)."""


def load_layer(
    *,
    session: Session,
    municipality: Municipality,
    path: Path,
    read: ReadOptions,
    allowed: frozenset[str],
    exclude: tuple[Exclusion, str] | None = None,
) -> LoadedLayer:
    """Read a file into the storage CRS, check each geometry and that it lies in the city."""
    frame = read_layer(path, read)
    skipped = 0
    if exclude is not None:
        dropped = exclude[0](frame)
        skipped = int(dropped.sum())
        frame = frame[~dropped].reset_index(drop=True)
    checked = check_geometries(path.name, frame, allowed)
    outline = municipality_service.outline_shape(municipality)
    if outline is not None:
        check_within(
            path.name,
            checked.frame,
            outline,
            plane_srid=municipality.plane_rectangular_srid,
            tolerance_m=get_settings().outside_tolerance_m,
        )
    return LoadedLayer(
        checked.frame, checked.repaired, outline is not None, skipped, exclude[1] if exclude else ""
    )


def record_import(
    *,
    session: Session,
    municipality_code: str,
    layer: str,
    path: Path,
    loaded: LoadedLayer,
    stored: int | None = None,
) -> ImportSummary:
    session.add(
        ImportRecord(
            municipality_code=municipality_code,
            layer=layer,
            file_name=path.name,
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            feature_count=len(loaded.frame),
            repaired_count=loaded.repaired,
        )
    )
    session.flush()
    summary = ImportSummary(
        layer=layer,
        file=path.name,
        municipality_code=municipality_code,
        features=len(loaded.frame),
        repaired=loaded.repaired,
        location_checked=loaded.location_checked,
        skipped=loaded.skipped,
        skipped_reason=loaded.skipped_reason,
        stored=stored,
    )
    log.info(
        "imported",
        layer=layer,
        file=path.name,
        municipality=municipality_code,
        features=summary.features,
        repaired=summary.repaired,
    )
    return summary
