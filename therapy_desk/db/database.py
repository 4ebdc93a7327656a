"""An open database: engine, sessions, and the schema brought up to date on open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from therapy_desk.db import migrate
from therapy_desk.db.backup import automatic_backup
from therapy_desk.db.engine import make_engine
from therapy_desk.db.location import describe, sqlite_path


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
    def transaction(self) -> Iterator[Session]:
        """One user action: everything inside commits together or not at all."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    @property
    def file(self) -> Path | None:
        return sqlite_path(self.url)

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: URL, *, upgrade: bool = True) -> Database:
    """Open, and unless told not to, back up and upgrade an out-of-date schema."""
    engine = make_engine(url)
    database = Database(url, engine, sessionmaker(engine, expire_on_commit=False))
    try:
        revision = migrate.current_revision(engine)
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
            path = database.file
            if revision is not None and path is not None and path.exists():
                database.upgrade_backup = automatic_backup(path, "before-upgrade")
            migrate.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return database
