"""Files of personal data written for an operator (notice letters, support lists, reports):
readable by their owner only (0600), like the My Number key. The default umask would leave them
0644, readable by every account on the machine."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_MODE = 0o600


def private_opener(path: str, flags: int) -> int:
    """For open(..., opener=private_opener): created 0600, and an existing file made 0600 too
    (os.open's mode applies only when it creates the file)."""
    descriptor = os.open(path, flags, PRIVATE_MODE)
    os.fchmod(descriptor, PRIVATE_MODE)
    return descriptor


def write_private(path: Path, content: bytes) -> None:
    with open(path, "wb", opener=private_opener) as handle:
        handle.write(content)
