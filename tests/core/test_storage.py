"""Database location, connection settings, migrations, backup and check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from therapy_desk.db import maintenance, migrate
from therapy_desk.db.database import SchemaError, open_database
from therapy_desk.db.location import ENV_VAR, resolve_url, to_url
from therapy_desk.domain import Base
from therapy_desk.files import OutputRefused
from therapy_desk.services.opening import open_clinic


def test_plain_path_becomes_sqlite_url(tmp_path: Path) -> None:
    url = to_url(str(tmp_path / "a.sqlite3"))
    assert url.get_backend_name() == "sqlite" and url.database == str(tmp_path / "a.sqlite3")


def test_url_choice_order(tmp_path: Path) -> None:
    env = {ENV_VAR: str(tmp_path / "env.sqlite3")}
    assert resolve_url(str(tmp_path / "x.sqlite3"), env).database == str(tmp_path / "x.sqlite3")
    assert resolve_url(None, env).database == str(tmp_path / "env.sqlite3")
    default = resolve_url(None, {}).database
    assert default is not None and default.endswith("therapy-desk.sqlite3")
    # The default lives in the (test-private) user data folder, never the working directory.
    assert str(Path.home()) in default


def test_postgres_url_gets_the_psycopg_driver() -> None:
    assert to_url("postgresql://u@h/db").drivername == "postgresql+psycopg"


@pytest.mark.parametrize("bad", ["", "   ", "mysql://u@h/db"])
def test_bad_locations_are_refused_with_a_reason(bad: str) -> None:
    with pytest.raises(ValueError, match="database|supported"):
        to_url(bad)


def test_sqlite_connections_are_configured(sqlite_clinic) -> None:
    with sqlite_clinic.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_revision_chain_is_linear_and_head_constant_is_current() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert len(script.get_heads()) == 1
    assert script.get_current_head() == migrate.SCHEMA_HEAD
    for revision in script.walk_revisions():
        assert revision.down_revision is None or isinstance(revision.down_revision, str)


# SQLite cannot reflect an index on an expression (the caseload's name order), so
# there it goes uncompared; PostgreSQL compares it.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_models_and_migrations_agree(clinic) -> None:
    with clinic.engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_open_refuses_a_database_from_a_newer_version(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    open_clinic(str(path), create=True).close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '29990101_0001'")
    before = path.read_bytes()
    with pytest.raises(SchemaError, match="newer Therapy Desk"):
        open_clinic(str(path))
    assert path.read_bytes() == before


def test_upgrade_backs_up_the_sqlite_file_first(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "old.sqlite3"
    open_clinic(str(path), create=True).close()
    # Pretend this build's head is newer than the file's revision.
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "pretend-newer")
    database = open_database(to_url(str(path)))
    database.close()
    assert database.upgrade_backup is not None and database.upgrade_backup.exists()
    assert database.upgrade_backup.parent == tmp_path / "backups"
    with sqlite3.connect(database.upgrade_backup) as copy:
        assert (
            copy.execute("SELECT version_num FROM alembic_version").fetchone()[0].startswith("2026")
        )


def test_open_without_upgrade_says_what_to_run(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "old.sqlite3"
    open_clinic(str(path), create=True).close()
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "pretend-newer")
    with pytest.raises(SchemaError, match="db upgrade"):
        open_database(to_url(str(path)), upgrade=False)


def test_check_and_backup(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    open_clinic(str(path), create=True).close()
    report = maintenance.check(to_url(str(path)))
    assert report.ok, report.lines()
    made = maintenance.backup(to_url(str(path)), tmp_path / "copy.sqlite3")
    with sqlite3.connect(made) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with pytest.raises(OutputRefused, match="already exists"):
        maintenance.backup(to_url(str(path)), made)


def test_check_reports_a_missing_schema(tmp_path: Path) -> None:
    path = tmp_path / "blank.sqlite3"
    with sqlite3.connect(path) as blank:
        blank.execute("CREATE TABLE t (x)")
        blank.execute("DROP TABLE t")
    report = maintenance.check(to_url(str(path)))
    assert not report.ok and "db init" in report.problems[0]


def test_check_on_postgres(clinic, backend) -> None:
    report = maintenance.check(clinic.url)
    assert report.ok, report.lines()


def test_migrations_keep_the_caseload_name_index(clinic) -> None:  # type: ignore[no-untyped-def]
    """Start-up reads the first clients by this index; batch mode once dropped it
    silently by copying the client table."""
    listing = (
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'client'"
        if clinic.url.get_backend_name() == "sqlite"
        else "SELECT indexname FROM pg_indexes WHERE tablename = 'client'"
    )
    with clinic.engine.connect() as connection:
        names = set(connection.execute(text(listing)).scalars())
    assert "ix_client_name_order" in names
