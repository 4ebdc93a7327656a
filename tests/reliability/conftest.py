"""Databases for the kill -9 loop: fresh ones made fast from templates, on either backend.

SQLite: a template file is copied. PostgreSQL: ``CREATE DATABASE … TEMPLATE``, each
database dropped WITH (FORCE) when its test ends. Locally the PostgreSQL cases skip
with the reason when no server answers; under CI=true they fail (as in tests/conftest).
Also here: the children's environment, the CLI run in a fork, and the summary printed
at the end of the run (one line per backend and operation).
"""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from tests.conftest import IN_CI, PG_ADMIN_URL
from tests.reliability.kill import Timing

#: Environment variable that fixes the kill loop's random seed (printed on every run).
SEED_VAR = "THERAPY_DESK_KILL_SEED"
#: Clients in the clinic every operation but `demo` works on.
CLINIC_CLIENTS = 80
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def cli(*words: str) -> list[str]:
    """The command line as a user runs it, in a fresh interpreter."""
    return [sys.executable, "-m", "therapy_desk.cli", *words]


def child_env(home: Path, tmp: Path) -> dict[str, str]:
    """The children's environment: a private home and temporary folder we can watch."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THERAPY_DESK_")}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        TMPDIR=str(tmp),
        THERAPY_DESK_USER="kill-test",
    )
    return env


def run_cli(
    env: dict[str, str], *words: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(*words), env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def must(done: subprocess.CompletedProcess[str], what: str) -> None:
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        raise AssertionError(f"{what} failed ({done.returncode}): {' / '.join(tail)[:600]}")


_MAKE_EMPTY: list[str] = []


def make_empty(env: dict[str, str], url: str) -> None:
    """A migrated, empty clinic database at `url`, made by the command line: `db init`
    where there is one, else `db upgrade` (which made new databases before `db init`)."""
    if _MAKE_EMPTY:
        must(run_cli(env, "--db", url, "db", _MAKE_EMPTY[0]), f"db {_MAKE_EMPTY[0]}")
        return
    done = run_cli(env, "--db", url, "db", "init")
    if done.returncode == 0:
        _MAKE_EMPTY.append("init")
        return
    if "invalid choice" not in done.stderr:
        must(done, "db init")
    must(run_cli(env, "--db", url, "db", "upgrade"), "db upgrade")
    _MAKE_EMPTY.append("upgrade")


def cli_in_fork(env: dict[str, str], *words: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `therapy-desk WORDS`, run by the CLI's `main` in a
    fork of this process: a fresh process, as from the shell, without paying for the
    interpreter's start and the imports each time."""
    from therapy_desk.cli import main

    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile() as err:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            status = 70
            try:
                os.close(read)
                os.environ.clear()
                os.environ.update(env)
                out, sys.stderr = io.StringIO(), io.StringIO()
                try:
                    status = main(list(words), out=out)
                except SystemExit as stop:
                    status = stop.code if isinstance(stop.code, int) else 2
                except BaseException:
                    sys.stderr.write(traceback.format_exc())
                    status = 70
                view = memoryview(out.getvalue().encode())
                while view:
                    view = view[os.write(write, view) :]
                os.write(err.fileno(), sys.stderr.getvalue().encode())
            finally:
                os._exit(status)
        os.close(write)
        chunks = []
        while chunk := os.read(read, 1 << 16):
            chunks.append(chunk)
        os.close(read)
        _, code = os.waitpid(pid, 0)
        err.seek(0)
        return (
            os.waitstatus_to_exitcode(code),
            b"".join(chunks).decode(),
            err.read().decode(errors="replace"),
        )


def engine_for(url: str) -> Engine:
    """A pool-less engine for the test's own reads (no connection outlives a check)."""
    if "://" not in url:
        return create_engine(f"sqlite:///{url}", poolclass=NullPool)
    return create_engine(url, poolclass=NullPool)


class Databases:
    """Fresh clinic databases on one backend, made from templates."""

    backend: str

    def clone(self, template: str, label: str) -> str:
        raise NotImplementedError

    def drop(self, url: str) -> None:
        raise NotImplementedError

    def files(self, url: str) -> list[Path]:
        """The files that make up a SQLite database ([] on PostgreSQL)."""
        return []

    def name(self, url: str) -> str:
        raise NotImplementedError


class SqliteDatabases(Databases):
    backend = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def new_url(self, label: str) -> str:
        return str(self.folder / f"{label}-{uuid.uuid4().hex[:8]}.sqlite3")

    def clone(self, template: str, label: str) -> str:
        url = self.new_url(label)
        for suffix in ("", "-wal"):
            source = Path(template + suffix)
            if source.exists():
                shutil.copyfile(source, url + suffix)
        return url

    def drop(self, url: str) -> None:
        for path in self.files(url):
            path.unlink(missing_ok=True)

    def files(self, url: str) -> list[Path]:
        return [Path(url + suffix) for suffix in ("", *SQLITE_COMPANIONS)]

    def name(self, url: str) -> str:
        return Path(url).name


class PostgresDatabases(Databases):
    backend = "postgresql"

    def __init__(self, admin: Engine) -> None:
        self.admin = admin
        self.made: list[str] = []

    def new_url(self, label: str) -> str:
        name = f"td_kill_{uuid.uuid4().hex[:10]}_{label.replace('-', '_')}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.made.append(name)
        return self._url(name)

    def _url(self, name: str) -> str:
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def clone(self, template: str, label: str) -> str:
        name = f"td_kill_{uuid.uuid4().hex[:10]}_{label.replace('-', '_')}"
        source = self.name(template)
        for attempt in range(100):  # the template's last user may still be leaving
            try:
                with self.admin.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
                break
            except OperationalError as problem:
                if "being accessed by other users" not in str(problem) or attempt == 99:
                    raise
                time.sleep(0.05)
        self.made.append(name)
        return self._url(name)

    def drop(self, url: str) -> None:
        name = self.name(url)
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.made:
            self.made.remove(name)

    def name(self, url: str) -> str:
        return str(make_url(url).database)

    def drop_all(self) -> None:
        for name in list(self.made):
            self.drop(self._url(name))


@dataclass
class Templates:
    """Per backend: an empty clinic, a demo clinic, and record files exported from it."""

    databases: Databases
    empty: str
    clinic: str
    exports: dict[str, Path]
    env: dict[str, str]


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    admin = make_url(PG_ADMIN_URL)
    engine = create_engine(
        admin, isolation_level="AUTOCOMMIT", poolclass=NullPool, connect_args={"connect_timeout": 3}
    )
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as problem:  # no server, no driver, no rights
        reason = (
            f"PostgreSQL not reachable at {admin.render_as_string()}: {problem.__class__.__name__}"
        )
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)")
        pytest.skip(reason)
    yield engine
    engine.dispose()


class TemplateMaker:
    """Templates per backend, made on first use and dropped at the end of the session."""

    def __init__(self, root: Path, request: pytest.FixtureRequest) -> None:
        self.root = root
        self.request = request
        self.made: dict[str, Templates] = {}
        self.postgres: list[PostgresDatabases] = []

    def get(self, backend: str) -> Templates:
        if backend in self.made:
            return self.made[backend]
        folder = self.root / backend
        (folder / "home").mkdir(parents=True)
        (folder / "tmp").mkdir()
        env = child_env(folder / "home", folder / "tmp")
        databases: Databases
        if backend == "sqlite":
            sqlite = SqliteDatabases(folder / "db")
            empty, clinic = sqlite.new_url("empty"), sqlite.new_url("clinic")
            databases = sqlite
        else:
            postgres = PostgresDatabases(self.request.getfixturevalue("pg_admin"))
            self.postgres.append(postgres)
            empty, clinic = postgres.new_url("empty"), postgres.new_url("clinic")
            databases = postgres
        make_empty(env, empty)
        make_empty(env, clinic)
        must(
            run_cli(env, "--db", clinic, "demo", "--clients", str(CLINIC_CLIENTS)),
            "demo (the clinic template)",
        )
        exports = {}
        for reference in ("TD-00001", "TD-00002"):
            path = folder / f"{reference}.json"
            must(run_cli(env, "--db", clinic, "export", reference, "-o", str(path)), "export")
            exports[reference] = path
        self.made[backend] = Templates(databases, empty, clinic, exports, env)
        return self.made[backend]

    def close(self) -> None:
        for postgres in self.postgres:
            postgres.drop_all()


@pytest.fixture(scope="session")
def kill_templates(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[TemplateMaker]:
    maker = TemplateMaker(tmp_path_factory.mktemp("kill-templates"), request)
    yield maker
    maker.close()


@pytest.fixture(scope="session")
def kill_seed() -> int:
    given = os.environ.get(SEED_VAR)
    return int(given) if given else random.SystemRandom().randrange(1, 10**6)


@pytest.fixture(scope="session")
def kills_per_operation(request: pytest.FixtureRequest) -> int:
    return 100 if request.config.getoption("--long") else 8


@dataclass
class Tally:
    """What one backend/operation case did, for the summary at the end of the run."""

    case: str
    seed: int
    runs: int = 0
    kills: int = 0
    completed: int = 0
    aimed_after_trigger: int = 0
    checks_passed: int = 0
    checks_failed: int = 0
    leftovers: int = 0
    leftover_example: str = ""
    seconds: float = 0.0
    timing: Timing | None = None
    failures: dict[str, int] = field(default_factory=dict)

    def _example(self) -> str:
        return f" (e.g. {self.leftover_example})" if self.leftover_example else ""

    def line(self) -> str:
        failed = ", ".join(f"{k} ×{n}" for k, n in self.failures.items())
        took = ""
        if self.timing is not None:
            took = f" (a run takes {self.timing.total * 1000:.0f} ms"
            if self.timing.tail is not None:
                took += f", {self.timing.tail * 1000:.0f} ms of it after the trigger"
            took += ")"
        return (
            f"kill -9 {self.case}{took}: {self.kills} kills ({self.aimed_after_trigger} aimed "
            f"after the trigger) + {self.completed} completed runs; {self.checks_passed} checks "
            f"passed, {self.checks_failed} failed; {self.leftovers} temp files left"
            f"{self._example()}; "
            f"{self.seconds:.1f} s; seed {self.seed}" + (f"; FAILED: {failed}" if failed else "")
        )


_TALLIES: list[Tally] = []


@pytest.fixture
def kill_tallies() -> list[Tally]:
    return _TALLIES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _TALLIES:
        return
    terminalreporter.section("kill -9 reliability loop")
    for tally in _TALLIES:
        terminalreporter.write_line(tally.line())
    kills = sum(t.kills for t in _TALLIES)
    passed = sum(t.checks_passed for t in _TALLIES)
    failed = sum(t.checks_failed for t in _TALLIES)
    terminalreporter.write_line(
        f"kill -9 total: {kills} kills, {passed} checks passed, {failed} failed, "
        f"{sum(t.seconds for t in _TALLIES):.1f} s (reproduce with {SEED_VAR}="
        f"{_TALLIES[0].seed})"
    )
