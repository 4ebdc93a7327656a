"""`therapy-desk db …`: upgrade, check and back up a database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL

from therapy_desk.db import migrate
from therapy_desk.db.backup import automatic_backup, backup_sqlite
from therapy_desk.db.database import open_database
from therapy_desk.db.engine import make_engine
from therapy_desk.db.location import describe, sqlite_path


def upgrade(url: URL) -> tuple[str | None, str, Path | None]:
    """(revision before, revision after, backup taken first)."""
    engine = make_engine(url)
    try:
        before = migrate.current_revision(engine)
    finally:
        engine.dispose()
    database = open_database(url, upgrade=True)
    database.close()
    return before, migrate.SCHEMA_HEAD, database.upgrade_backup


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
            f"Schema:   {self.revision or 'empty'} (this version expects {self.head})",
        ]
        out += [f"Problem:  {p}" for p in self.problems] or ["Result:   no problems found"]
        return out


def check(url: URL) -> CheckReport:
    """Integrity and schema version, without changing anything."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return CheckReport(
            describe(url), "sqlite", None, migrate.SCHEMA_HEAD, [f"{path} does not exist yet"]
        )
    engine = make_engine(url)
    try:
        revision = migrate.current_revision(engine)
        report = CheckReport(describe(url), url.get_backend_name(), revision, migrate.SCHEMA_HEAD)
        if revision is None:
            report.problems.append("no Therapy Desk schema; run `therapy-desk db upgrade`")
        elif revision != migrate.SCHEMA_HEAD:
            known = migrate.is_known(engine, revision)
            report.problems.append(
                "schema is older than this version; run `therapy-desk db upgrade`"
                if known
                else "schema is newer than this version; update Therapy Desk"
            )
        if url.get_backend_name() == "sqlite":
            with engine.connect() as connection:
                for (line,) in connection.execute(text("PRAGMA integrity_check")):
                    if line != "ok":
                        report.problems.append(f"integrity: {line}")
                for row in connection.execute(text("PRAGMA foreign_key_check")):
                    report.problems.append(
                        f"broken link: a row of {row[0]} names a missing {row[2]}"
                    )
        else:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        return report
    finally:
        engine.dispose()


def backup(url: URL, destination: Path | None) -> Path:
    path = sqlite_path(url)
    if path is None:
        raise ValueError("db backup copies SQLite files; back up a PostgreSQL server with pg_dump")
    if not path.exists():
        raise ValueError(f"{path} does not exist; nothing to back up")
    if destination is None:
        return automatic_backup(path, "manual")
    return backup_sqlite(path, destination)
