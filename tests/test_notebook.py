"""notebooks/city_map.ipynb runs from a clean kernel and saves the Urayasu map.

The kernel is the venv's own: nbclient starts "python3" from ipykernel installed next to it
(found through sys.prefix), so no kernelspec needs installing on a fresh machine.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import geopandas as gpd
import nbformat
import pytest
from nbclient import NotebookClient

from sonae_maps import assets_installed

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "city_map.ipynb"
MAP_FILE = ROOT / "var" / "maps" / "urayasu_city_map.html"
CHOME_FILE = ROOT / "data" / "cities" / "urayasu" / "chome_boundaries_2020.geojson"


def _stream_text(notebook: nbformat.NotebookNode) -> str:
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream"
    )


@pytest.mark.skipif(not assets_installed(), reason="run: npm install --prefix maps/assets")
def test_city_map_notebook_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # The notebook must find the repository by itself from its working directory.
    monkeypatch.delenv("SONAE_ROOT", raising=False)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "commit the notebook with its outputs stripped"
    )
    started = time.time()

    NotebookClient(
        notebook, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(ROOT)}}
    ).execute()

    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []
    summary = re.search(r"町丁目数: (\d+)", _stream_text(notebook))
    assert summary is not None, _stream_text(notebook)
    assert int(summary.group(1)) == len(gpd.read_file(CHOME_FILE))
    assert MAP_FILE.is_file() and MAP_FILE.stat().st_mtime >= started - 1
    page = MAP_FILE.read_text(encoding="utf-8")
    assert not re.search(r"<(?:script|link)\b[^>]*\b(?:src|href)=", page)  # Leaflet inlined
