"""Copies of a SQLite database, taken safely while it is open (SQLite's backup API).

A copy is written under a private temporary name, checked with SQLite's full
integrity check, and only then given its name: a backup that exists is a good one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from therapy_desk.files import private_folder, staged_file

#: Automatic pre-upgrade backups kept per database; older ones are removed.
KEEP_AUTOMATIC = 5
#: How many of the newest backups to try when looking for a good one.
LOOK_BACK = 10


class BackupFailed(RuntimeError):
    """The copy could not be made or did not pass its check; no file was left."""


#: SQLite's words for a file that is damaged, rather than out of reach.
DAMAGE = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})


def integrity_problems(path: Path, *, quick: bool = False) -> list[str]:
    """What SQLite's own check finds wrong with a database file ([] when sound).

    Opened read-only, so checking never writes to the file it checks. A file out of
    reach (permissions, busy, a failing disk) raises sqlite3.Error instead: that is no
    sign of damage.
    """
    pragma = "quick_check" if quick else "integrity_check"
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return [str(row[0]) for row in connection.execute(f"PRAGMA {pragma}") if row[0] != "ok"]
        finally:
            connection.close()
    except sqlite3.DatabaseError as problem:
        name = getattr(problem, "sqlite_errorname", "")
        if name in DAMAGE or type(problem) is sqlite3.DatabaseError:
            return [f"the file cannot be read as a database ({name or 'damaged'})"]
        raise


def backup_sqlite(
    source: Path, destination: Path, *, replace: bool = False, protect: Iterable[Path] = ()
) -> Path:
    """Copy `source` to `destination`, checked; raise BackupFailed if the copy is unsound."""
    private_folder(destination.parent)
    with staged_file(destination, replace=replace, protect=protect) as partial:
        try:
            src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
            try:
                dst = sqlite3.connect(partial)
                try:
                    src.backup(dst)
                    # One self-contained file: checking or copying it later leaves no
                    # -wal or -shm beside it (the app turns WAL back on when it opens it).
                    dst.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dst.close()
            finally:
                src.close()
        except sqlite3.Error as problem:
            from therapy_desk.db.faults import DiskFull, storage_fault

            if isinstance(storage_fault(problem), DiskFull):
                raise BackupFailed(
                    f"the backup did not fit: the disk is full at {destination.parent}. "
                    "Free some space or choose another drive; nothing was written"
                ) from None
            raise BackupFailed(
                f"the database could not be copied ({problem.sqlite_errorname}); "
                "nothing was written"
            ) from None
        problems = integrity_problems(partial)
        if problems:
            raise BackupFailed(
                f"the copy did not pass SQLite's integrity check ({problems[0]}), so it was "
                "not kept: the database itself may be damaged. Run `therapy-desk db check`"
            )
    return destination


def backups_folder(database: Path) -> Path:
    return database.parent / "backups"


def automatic_backup(source: Path, label: str) -> Path:
    """A timestamped copy in a `backups` folder beside the database; keeps the newest few."""
    folder = backups_folder(source)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    made = backup_sqlite(source, folder / f"{source.stem}-{label}-{stamp}.sqlite3")
    old = sorted(folder.glob(f"{source.stem}-{label}-*.sqlite3"))[:-KEEP_AUTOMATIC]
    for path in old:
        path.unlink(missing_ok=True)
    return made


def newest_good_backup(database: Path) -> Path | None:
    """The most recent backup of this database that passes SQLite's quick check."""
    folder = backups_folder(database)
    try:
        found = sorted(
            folder.glob(f"{database.stem}-*.sqlite3"),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
    except OSError:
        return None
    for candidate in found[:LOOK_BACK]:
        if not integrity_problems(candidate, quick=True):
            return candidate
    return None
