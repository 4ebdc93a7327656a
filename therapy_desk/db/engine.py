"""Engines with the connection settings each backend needs.

Every engine hides statement parameters: an error's text then never carries a value
from a client's record (names, notes) into a message, a log or a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL

#: Milliseconds a writer waits for another connection's lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 5000
#: PostgreSQL: how long a statement waits for a row another session holds, and how long
#: any one statement may run, before it is cancelled and the user told it is busy.
PG_LOCK_TIMEOUT_MS = 5000
PG_STATEMENT_TIMEOUT_MS = 300_000
#: Seconds to wait for a PostgreSQL server to answer a new connection.
PG_CONNECT_TIMEOUT_S = 10

#: Set while a transaction that will write is being begun: SQLite then takes the write
#: lock at BEGIN, so a second writer waits for the first to commit and then reads what
#: it wrote (and sees a conflict), instead of failing on a stale snapshot half-way.
_WRITING: ContextVar[bool] = ContextVar("writing", default=False)


@contextmanager
def writing() -> Iterator[None]:
    token = _WRITING.set(True)
    try:
        yield
    finally:
        _WRITING.reset(token)


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        # The app reads on worker threads; the pool still hands each connection
        # to one thread at a time, so sqlite3's same-thread guard is only in the way.
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    options = f"-c lock_timeout={PG_LOCK_TIMEOUT_MS} -c statement_timeout={PG_STATEMENT_TIMEOUT_MS}"
    return create_engine(
        url,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args={"options": options, "connect_timeout": PG_CONNECT_TIMEOUT_S},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy emits BEGIN itself (see _sqlite_begin); pysqlite's own implicit BEGIN
    # would come too late for BEGIN IMMEDIATE and skips DDL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # WAL lets the GUI read while a save is writing; FULL makes a commit survive
        # a power cut, which a desktop can afford (0.4 ms a commit, see docs/performance.md).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _WRITING.get() else "BEGIN")
