"""The welfare tests import a registry first: fixtures from registry_rows."""

from registry_rows import counts, run_import

__all__ = ["counts", "run_import"]
