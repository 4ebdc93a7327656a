"""Where the data lives: one database URL decides the backend.

Order of choice: an explicit URL or path (``--db``), then ``THERAPY_DESK_DB``,
then a file in the platform's user data folder. Nothing is resolved at import, and
SQLAlchemy is loaded only when a URL is asked for: start-up reads the caseload
before it (see `plain_location`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

ENV_VAR = "THERAPY_DESK_DB"
APP_NAME = "therapy-desk"
DEFAULT_FILE = "therapy-desk.sqlite3"
#: The demo clinic's own file in the user data folder, kept apart from the real clinic
#: (the welcome screen and `therapy-desk demo` without --db both build it there).
DEMO_FILE = "demo-clinic.sqlite3"


def user_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def demo_location_text(
    explicit: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """``--db``, else the environment, else the demo clinic's own file (never the default)."""
    environ = os.environ if environ is None else environ
    return explicit or environ.get(ENV_VAR) or str(user_data_dir() / DEMO_FILE)


def location_text(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``--db``, else the environment, else the default file, as the user wrote it."""
    environ = os.environ if environ is None else environ
    return explicit or environ.get(ENV_VAR) or str(user_data_dir() / DEFAULT_FILE)


def resolve_url(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> URL:
    """Turn ``--db``, the environment or the default into a SQLAlchemy URL."""
    return to_url(location_text(explicit, environ))


@dataclass(frozen=True)
class PlainLocation:
    """A database location read without SQLAlchemy: a SQLite file or a PostgreSQL URI."""

    backend: str  # "sqlite" or "postgresql"
    #: The file for SQLite; a libpq connection URI for PostgreSQL.
    target: str


def plain_location(text: str) -> PlainLocation | None:
    """The common spellings of a location, understood without loading SQLAlchemy.

    None for anything unusual (in-memory, driver options, other backends): the caller
    then takes the full path through `to_url`, which explains what is wrong.
    """
    text = text.strip()
    if not text:
        return None
    if "://" not in text:
        return PlainLocation("sqlite", str(Path(text).expanduser().resolve()))
    scheme, _, rest = text.partition("://")
    if scheme == "sqlite" and rest.startswith("/") and "?" not in rest and len(rest) > 1:
        return PlainLocation("sqlite", rest[1:])
    if scheme in ("postgresql", "postgresql+psycopg"):
        return PlainLocation("postgresql", f"postgresql://{rest}")
    return None


def describe_plain(location: PlainLocation) -> str:
    """What `describe` would say of the same location, password hidden, without SQLAlchemy."""
    if location.backend == "sqlite":
        return f"sqlite:///{location.target}"
    from urllib.parse import parse_qsl, urlencode, urlsplit

    parts = urlsplit(location.target)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = netloc.replace(f":{parts.password}@", ":***@", 1)
    options = [
        (k, "***" if k.lower() in SECRET_OPTIONS else v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    query = urlencode(options, safe="*")
    return parts._replace(scheme="postgresql+psycopg", netloc=netloc, query=query).geturl()


def to_url(text: str) -> URL:
    """A plain path becomes a SQLite URL; anything with ``://`` is taken as a URL."""
    from sqlalchemy.engine import URL, make_url

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


#: Connection options that carry a secret, hidden wherever a URL is shown.
SECRET_OPTIONS = frozenset({"password", "sslpassword", "passfile", "sslkey"})


def describe(url: URL) -> str:
    """The URL as safe to print: no password, in the user part or the options."""
    hidden = {k: "***" for k in url.query if k.lower() in SECRET_OPTIONS}
    if hidden:
        url = url.update_query_dict(hidden)
    return url.render_as_string(hide_password=True).replace("%2A%2A%2A", "***")
