"""The registry tests' fixtures live in registry_rows (the welfare tests share them)."""

from registry_rows import counts, run_import

__all__ = ["counts", "run_import"]
