"""Where the data lives: one database URL decides the backend.

Order of choice: an explicit URL or path (``--db``), then ``THERAPY_DESK_DB``,
then a file in the platform's user data folder. Nothing is resolved at import.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import URL, make_url

ENV_VAR = "THERAPY_DESK_DB"
APP_NAME = "therapy-desk"
DEFAULT_FILE = "therapy-desk.sqlite3"


def user_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_url(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> URL:
    """Turn ``--db``, the environment or the default into a SQLAlchemy URL."""
    environ = os.environ if environ is None else environ
    text = explicit or environ.get(ENV_VAR) or str(user_data_dir() / DEFAULT_FILE)
    return to_url(text)


def to_url(text: str) -> URL:
    """A plain path becomes a SQLite URL; anything with ``://`` is taken as a URL."""
    text = text.strip()
    if not text:
        raise ValueError("the database location is empty; give a file path or a URL")
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))
    url = make_url(text)
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(
            f"'{url.get_backend_name()}' databases are not supported; "
            "use a file path, sqlite:///PATH or postgresql+psycopg://…"
        )
    return url


def sqlite_path(url: URL) -> Path | None:
    """The database file of a SQLite URL, or None for a server or in-memory database."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def describe(url: URL) -> str:
    """The URL as safe to print: no password."""
    return url.render_as_string(hide_password=True)
