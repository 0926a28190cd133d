"""Synthetic resident registries and welfare files (no real person in them)."""

from datetime import date

DEFAULT_AS_OF = date(2026, 11, 1)
"""The date a generated registry describes. Here, not in run.py, so that the CLI can show it
without importing the generator (numpy, faker)."""
