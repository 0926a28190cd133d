"""The printable certificate: a PDF in Japanese with an embedded subset of an OS Japanese font.

fpdf2 (pure Python, on fontTools) embeds only the glyphs used, so a one-page certificate with
IPAex Mincho is tens of kilobytes and prints the same on any PC, with no viewer-side font.
The font comes from Debian's fonts-ipaexfont-mincho (backend/scripts/os-deps.sh); another TTF
can be named with SONAE_CERTIFICATE_FONT.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF

from sonae.certificate.template import render
from sonae.errors import ServiceUnavailableError

FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-mincho.ttf"),
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"),
)


def font_path() -> Path:
    configured = os.environ.get("SONAE_CERTIFICATE_FONT")
    candidates = (Path(configured),) if configured else FONT_CANDIDATES
    for path in candidates:
        if path.is_file():
            return path
    raise ServiceUnavailableError(
        "no Japanese font for certificates: install fonts-ipaexfont-mincho "
        "(backend/scripts/os-deps.sh runtime) or set SONAE_CERTIFICATE_FONT to a TTF file"
    )


@dataclass(frozen=True)
class PrintedCertificate:
    title: str
    body: str
    issuer: str
    values: dict[str, str]
    issued_on: date


def render_pdf(certificate: PrintedCertificate) -> bytes:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title(render(certificate.title, certificate.values))
    pdf.set_creator("Sonae")
    pdf.add_font("jp", fname=str(font_path()))
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    pdf.set_font("jp", size=22)
    pdf.cell(
        0,
        16,
        render(certificate.title, certificate.values),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(8)
    pdf.set_font("jp", size=12)
    for line in render(certificate.body, certificate.values).splitlines():
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font("jp", size=14)
    pdf.cell(0, 10, render(certificate.issuer, certificate.values), align="R")
    return bytes(pdf.output())
