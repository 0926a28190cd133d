"""What an import did, in counts and report lines (no personal data beyond 宛名番号)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sonae.registry.problems import ReportLine


@dataclass(frozen=True)
class RegistryImportResult:
    file: str
    kind: str
    """full | changes"""
    encoding: str
    rows: int
    """data rows in the file"""
    accepted: int
    inserted: int
    updated: int
    unchanged: int
    erased: int
    """held residents no longer in a full file, marked erased"""
    history: int
    my_numbers: int
    """personal numbers sealed and stored (unchanged ones are not rewritten)"""
    geocoded: dict[str, int]
    """people written, by geocode status"""
    import_id: int
    report: list[ReportLine] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return self.rows - self.accepted

    @property
    def placed(self) -> int:
        return sum(n for status, n in self.geocoded.items() if status != "unmatched")

    @property
    def match_rate(self) -> float:
        total = sum(self.geocoded.values())
        return self.placed / total if total else 1.0

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "erased": self.erased,
            "history": self.history,
            "my_numbers": self.my_numbers,
            **{f"geocoded_{k}": v for k, v in self.geocoded.items()},
        }

    def describe(self) -> list[str]:
        lines = [
            f"{self.file}: {self.kind} file ({self.encoding}), {self.rows} rows, "
            f"{self.accepted} imported, {self.rejected} rejected",
            f"people: {self.inserted} new, {self.updated} updated, {self.unchanged} unchanged"
            + (f", {self.erased} no longer in the registry (marked erased)" if self.erased else ""),
            f"history entries: {self.history}; personal numbers stored: {self.my_numbers}",
            f"geocoding: {self.match_rate:.1%} placed "
            f"({self.geocoded.get('address_point', 0)} at a town point, "
            f"{self.geocoded.get('chome', 0)} at a chome point, "
            f"{self.geocoded.get('unmatched', 0)} unmatched)",
        ]
        if self.ignored_columns:
            lines.append(f"columns ignored (not in the format): {', '.join(self.ignored_columns)}")
        return lines
