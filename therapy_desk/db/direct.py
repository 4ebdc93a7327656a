"""Plain DB-API connections, for the reads that must not wait for SQLAlchemy to load.

Start-up paints the caseload before the ORM is imported (its import alone costs more
than a whole bare Qt window; see docs/performance.md). It opens the database here,
checks the schema is the one this version writes, and reads the caseload rows with
plain SQL. Anything unusual answers None, and the caller takes the full path instead.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from therapy_desk.db.location import PlainLocation
from therapy_desk.db.revision import SCHEMA_HEAD

#: Milliseconds a read waits for a writer's lock (the same as the engine's).
BUSY_TIMEOUT_MS = 5000


@dataclass
class Direct:
    """A DB-API connection and the little needed to write portable SQL for it."""

    backend: str  # "sqlite" or "postgresql"
    connection: Any

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Execute SQL written with ``?`` placeholders; every row, as tuples."""
        if self.backend == "postgresql":
            sql = sql.replace("?", "%s")
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def day(self, value: date) -> Any:
        """A date as a parameter: SQLite keeps dates as ISO text, PostgreSQL as dates."""
        return value.isoformat() if self.backend == "sqlite" else value

    def key(self, value: uuid.UUID) -> Any:
        """A UUID key as a parameter: SQLAlchemy keeps it as 32 hex digits on SQLite."""
        return value.hex if self.backend == "sqlite" else value

    def close(self) -> None:
        self.connection.close()


def connect(location: PlainLocation) -> Direct | None:
    """Open the database if it exists and can be read; None otherwise (never creates it)."""
    try:
        if location.backend == "sqlite":
            if not Path(location.target).is_file():
                return None
            connection = sqlite3.connect(
                location.target, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
            return Direct("sqlite", connection)
        import psycopg

        return Direct("postgresql", psycopg.connect(location.target, connect_timeout=5))
    except Exception:  # any trouble is for the full path to explain
        return None


def schema_is_current(direct: Direct) -> bool:
    try:
        rows = direct.run("SELECT version_num FROM alembic_version")
    except Exception:
        _end_failed_transaction(direct)
        return False
    return rows == [(SCHEMA_HEAD,)]


def client_count(direct: Direct) -> int:
    return int(direct.run("SELECT count(*) FROM client")[0][0])


def _end_failed_transaction(direct: Direct) -> None:
    try:
        direct.connection.rollback()
    except Exception:
        pass
