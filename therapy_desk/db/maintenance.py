"""`therapy-desk db …`: set up, upgrade, check, back up and restore a database."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL

from therapy_desk import words
from therapy_desk.db import migrate
from therapy_desk.db.backup import (
    automatic_backup,
    backup_sqlite,
    integrity_problems,
    newest_good_backup,
)
from therapy_desk.db.database import file_kind, open_database
from therapy_desk.db.engine import make_engine
from therapy_desk.db.faults import NoDatabase, StorageFault, storage_fault
from therapy_desk.db.location import describe, sqlite_path
from therapy_desk.files import database_files


def init(url: URL) -> None:
    """A new, empty clinic database; refuses a path that already holds something."""
    path = sqlite_path(url)
    if path is not None and (path.exists() or path.is_symlink()):
        raise StorageFault(
            f"{path} already exists; `db init` only sets up a new database. "
            "Open it as it is, or choose a new file name"
        )
    open_database(url, create=True).close()


def upgrade(url: URL) -> tuple[str | None, str, Path | None]:
    """(revision before, revision after, backup taken first)."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise NoDatabase(path)
    before = _revision(url) if path is None or file_kind(path) is None else None
    database = open_database(url, upgrade=True)
    database.close()
    return before, migrate.SCHEMA_HEAD, database.upgrade_backup


def _revision(url: URL) -> str | None:
    engine = make_engine(url)
    try:
        return migrate.current_revision(engine)
    except Exception as error:
        raise storage_fault(error, path=sqlite_path(url)) or error from error
    finally:
        engine.dispose()


@dataclass
class CheckReport:
    database: str
    backend: str
    revision: str | None
    head: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        out = [
            f"Database: {self.database} ({self.backend})",
            f"Schema:   {self.revision or 'none'} (this version expects {self.head})",
        ]
        out += [f"Problem:  {p}" for p in self.problems] or ["Result:   no problems found"]
        return out


def check(url: URL) -> CheckReport:
    """Integrity and schema version, without changing or creating anything."""
    path = sqlite_path(url)
    if path is not None:
        problem = _sqlite_file_problem(path)
        if problem is not None:
            return CheckReport(describe(url), "sqlite", None, migrate.SCHEMA_HEAD, [problem])
    engine = make_engine(url)
    try:
        revision = migrate.current_revision(engine)
        report = CheckReport(describe(url), url.get_backend_name(), revision, migrate.SCHEMA_HEAD)
        if revision is None:
            report.problems.append(
                "no Therapy Desk schema; set up a new clinic with `therapy-desk db init`"
            )
        elif revision != migrate.SCHEMA_HEAD:
            known = migrate.is_known(engine, revision)
            report.problems.append(
                "schema is older than this version; run `therapy-desk db upgrade`"
                if known
                else "schema is newer than this version; update Therapy Desk"
            )
        if path is not None:
            report.problems += _sqlite_problems(path)
        else:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        return report
    except Exception as error:
        raise storage_fault(error, path=path) or error from error
    finally:
        engine.dispose()


def _sqlite_file_problem(path: Path) -> str | None:
    if not path.exists():
        return f"no clinic database at {path}"
    if path.is_dir():
        return f"{path} is a folder, not a database"
    what = file_kind(path)
    if what is not None:
        return f"{path} is not a Therapy Desk database: it is {what}"
    try:
        damage = integrity_problems(path)
    except sqlite3.Error as error:
        raise storage_fault(error, path=path) or error from None
    if damage:
        good = newest_good_backup(path)
        advice = (
            f"restore the newest good backup ({good}) with `therapy-desk db restore`"
            if good
            else "no good backup was found beside it"
        )
        return f"damaged: {damage[0]} ({words.count(len(damage), 'problem')}); {advice}"
    return None


def _sqlite_problems(path: Path) -> list[str]:
    """Links that point nowhere, read without writing to the file."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [
            f"broken link: a row of {row[0]} names a missing {row[2]}"
            for row in connection.execute("PRAGMA foreign_key_check")
        ]
    finally:
        connection.close()


def backup(url: URL, destination: Path | None, *, replace: bool = False) -> Path:
    path = sqlite_path(url)
    if path is None:
        raise StorageFault(
            "db backup copies SQLite files; back up a PostgreSQL server with pg_dump"
        )
    problem = _sqlite_file_problem(path)
    if problem is not None:
        raise StorageFault(f"nothing was backed up: {problem}")
    if destination is None:
        return automatic_backup(path, "manual")
    return backup_sqlite(path, destination, replace=replace, protect=database_files(path))


@dataclass(frozen=True)
class Restored:
    database: Path
    backup: Path
    #: Where the file that was replaced now is (kept, never deleted).
    set_aside: Path | None


def restore(url: URL, source: Path | None, *, force: bool = False) -> Restored:
    """Put a good backup in the database's place; the file it replaces is kept aside.
    A sound database is replaced only with `force`: a restore loses what came after."""
    path = sqlite_path(url)
    if path is None:
        raise StorageFault("db restore is for SQLite files; restore PostgreSQL with pg_restore")
    if not force and path.is_file() and _sqlite_file_problem(path) is None:
        raise StorageFault(
            f"{path} is not damaged, and a restore would lose every change made since the "
            "backup; add --force to restore it all the same"
        )
    if source is None:
        source = newest_good_backup(path)
        if source is None:
            raise StorageFault(
                f"no good backup of {path} was found in {path.parent / 'backups'}; "
                "name one with --from FILE"
            )
    elif not source.is_file() or file_kind(source) is not None:
        raise StorageFault(f"{source} is not a backup of a Therapy Desk database")
    if integrity_problems(source):
        raise StorageFault(f"{source} is damaged too; name another backup with --from FILE")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside: Path | None = None
    if path.exists():
        aside = path.with_name(f"{path.name}.damaged-{stamp}")
        for file in database_files(path):
            if file.exists():
                os.replace(file, file.with_name(file.name.replace(path.name, aside.name, 1)))
    backup_sqlite(source, path)
    return Restored(path, source, aside)
