"""What leaves the support list: consent, district extracts and their export files."""
