"""Districts: the town a chome belongs to, its name without the 丁目 number.

Kept apart from the chome importer (chome.service, which brings geopandas) for what needs only
the naming rule or the list: safety tasks, the support list and its extracts, user accounts.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.chome.models import Chome

CHOME_SUFFIX = re.compile(r"[0-9０-９一二三四五六七八九十]+丁目$")


def district_of(chome_name: str) -> str:
    """The district (town) a chome belongs to: its name without the 丁目 number.

    当代島一丁目 → 当代島. Support partners (民生委員, 自主防災組織) work by such districts.
    """
    return CHOME_SUFFIX.sub("", chome_name) or chome_name


def districts(*, session: Session, municipality_code: str) -> set[str]:
    """Every district of the municipality (its towns, from the chome layer)."""
    names = session.scalars(select(Chome.name).where(Chome.municipality_code == municipality_code))
    return {district_of(name) for name in names}
