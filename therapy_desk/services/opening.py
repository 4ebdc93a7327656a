"""Opening the clinic's database: migrations first, then the catalogue brought up to date."""

from __future__ import annotations

from therapy_desk.db.database import Database, open_database
from therapy_desk.db.location import resolve_url
from therapy_desk.services.catalogue import sync_builtin_exercises


def open_clinic(
    location: str | None = None, *, upgrade: bool = True, create: bool = False
) -> Database:
    """Open the database named by --db, the environment, or the default.

    Only the welcome screen, `demo` and `db init` pass `create`: anywhere else a path
    with nothing at it is a mistake to report (NoDatabase), not a new clinic to make.
    """
    database = open_database(resolve_url(location), upgrade=upgrade, create=create)
    try:
        with database.transaction() as session:
            sync_builtin_exercises(session)
    except BaseException:
        database.close()
        raise
    return database
