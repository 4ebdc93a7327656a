"""Copies of a SQLite database, taken safely while it is open (SQLite's backup API)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

#: Automatic pre-upgrade backups kept per database; older ones are removed.
KEEP_AUTOMATIC = 5


def backup_sqlite(source: Path, destination: Path) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.exists():
        raise FileExistsError(f"{destination} already exists; choose another name")
    partial = destination.with_name(destination.name + ".partial")
    with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
        src.backup(dst)
    dst.close()
    src.close()
    partial.replace(destination)
    return destination


def automatic_backup(source: Path, label: str) -> Path:
    """A timestamped copy in a `backups` folder beside the database; keeps the newest few."""
    folder = source.parent / "backups"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    made = backup_sqlite(source, folder / f"{source.stem}-{label}-{stamp}.sqlite3")
    old = sorted(folder.glob(f"{source.stem}-{label}-*.sqlite3"))[:-KEEP_AUTOMATIC]
    for path in old:
        path.unlink(missing_ok=True)
    return made
