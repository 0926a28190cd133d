"""Slots other features plug their figures and map layers into (see docs/dashboard.md).

The dashboard does not read the tables of safety confirmation, shelter operations, damage,
certificates or housing itself: each of those features registers a provider here (typically
from its own package, wired once in sonae.main). A slot without a provider is shown as
未集計 ("not available yet"), never as zero: zero would claim that nobody is missing.

Providers are plain functions taking keyword arguments; they read, never write, and never
commit. They may return personal data only where the docstring says so: the dashboard applies
the role rules (counts only, small counts suppressed) and the audit itself.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Select
from sqlalchemy.orm import Session


class FigureSlot(enum.StrEnum):
    safety = "safety"
    shelters = "shelters"
    certificates = "certificates"
    housing = "housing"


FIGURE_SLOT_LABELS: dict[FigureSlot, str] = {
    FigureSlot.safety: "安否確認",
    FigureSlot.shelters: "避難所",
    FigureSlot.certificates: "罹災証明書",
    FigureSlot.housing: "応急仮設住宅",
}
NOT_AVAILABLE = "未集計"


@dataclass(frozen=True)
class FigureLine:
    """One line of a panel figure: "確認済 1,234 / 5,678 人"."""

    label: str
    value: int
    of: int | None = None
    unit: str = ""


class FigureProvider(Protocol):
    """Returns the lines of one panel figure for the municipality (and open event, if any)."""

    def __call__(
        self, *, session: Session, municipality_code: str, event_id: int | None
    ) -> list[FigureLine]: ...


@dataclass(frozen=True)
class SafetyCounts:
    """Safety confirmation in one chome: people confirmed (any outcome) out of people to check."""

    confirmed: int
    total: int


class SafetyByChomeProvider(Protocol):
    """chome key_code → SafetyCounts, for the 安否確認 choropleth."""

    def __call__(
        self, *, session: Session, municipality_code: str, event_id: int | None
    ) -> Mapping[str, SafetyCounts]: ...


@dataclass(frozen=True)
class ShelterStatus:
    """A shelter in operation: open or not, and how many people are staying now."""

    is_open: bool
    occupancy: int


class ShelterStatusProvider(Protocol):
    """shelter.id → ShelterStatus; shelters not in the mapping are shown with capacity only."""

    def __call__(
        self, *, session: Session, municipality_code: str, event_id: int | None
    ) -> Mapping[int, ShelterStatus]: ...


DWELLING_COLUMNS: tuple[str, ...] = (
    "dwelling_id",
    "household_number",
    "chome_key_code",
    "damage_level",
    "certificate_status",
    "support_status",
    "geometry",
)
"""The columns a DwellingProvider's select must label, in any order (see docs/dashboard.md)."""


class DwellingProvider(Protocol):
    """A select of surveyed dwellings with the DWELLING_COLUMNS labels (personal data level:
    one row per dwelling, geometry a POINT in EPSG:6668). The dashboard wraps it in its own
    SQL (counts per chome, vector tiles), so it must be a plain selectable, not executed."""

    def __call__(self, *, municipality_code: str, event_id: int | None) -> Select[Any]: ...


@dataclass
class ProviderRegistry:
    figures: dict[FigureSlot, FigureProvider]
    safety_by_chome: SafetyByChomeProvider | None = None
    shelter_status: ShelterStatusProvider | None = None
    dwellings: DwellingProvider | None = None
    version: int = 0
    """Bumped by every registration: a cached dashboard map from before is stale."""


REGISTRY = ProviderRegistry(figures={})


def register_figure(slot: FigureSlot, provider: FigureProvider) -> None:
    REGISTRY.figures[slot] = provider
    REGISTRY.version += 1


def register_safety_by_chome(provider: SafetyByChomeProvider | None) -> None:
    REGISTRY.safety_by_chome = provider
    REGISTRY.version += 1


def register_shelter_status(provider: ShelterStatusProvider | None) -> None:
    REGISTRY.shelter_status = provider
    REGISTRY.version += 1


def register_dwellings(provider: DwellingProvider | None) -> None:
    REGISTRY.dwellings = provider
    REGISTRY.version += 1


def unregister_all() -> None:
    """Back to no providers at all (tests)."""
    REGISTRY.figures.clear()
    REGISTRY.safety_by_chome = REGISTRY.shelter_status = REGISTRY.dwellings = None
    REGISTRY.version += 1
