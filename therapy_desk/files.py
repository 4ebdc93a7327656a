"""Writing the user's files safely: all of the file or none of it."""

from __future__ import annotations

from pathlib import Path


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary name beside the target, then rename: a half-written
    file (disk full, crash) never takes the target's name. Raises OSError."""
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
