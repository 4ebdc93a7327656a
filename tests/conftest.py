"""Shared test setup: headless Qt, and a fresh clinic database per test on each backend.

SQLite: a template is migrated once per session and copied for each test.
PostgreSQL: a throwaway database is created once per session and emptied between
tests. Locally, PostgreSQL tests skip with the reason when no server answers;
under CI=true they fail instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

#: Every GUI test runs on the smallest screen the app supports: a 1280×720 laptop
#: (tests/small_screen.json; see tests/ui/test_fits_screen.py).
SMALL_SCREEN = Path(__file__).with_name("small_screen.json")
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SMALL_SCREEN}"
os.environ.pop("THERAPY_DESK_DB", None)

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import URL, make_url  # noqa: E402

from therapy_desk import words  # noqa: E402
from therapy_desk.db.database import Database  # noqa: E402
from therapy_desk.services.opening import open_clinic  # noqa: E402

# Screens and handouts are compared with fixed text; the house locale makes that text the
# same on every machine (tests/core/test_words.py covers the other locales).
words.use_locale(words.HOUSE_LOCALE)

PG_ADMIN_URL = os.environ.get(
    "THERAPY_DESK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--long",
        action="store_true",
        default=False,
        help="run the long versions of the reliability tests (e.g. 100 kills per operation)",
    )


@pytest.fixture(autouse=True)
def _private_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may touch the real user data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("THERAPY_DESK_DB", raising=False)
    # Every test acts as "tester", as a script names who acts (the tests of asking for
    # a name take this away).
    monkeypatch.delenv("THERAPY_DESK_USER", raising=False)
    monkeypatch.setenv("THERAPY_DESK_CLINICIAN", "tester")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_clinic(str(path), create=True).close()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[URL]:
    admin = make_url(PG_ADMIN_URL)
    try:
        engine = create_engine(
            admin, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with engine.connect() as connection:
            name = f"therapy_desk_test_{uuid.uuid4().hex[:10]}"
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as problem:  # no server, no driver, no rights
        reason = (
            f"PostgreSQL not reachable at {admin.render_as_string()}: {problem.__class__.__name__}"
        )
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)")
        pytest.skip(reason)
    url = admin.set(database=name)
    open_clinic(url.render_as_string(hide_password=False), create=True).close()
    yield url
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _empty_postgres(url: URL) -> None:
    from therapy_desk.domain import Base

    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of a migrated, empty clinic database on the chosen backend."""
    if backend == "sqlite":
        path = tmp_path / "clinic.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return str(path)
    url: URL = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url.render_as_string(hide_password=False)


@pytest.fixture
def clinic(database_url: str) -> Iterator[Database]:
    database = open_clinic(database_url)
    yield database
    database.close()


@pytest.fixture
def sqlite_clinic(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """SQLite only: for tests of behaviour that does not depend on the backend."""
    path = tmp_path / "clinic.sqlite3"
    shutil.copy(sqlite_template, path)
    database = open_clinic(str(path))
    yield database
    database.close()
