"""Sonae (備え): disaster-response system for Japanese municipalities."""

__version__ = "0.1.0"
