"""The printable list in real headless Chromium: A4 landscape, one page per district."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, MISSING_CHROMIUM
from sonae.support.build import build_support_list
from sonae.support.models import ConsentScope, ConsentStatus
from sonae.support_extract.consent import record_consent
from sonae.support_extract.export import ExportFormat, write_export
from sonae.support_extract.extract import ExtractMode, extract_districts
from support.factory import AS_OF, Town

pytestmark = pytest.mark.browser
A4_LANDSCAPE = (842, 595)  # points, as Chromium writes the MediaBox (rounded)


def test_each_district_prints_on_its_own_a4_landscape_page(town: Town, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(MISSING_CHROMIUM)
    for label, at in (("n1", (100, 100)), ("n2", (200, 100)), ("s1", (100, -100))):
        town.person(label, born=date(1990, 1, 1), care_level="care_3", at=at)
        record_consent(
            session=town.session,
            municipality_code=town.code,
            person_id=town.people[label].id,
            scope=ConsentScope.list_sharing,
            status=ConsentStatus.agreed,
            decided_on=None,
            recorded_by="test",
            principal=None,
        )
    build = build_support_list(
        session=town.session, municipality_code=town.code, built_by="test", as_of=AS_OF
    )
    extract = extract_districts(
        session=town.session,
        municipality_code=town.code,
        build_id=build.id,
        districts=None,
        mode=ExtractMode.normal,
        principal=None,
        username="test",
    )
    page, pdf = tmp_path / "list.html", tmp_path / "list.pdf"
    write_export(extract, ExportFormat.html, page, municipality_name="テスト町")
    subprocess.run(
        [str(CHROMIUM), *CHROMIUM_ARGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
         page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    content = pdf.read_bytes()
    pages = re.findall(rb"/Type\s*/Page[^s]", content)
    assert len(pages) == 2  # 北町 and 南町, each on its own sheet
    boxes = {
        tuple(round(float(v)) for v in box.split()[2:4])
        for box in re.findall(rb"/MediaBox\s*\[([^\]]+)\]", content)
    }
    assert boxes == {A4_LANDSCAPE}
