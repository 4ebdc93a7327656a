"""An open database: engine, sessions, and the schema brought up to date on open.

Opening never creates a database unless asked to (`create=True`: the welcome screen,
`demo` and `db init`), refuses a file that is not a Therapy Desk database, and runs
SQLite's quick check before anything is written, so a damaged file is left as it is.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from therapy_desk.db import migrate
from therapy_desk.db.backup import automatic_backup, integrity_problems, newest_good_backup
from therapy_desk.db.engine import make_engine, writing
from therapy_desk.db.faults import (
    DamagedDatabase,
    NoDatabase,
    NotADatabase,
    StorageFault,
    storage_fault,
)
from therapy_desk.db.location import describe, sqlite_path
from therapy_desk.files import NOFOLLOW, PRIVATE_FILE, database_files, make_private, private_folder

#: `Session.info` key of the acting user, written on every row the transaction changes.
USER = "user"


class SchemaError(RuntimeError):
    """The database's schema cannot be used by this version of the app."""


@dataclass
class Database:
    url: URL
    engine: Engine
    sessions: sessionmaker[Session]
    #: The copy taken before this open upgraded the schema, if it did.
    upgrade_backup: Path | None = None

    @contextmanager
    def transaction(self, *, user: str | None = None) -> Iterator[Session]:
        """One user action: everything inside commits together or not at all.

        Storage trouble comes out as a `StorageFault` and a lost race as `Conflict`,
        never as a driver's error (whose text may quote a client's data).
        """
        session: Session | None = None
        try:
            with writing(), self.sessions.begin() as session:
                session.info[USER] = user
                yield session
        except Exception as error:
            raise self._explained(error, session) from error

    @contextmanager
    def reading(self) -> Iterator[Session]:
        session: Session | None = None
        try:
            with self.sessions() as session:
                yield session
        except Exception as error:
            raise self._explained(error, session) from error

    def _explained(self, error: Exception, session: Session | None) -> Exception:
        subject = session.info.get("subject") if session is not None else None
        if isinstance(error, StaleDataError) and session is not None:
            return self._lost_race(session.info.get("guarded"))
        return storage_fault(error, path=self.file, subject=subject) or error

    def _lost_race(self, guarded: Any) -> Exception:
        """The row changed between reading it and writing it: say who changed it."""
        from therapy_desk.services.errors import Conflict, NotFound
        from therapy_desk.services.records import conflict_over

        if guarded is None:
            return Conflict("record")
        model, record_id, what = guarded
        with self.sessions() as session:
            current = session.get(model, record_id)
            if current is None:
                return NotFound(f"This {what} was removed on another workstation meanwhile")
            return conflict_over(current, what=what)

    @property
    def file(self) -> Path | None:
        return sqlite_path(self.url)

    def close(self) -> None:
        self.engine.dispose()


def _stamp_user(session: Session, _context: Any, _instances: Any) -> None:
    from therapy_desk.domain.base import Record

    user = session.info.get(USER)
    if user:
        for record in (*session.new, *session.dirty):
            if isinstance(record, Record):
                record.edited_by = user


def open_database(url: URL, *, upgrade: bool = True, create: bool = False) -> Database:
    """Open, and unless told not to, back up and upgrade an out-of-date schema.

    Raises NoDatabase (nothing there and `create` not given), NotADatabase,
    DamagedDatabase or SchemaError; none of them writes anything.
    """
    path = sqlite_path(url)
    if path is not None:
        prepare_sqlite_file(path, create=create)
    engine = make_engine(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    event.listen(sessions, "before_flush", _stamp_user)
    database = Database(url, engine, sessions)
    try:
        revision = migrate.current_revision(engine)
        if revision is None and path is None:
            with engine.connect() as connection:
                tables = sorted(inspect(connection).get_table_names())
            _refuse_foreign(Path(describe(url)), tables, create=create)
        if revision != migrate.SCHEMA_HEAD:
            if revision is not None and not migrate.is_known(engine, revision):
                raise SchemaError(
                    f"{describe(url)} was written by a newer Therapy Desk (schema {revision}); "
                    "install the newer version to open it"
                )
            if not upgrade:
                raise SchemaError(
                    f"{describe(url)} needs a schema upgrade; run `therapy-desk db upgrade`"
                )
            if revision is not None and path is not None and path.exists():
                database.upgrade_backup = automatic_backup(path, "before-upgrade")
            migrate.upgrade(engine)
    except StorageFault:
        engine.dispose()
        raise
    except Exception as error:
        engine.dispose()
        raise storage_fault(error, path=path) or error from error
    except BaseException:
        engine.dispose()
        raise
    if path is not None:
        for file in database_files(path):
            make_private(file)
    return database


def _refuse_foreign(where: Path, tables: list[str], *, create: bool) -> None:
    """A database without our schema: a new one to set up, or someone else's."""
    if tables:
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise NotADatabase(where, f"a database of another program (its tables: {shown})")
    if not create:
        raise NotADatabase(
            where, "an empty database with no clinic in it yet (`therapy-desk db init` sets one up)"
        )


def prepare_sqlite_file(path: Path, *, create: bool) -> None:
    """Make sure `path` is a sound SQLite file, or create a private empty one if asked."""
    if path.is_dir():
        raise NotADatabase(path, "a folder")
    if not path.exists():
        if not create:
            raise NoDatabase(path)
        private_folder(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, PRIVATE_FILE)
        os.close(fd)
        return
    what = file_kind(path)
    if what is not None:
        raise NotADatabase(path, what)
    try:
        damaged = bool(integrity_problems(path, quick=True))
        tables = [] if damaged else sqlite_tables(path)
    except sqlite3.Error as problem:
        raise storage_fault(problem, path=path) or problem from None
    if damaged:
        raise DamagedDatabase(path, backup=newest_good_backup(path))
    if "alembic_version" not in tables:
        _refuse_foreign(path, tables, create=create)


def sqlite_tables(path: Path) -> list[str]:
    """The tables in a SQLite file, read without writing to it."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return sorted(str(row[0]) for row in rows)
    finally:
        connection.close()


SQLITE_HEADER = b"SQLite format 3\x00"


def file_kind(path: Path) -> str | None:
    """None for a SQLite database; otherwise what the file seems to be, in plain words."""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as problem:
        return f"a file that cannot be read ({problem.strerror})"
    if head.startswith(SQLITE_HEADER):
        return None
    if not head:
        return "an empty file (0 bytes)"
    stripped = head.lstrip()
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive (perhaps a word-processor or spreadsheet document)"
    if stripped[:1] in (b"{", b"["):
        return "a JSON file (a client record file is read with `therapy-desk import`)"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "a file of another kind, not a database"
    return "a text file"
