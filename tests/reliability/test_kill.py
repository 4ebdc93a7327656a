"""kill -9 at random moments: the clinic's data and the user's files survive whole.

For each operation a user can start from the command line, on SQLite and PostgreSQL:
run it once to completion (to learn how long it takes and what it leaves), then start
it again and again and SIGKILL it at a random moment — anywhere in a typical run, or
anywhere after the moment it starts writing — and check after every kill:

- the database is sound (SQLite's integrity and foreign-key checks; no row on either
  backend names a missing parent) and still opens with the CLI (`clients --json`, run
  by the CLI's `main` in a fork of this process: a fresh process without the 0.5 s of
  interpreter start and imports);
- the operation left all of its work or none of it: a demo clinic of every row or no
  row; an imported client whole or absent; a replaced client entirely old or entirely
  new; a handout's PDF at its name exactly when its records are written, and never a
  cut-short PDF; a backup at its name only when it passes SQLite's integrity check;
- no temporary file is readable by other accounts (0600 at most), while the child
  works or after it is killed.

Default: 8 kills per operation and backend; ``--long``: 100. The seed is printed;
THERAPY_DESK_KILL_SEED=<seed> repeats the same choices of moment.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import random
import sqlite3
import stat
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, func, select

from tests.conftest import PG_ADMIN_URL
from tests.reliability.conftest import (
    SEED_VAR,
    Databases,
    PostgresDatabases,
    SqliteDatabases,
    Tally,
    TemplateMaker,
    Templates,
    child_env,
    cli,
    cli_in_fork,
    engine_for,
)
from tests.reliability.kill import Run, Timing, kill_at_random, run_and_kill
from therapy_desk.domain import Base
from therapy_desk.exchange.layout import TREE, Node

#: Clients in each demo clinic the `demo` operation builds.
DEMO_CLIENTS = 120
#: The follow-ups print-due prints: today and the week after.
DUE_DAYS = 7

OPERATIONS = ("demo", "import", "replace", "handout", "print-due", "backup")
CASES = [
    pytest.param(backend, operation, id=f"{backend}-{operation}")
    for backend in ("sqlite", "postgresql")
    for operation in OPERATIONS
    # `db backup` copies SQLite files; PostgreSQL is backed up with pg_dump.
    if not (backend == "postgresql" and operation == "backup")
]


# ---------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------


@dataclass
class Checker:
    """Counts checks and collects failures by kind, with the first example of each."""

    tally: Tally
    examples: dict[str, str] = field(default_factory=dict)

    def check(self, ok: bool, kind: str, detail: str = "") -> bool:
        if ok:
            self.tally.checks_passed += 1
            return True
        self.tally.checks_failed += 1
        self.tally.failures[kind] = self.tally.failures.get(kind, 0) + 1
        self.examples.setdefault(kind, detail)
        return False


def table_counts(connection: Connection) -> dict[str, int]:
    return {
        t.name: int(connection.scalar(select(func.count()).select_from(t)) or 0)
        for t in Base.metadata.sorted_tables
    }


def orphans(connection: Connection) -> list[str]:
    """Rows whose foreign key names a row that is not there (any backend)."""
    found = []
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            parent = key.column.table.alias("parent")
            column, target = key.parent, parent.c[key.column.name]
            query = (
                select(func.count())
                .select_from(table.outerjoin(parent, column == target))
                .where(column.is_not(None), target.is_(None))
            )
            count = int(connection.scalar(query) or 0)
            if count:
                found.append(f"{count} {table.name} rows name a missing {key.column.table.name}")
    return found


def sqlite_problems(path: Path) -> list[str]:
    """SQLite's own integrity and foreign-key checks (opening recovers a hot WAL, as any
    reader does)."""
    connection = sqlite3.connect(path)
    try:
        problems = [
            f"integrity_check: {row[0]}"
            for row in connection.execute("PRAGMA integrity_check")
            if row[0] != "ok"
        ]
        problems += [
            f"foreign_key_check: a {row[0]} row names a missing {row[2]}"
            for row in connection.execute("PRAGMA foreign_key_check")
        ]
        return problems
    except sqlite3.DatabaseError as problem:
        return [f"cannot be read ({problem})"]
    finally:
        connection.close()


def database_problems(backend: str, url: str) -> list[str]:
    problems = sqlite_problems(Path(url)) if backend == "sqlite" else []
    if problems:
        return problems
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            table_counts(connection)  # every table reads
            return orphans(connection)
    except Exception as problem:  # noqa: BLE001 - reported as a failed check
        return [f"cannot be read ({problem.__class__.__name__})"]
    finally:
        engine.dispose()


def opens_with_cli(env: dict[str, str], url: str) -> str | None:
    """None when `clients --json` works and lists every client; else what went wrong."""
    status, said, stderr = cli_in_fork(env, "--db", url, "clients", "--json", "--status", "all")
    if status != 0:
        tail = stderr.strip().splitlines()[-1:] or ["(nothing on stderr)"]
        return f"`clients --json` exited {status}: {tail[0][:300]}"
    listed = len(json.loads(said))
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            stored = table_counts(connection)["client"]
    finally:
        engine.dispose()
    return None if listed == stored else f"`clients --json` listed {listed} of {stored}"


def pdf_problem(path: Path) -> tuple[str | None, int]:
    """(what is wrong with the PDF or None, its page count)."""
    from pypdf import PdfReader

    data = path.read_bytes()
    if not data.rstrip().endswith(b"%%EOF"):
        return f"{len(data)} bytes, not ending with %%EOF (cut short)", 0
    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except Exception as problem:  # noqa: BLE001 - any failure to read is the finding
        return f"pypdf cannot read it ({problem.__class__.__name__})", 0
    return (None, pages) if pages else ("no pages", 0)


def client_rows(connection: Connection, client_id: uuid.UUID) -> dict[str, list[tuple[str, ...]]]:
    """Every row of one client's record, by table, following the record file's tree."""
    found: dict[str, list[tuple[str, ...]]] = {}

    def walk(node: Node, ids: list[Any]) -> None:
        table = node.model.__table__
        rows: list[Any] = []
        if ids:
            key = table.c.id if node.parent_key is None else table.c[node.parent_key]
            rows = list(connection.execute(select(table).where(key.in_(ids))))
        found[table.name] = sorted(tuple(str(v) for v in row) for row in rows)
        for child in node.children:
            walk(child, [r.id for r in rows])

    walk(TREE, [client_id])
    return found


def file_counts(document: dict[str, Any]) -> dict[str, int]:
    """Rows per table that a record file holds."""
    counts: dict[str, int] = {}

    def walk(node: Node, records: list[dict[str, Any]]) -> None:
        counts[node.model.__table__.name] = len(records)
        for child in node.children:
            walk(child, [r for record in records for r in record.get(child.key, [])])

    walk(TREE, [document["client"]])
    return counts


def digest(rows: dict[str, list[tuple[str, ...]]]) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------------
# Files the child leaves
# ---------------------------------------------------------------------------------------


class FileWatch:
    """New files in the watched folders that are not the operation's own output or a
    database's files: temporary files. Each must be 0600 at most, while the child works
    (checked on every poll) and after it ends."""

    def __init__(self, folders: list[Path], expected: set[Path]) -> None:
        self.folders = folders
        self.expected = {p.name for p in expected}
        self.before = {f: set(os.listdir(f)) for f in folders}
        self.open_to_others: dict[str, str] = {}

    def _temporary(self) -> Iterator[tuple[str, int]]:
        for folder in self.folders:
            for entry in os.scandir(folder):
                if entry.name in self.before[folder] or entry.name in self.expected:
                    continue
                try:
                    mode = stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode)
                except FileNotFoundError:  # renamed or removed meanwhile
                    continue
                yield entry.name, mode

    def __call__(self) -> None:
        for name, mode in self._temporary():
            if mode & 0o077:
                self.open_to_others.setdefault(name, oct(mode))

    def leftovers(self) -> dict[str, str]:
        return {name: oct(mode) for name, mode in self._temporary()}


def new_file_in(folder: Path) -> Callable[[], bool]:
    """Trigger: a file has appeared in `folder` (the output being written)."""
    before = set(os.listdir(folder))
    return lambda: bool(set(os.listdir(folder)) - before)


def wal_changed(path: Path) -> Callable[[], bool]:
    """Trigger: the SQLite database's write-ahead log has changed (writing has begun)."""
    wal = Path(str(path) + "-wal")

    def look() -> tuple[int, int] | None:
        try:
            info = wal.stat()
        except FileNotFoundError:
            return None
        return info.st_size, info.st_mtime_ns

    before = look()
    return lambda: (now := look()) is not None and now != before and now[0] > 0


def monitor(admin_url: str) -> Any:
    """A plain psycopg connection to the server, for watching the children's sessions."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(admin_url)
    return psycopg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        dbname=url.database,
        autocommit=True,
    )


def transaction_has_xid(connection: Any, database: str) -> Callable[[], bool]:
    """Trigger: a session on `database` holds a transaction id (it has written a row)."""
    query = (
        "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = %s "
        "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid())"
    )

    def look() -> bool:
        row = connection.execute(query, (database,)).fetchone()
        return bool(row and row[0])

    return look


# ---------------------------------------------------------------------------------------
# The operations
# ---------------------------------------------------------------------------------------


@dataclass
class Attempt:
    """One start of an operation: what to run, on which database, and what to check."""

    words: list[str]
    database: str
    expected_files: set[Path]
    trigger: Callable[[], bool]
    check: Callable[[Run], None]
    cleanup: Callable[[], None] = lambda: None


class Operation:
    name = ""

    def __init__(self, case: Case) -> None:
        self.case = case

    def attempt(self, number: int) -> Attempt:
        raise NotImplementedError

    def calibrate(self) -> Run:
        """Run to completion once (twice for replace); returns the run to time."""
        return self.case.run(self.attempt(0), kill=False)


@dataclass
class Case:
    backend: str
    templates: Templates
    databases: Databases
    checker: Checker
    rng: random.Random
    env: dict[str, str]
    clinic: str
    out: Path
    inbox: Path
    tmp: Path
    admin_url: str
    monitor: Any = None
    timing: Timing = field(default_factory=lambda: Timing(1.0, None))

    @property
    def db_folder(self) -> Path | None:
        return self.databases.folder if isinstance(self.databases, SqliteDatabases) else None

    def writing_began(self, database: str) -> Callable[[], bool]:
        if self.backend == "sqlite":
            return wal_changed(Path(database))
        if self.monitor is None:
            self.monitor = monitor(self.admin_url)
        return transaction_has_xid(self.monitor, self.databases.name(database))

    def run(self, attempt: Attempt, *, kill: bool = True, aim: bool | None = None) -> Run:
        folders = [self.out, self.tmp] + ([self.db_folder] if self.db_folder else [])
        expected = attempt.expected_files | set(self.databases.files(self.clinic))
        watch = FileWatch(folders, expected | set(self.databases.files(attempt.database)))
        command = cli("--db", attempt.database, *attempt.words)
        options: dict[str, Any] = {"trigger": attempt.trigger, "on_poll": watch, "env": self.env}
        if kill:
            run = kill_at_random(command, self.rng, self.timing, aim=aim, **options)
        else:
            run = run_and_kill(command, delay=None, **options)
        tally = self.checker.tally
        tally.runs += 1
        if run.completed:
            tally.completed += 1
            self.checker.check(
                run.returncode == 0,
                "a run that was not killed failed",
                f"{' '.join(attempt.words[:2])} exited {run.returncode}: "
                + (run.stderr.strip().splitlines() or [""])[-1][:300],
            )
        else:
            tally.kills += 1
            tally.aimed_after_trigger += run.after_trigger
        for name, mode in watch.open_to_others.items():
            self.checker.check(
                False,
                "a temporary file was readable by others while being written",
                f"{name} was {mode} ({run.describe()})",
            )
        left = watch.leftovers()
        tally.leftovers += len(left)
        for name, mode in list(left.items())[:1]:
            tally.leftover_example = tally.leftover_example or f"{name} {mode}"
        for name, mode in left.items():
            self.checker.check(
                int(mode, 8) & 0o077 == 0,
                "a temporary file readable by others was left behind",
                f"{name} left at {mode} ({run.describe()})",
            )
        problems = database_problems(self.backend, attempt.database)
        self.checker.check(
            not problems, "the database is damaged", f"{problems[:3]} ({run.describe()})"
        )
        if not problems:
            trouble = opens_with_cli(self.env, attempt.database)
            self.checker.check(
                trouble is None,
                "the database does not open with the CLI",
                f"{trouble} ({run.describe()})",
            )
        attempt.check(run)
        attempt.cleanup()
        return run


class Demo(Operation):
    name = "demo"

    def __init__(self, case: Case) -> None:
        super().__init__(case)
        # Opening a clinic brings the exercise catalogue up to date in a transaction of
        # its own, before the demo's: a kill between the two leaves that and no more.
        self.empty = [self.counts(case.templates.empty)]
        opened = case.databases.clone(case.templates.empty, "opened")
        status, _, _ = cli_in_fork(case.env, "--db", opened, "clients", "--json")
        assert status == 0
        self.empty.append(self.counts(opened))
        case.databases.drop(opened)
        self.full: dict[str, int] | None = None

    @staticmethod
    def counts(database: str) -> dict[str, int]:
        engine = engine_for(database)
        try:
            with engine.connect() as connection:
                return table_counts(connection)
        finally:
            engine.dispose()

    def attempt(self, number: int) -> Attempt:
        case = self.case
        database = case.databases.clone(case.templates.empty, f"demo-{number}")

        def check(run: Run) -> None:
            counts = self.counts(database)
            if self.full is None:  # the calibration run
                assert run.completed and counts["client"] == DEMO_CLIENTS, counts
                self.full = counts
            case.checker.check(
                counts in [*self.empty, self.full] and not (run.completed and counts != self.full),
                "demo: the clinic is neither empty nor complete",
                f"{counts['client']} of {DEMO_CLIENTS} clients, "
                f"{sum(counts.values())} rows ({run.describe()})",
            )

        def cleanup() -> None:
            case.databases.drop(database)

        return Attempt(
            ["demo", "--clients", str(DEMO_CLIENTS)],
            database,
            set(),
            case.writing_began(database),
            check,
            cleanup,
        )


def renumbered(document: dict[str, Any], reference: str) -> dict[str, Any]:
    """The same record as a new client: every id fresh (links kept), a new reference."""
    ids: dict[str, str] = {}

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("id"), str):
                ids[value["id"]] = str(uuid.uuid4())
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    def swap(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return ids.get(value, value) if isinstance(value, str) else value

    collect(document["client"])
    fresh = swap(copy.deepcopy(document))
    fresh["client"]["reference"] = reference
    return dict(fresh)


def write_json(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def rows_of(database: str, client_id: uuid.UUID) -> dict[str, list[tuple[str, ...]]]:
    engine = engine_for(database)
    try:
        with engine.connect() as connection:
            return client_rows(connection, client_id)
    finally:
        engine.dispose()


class Import(Operation):
    """`import FILE` of a client new to the clinic: all of it or none of it."""

    name = "import"

    def attempt(self, number: int) -> Attempt:
        case = self.case
        base = json.loads(case.templates.exports["TD-00001"].read_text(encoding="utf-8"))
        document = renumbered(base, f"TD-K{number:05d}")
        path = write_json(case.inbox / f"new-{number}.json", document)
        client_id = uuid.UUID(document["client"]["id"])
        whole = file_counts(document)
        none = dict.fromkeys(whole, 0)

        def check(run: Run) -> None:
            counts = {t: len(r) for t, r in rows_of(case.clinic, client_id).items()}
            case.checker.check(
                counts in (whole, none) and not (run.completed and counts != whole),
                "import: the client is partly imported",
                f"rows {counts}, file {whole} ({run.describe()})",
            )

        return Attempt(
            ["import", str(path)], case.clinic, set(), case.writing_began(case.clinic), check
        )


class Replace(Operation):
    """`import --replace FILE` over a client already there: entirely old or entirely new."""

    name = "replace"

    def __init__(self, case: Case) -> None:
        super().__init__(case)
        old = json.loads(case.templates.exports["TD-00002"].read_text(encoding="utf-8"))
        new = copy.deepcopy(old)
        client = new["client"]
        client["notes"] = "Changed by the kill -9 test."
        half = len(client["measurements"]) // 2
        client["measurements"] = client["measurements"][:half]
        client["findings"] = client["findings"][:-1]
        self.client_id = uuid.UUID(old["client"]["id"])
        self.files = {
            "old": write_json(case.inbox / "replace-old.json", old),
            "new": write_json(case.inbox / "replace-new.json", new),
        }
        self.digests: dict[str, str] = {}

    def current(self) -> str:
        return digest(rows_of(self.case.clinic, self.client_id))

    def calibrate(self) -> Run:
        timed = self.case.run(self.attempt_with("new"), kill=False)
        self.digests["new"] = self.current()
        self.case.run(self.attempt_with("old"), kill=False)
        self.digests["old"] = self.current()
        assert self.digests["old"] != self.digests["new"]
        return timed

    def attempt(self, number: int) -> Attempt:
        return self.attempt_with(None)

    def attempt_with(self, target: str | None) -> Attempt:
        """Replace with `target` ("old" or "new"); None: with whichever is not there."""
        case = self.case
        before = self.current()
        if target is None:
            target = "new" if before == self.digests["old"] else "old"

        def check(run: Run) -> None:
            after = self.current()
            ok = after in (before, self.digests.get(target, after))
            if run.completed and run.returncode == 0 and target in self.digests:
                ok = ok and after == self.digests[target]
            case.checker.check(
                ok,
                "replace: the client is neither the old version nor the new",
                f"digest {after}, before {before}, {target} {self.digests.get(target)} "
                f"({run.describe()})",
            )

        return Attempt(
            ["import", "--replace", str(self.files[target])],
            case.clinic,
            set(),
            case.writing_began(case.clinic),
            check,
        )


def handout_records(database: str) -> int:
    engine = engine_for(database)
    try:
        with engine.connect() as connection:
            return table_counts(connection)["handout_record"]
    finally:
        engine.dispose()


class Handout(Operation):
    """A handout is given whole: its records and a complete PDF at its name, or neither."""

    name = "handout"

    def __init__(self, case: Case) -> None:
        super().__init__(case)
        self.records: int | None = None
        self.pages: int | None = None

    def words(self, output: Path) -> list[str]:
        return ["handout", "TD-00001", "-o", str(output)]

    def attempt(self, number: int) -> Attempt:
        case = self.case
        output = case.out / f"{self.name}-{number}.pdf"
        before = handout_records(case.clinic)

        def check(run: Run) -> None:
            added = handout_records(case.clinic) - before
            there = output.exists()
            if self.records is None:  # the calibration run
                assert run.completed and run.returncode == 0 and there and added > 0, (
                    f"{run.describe()}, {added} records: {run.stderr[-300:]}"
                )
                self.records = added
                self.pages = pdf_problem(output)[1]
            case.checker.check(
                added in (0, self.records),
                f"{self.name}: only some of the handout records were written",
                f"{added} of {self.records} records ({run.describe()})",
            )
            if there:
                problem, pages = pdf_problem(output)
                case.checker.check(
                    problem is None and pages == self.pages,
                    f"{self.name}: a cut-short or unreadable PDF at the output name",
                    f"{problem or f'{pages} of {self.pages} pages'} ({run.describe()})",
                )
            case.checker.check(
                not (there and added == 0),
                f"{self.name}: a PDF at the output name but no handout record",
                f"{output.name} and 0 of {self.records} records ({run.describe()})",
            )
            # Records and no PDF at the name only when the kill fell in the instant
            # between the commit and the rename: the complete PDF then waits, private,
            # under its temporary name (the order never leaves a PDF without a record).
            waiting = [
                p for p in output.parent.glob(f".{output.name}.*.partial") if p.stat().st_size
            ]
            case.checker.check(
                not (added and not there)
                or any(pdf_problem(p) == (None, self.pages) for p in waiting),
                f"{self.name}: handout records but no complete PDF, named or waiting",
                f"{added} records, no {output.name} ({run.describe()})",
            )

        return Attempt(self.words(output), case.clinic, {output}, new_file_in(case.out), check)


class PrintDue(Handout):
    name = "print-due"

    def words(self, output: Path) -> list[str]:
        today = date.today()
        end = today + timedelta(days=DUE_DAYS)
        # --given: a batch handed out now records, and the record must match the PDF.
        return ["print-due", "--from", str(today), "--to", str(end), "--given", "-o", str(output)]


class Backup(Operation):
    """`db backup -o FILE`: a file at that name is a sound, complete copy."""

    name = "backup"

    def __init__(self, case: Case) -> None:
        super().__init__(case)
        engine = engine_for(case.clinic)
        with engine.connect() as connection:
            self.counts = table_counts(connection)
        engine.dispose()

    def attempt(self, number: int) -> Attempt:
        case = self.case
        output = case.out / f"backup-{number}.sqlite3"

        def check(run: Run) -> None:
            if run.completed and run.returncode == 0:
                case.checker.check(output.exists(), "backup: finished without a file", "")
            if not output.exists():
                return
            problems = sqlite_problems(output)
            counts: dict[str, int] = {}
            if not problems:
                engine = engine_for(str(output))
                with engine.connect() as connection:
                    counts = table_counts(connection)
                engine.dispose()
            case.checker.check(
                not problems and counts == self.counts,
                "backup: the file at the output name is not a sound, complete copy",
                f"{problems[:2]} {sum(counts.values())} of {sum(self.counts.values())} rows "
                f"({run.describe()})",
            )

        return Attempt(
            ["db", "backup", "-o", str(output)], case.clinic, {output}, new_file_in(case.out), check
        )


KINDS: dict[str, type[Operation]] = {
    "demo": Demo,
    "import": Import,
    "replace": Replace,
    "handout": Handout,
    "print-due": PrintDue,
    "backup": Backup,
}


# ---------------------------------------------------------------------------------------
# The loop
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("backend", "operation"), CASES)
def test_kill_9_leaves_all_or_nothing(
    backend: str,
    operation: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    kill_templates: TemplateMaker,
    kill_seed: int,
    kills_per_operation: int,
    kill_tallies: list[Tally],
) -> None:
    started = time.perf_counter()
    templates = kill_templates.get(backend)
    folders = {n: tmp_path / n for n in ("db", "out", "in", "tmp", "home")}
    for folder in folders.values():
        folder.mkdir(mode=0o700)
    databases: Databases
    if backend == "sqlite":
        databases = SqliteDatabases(folders["db"])
    else:
        databases = PostgresDatabases(request.getfixturevalue("pg_admin"))
    case_name = f"{backend}/{operation}"
    tally = Tally(case_name, kill_seed)
    kill_tallies.append(tally)
    print(f"\n{case_name}: seed {kill_seed} (repeat with {SEED_VAR}={kill_seed})")
    case = Case(
        backend=backend,
        templates=templates,
        databases=databases,
        checker=Checker(tally),
        rng=random.Random(f"{kill_seed}/{case_name}"),
        env=child_env(folders["home"], folders["tmp"]),
        clinic="",
        out=folders["out"],
        inbox=folders["in"],
        tmp=folders["tmp"],
        admin_url=PG_ADMIN_URL,
    )
    try:
        case.clinic = databases.clone(templates.clinic, "clinic")
        kind = KINDS[operation](case)
        case.timing = Timing.of(kind.calibrate())
        tally.timing = case.timing
        for number in range(1, kills_per_operation + 1):
            # Every other kill is aimed after the trigger, where writing happens.
            case.run(kind.attempt(number), aim=number % 2 == 0)
            if "the database is damaged" in tally.failures:
                break  # what follows would only repeat it
    finally:
        if case.monitor is not None:
            case.monitor.close()
        if isinstance(databases, PostgresDatabases):
            databases.drop_all()
        tally.seconds = time.perf_counter() - started
        print(tally.line())
    if tally.failures:
        pytest.fail(
            f"{case_name} (seed {kill_seed}): "
            + "; ".join(
                f"{kind} ×{n}, e.g. {case.checker.examples[kind]}"
                for kind, n in tally.failures.items()
            ),
            pytrace=False,
        )
