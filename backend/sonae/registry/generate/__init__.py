"""Synthetic resident registries and welfare files (no real person in them)."""
