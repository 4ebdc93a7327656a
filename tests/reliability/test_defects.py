"""The defects a hostile tester found, each reproduced as the tester did it.

Outputs onto the database, files readable by others, tracebacks carrying client data,
broken and foreign files, lost races, locks, and misleading messages. Data-layer cases
run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import URL

from tests import factories
from tests.factories import TODAY
from therapy_desk.cli import main
from therapy_desk.db.faults import DatabaseBusy
from therapy_desk.domain import Client
from therapy_desk.services import clients
from therapy_desk.services.errors import Conflict
from therapy_desk.services.opening import open_clinic

#: A name no output may ever show (the demo's TD-00001 is someone else).
SECRET_NAME = "Zebedee Quackenbush-Ørsted"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "clinic.sqlite3"
    assert run("--db", str(path), "demo", "--clients", "4")[0] == 0
    database = open_clinic(str(path))
    with database.transaction() as session:
        client = session.scalar(select(Client).where(Client.reference == "TD-00002"))
        assert client is not None
        client.name = SECRET_NAME
    database.close()
    return path


@pytest.fixture
def clinic_file(tmp_path: Path, demo_template: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "clinic.sqlite3"
    shutil.copy(demo_template, path)
    return path


def cli_subprocess(*argv: str, home: Path, umask: int = 0o022) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh process, as a user with a permissive umask runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THERAPY_DESK_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_STATE_HOME=str(home / "st"))
    env.update(XDG_CONFIG_HOME=str(home / "config"))
    script = f"import os, sys; os.umask({umask}); from ui.main import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", script, *argv],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


# 1. -o onto the database -------------------------------------------------------------


def _names_of_the_database(path: Path, tmp_path: Path) -> Iterator[Path]:
    yield path
    yield path.with_name(path.name + "-wal")
    yield path.with_name(path.name + "-journal")
    link = tmp_path / "link-to-clinic.sqlite3"
    link.symlink_to(path)
    yield link
    hard = tmp_path / "hard-link.sqlite3"
    os.link(path, hard)
    yield hard
    yield path.parent / ".." / path.parent.name / path.name


@pytest.mark.parametrize("command", ["export", "handout", "backup"])
def test_output_onto_the_database_by_any_name_is_refused(
    clinic_file: Path, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(clinic_file)
    for target in _names_of_the_database(clinic_file, tmp_path):
        words = {
            "export": ["export", "TD-00001"],
            "handout": ["handout", "TD-00001"],
            "backup": ["db", "backup"],
        }[command]
        status, said = run("--db", str(clinic_file), *words, "-o", str(target), "--force")
        err = capsys.readouterr().err
        assert status == 2, (target, said, err)
        assert "open database" in err, err
        assert digest(clinic_file) == before
    assert run("--db", str(clinic_file), "db", "check")[0] == 0


def test_an_existing_file_is_replaced_only_with_force(
    clinic_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "letter.json"
    target.write_text("the therapist's own file")
    status, _ = run("--db", str(clinic_file), "export", "TD-00001", "-o", str(target))
    assert status == 2 and "--force" in capsys.readouterr().err
    assert target.read_text() == "the therapist's own file"
    status, _ = run("--db", str(clinic_file), "export", "TD-00001", "-o", str(target), "--force")
    assert status == 0 and json.loads(target.read_text())["client"]["reference"] == "TD-00001"


def test_a_planted_partial_link_is_never_followed(clinic_file: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    out = tmp_path / "out.pdf"
    for name in ("out.pdf.partial", ".out.pdf.partial"):
        (tmp_path / name).symlink_to(victim)
    assert run("--db", str(clinic_file), "handout", "TD-00001", "-o", str(out))[0] == 0
    assert victim.read_text() == "untouched"
    assert out.read_bytes().startswith(b"%PDF")
    assert not [p for p in tmp_path.glob(".out.pdf.*.partial")]


# 2. files readable by the user alone ------------------------------------------------------


def test_every_file_the_app_makes_is_private_whatever_the_umask(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "data" / "therapy-desk" / "clinic.sqlite3"
    for words in (
        ["clinician", "Tess Tester"],  # who is acting, remembered on this computer
        ["--db", str(db), "demo", "--clients", "3"],
        ["--db", str(db), "export", "TD-00001", "-o", str(tmp_path / "td1.json")],
        ["--db", str(db), "handout", "TD-00001", "-o", str(tmp_path / "td1.pdf")],
        ["--db", str(db), "db", "backup"],
        ["--db", str(db), "db", "backup", "-o", str(tmp_path / "copy.sqlite3")],
    ):
        done = cli_subprocess(*words, home=home)
        assert done.returncode == 0, done.stderr
    made = [
        *db.parent.rglob("*"),
        db.parent,
        tmp_path / "td1.json",
        tmp_path / "td1.pdf",
        tmp_path / "copy.sqlite3",
        home / "config" / "therapy-desk" / "workstation.json",
    ]
    assert len(made) >= 8
    for path in made:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


def test_the_log_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from therapy_desk import incidents

    monkeypatch.setattr(incidents, "log_folder", lambda: tmp_path / "logs")
    os.umask(0o022)
    try:
        raise RuntimeError(SECRET_NAME)
    except RuntimeError as error:
        incident = incidents.report(error, doing="testing")
    assert incident.log is not None
    assert stat.S_IMODE(incident.log.stat().st_mode) == 0o600
    assert stat.S_IMODE(incident.log.parent.stat().st_mode) == 0o700
    assert SECRET_NAME not in incident.log.read_text()
    assert "RuntimeError" in incident.log.read_text()


# 3. no client data on stderr ---------------------------------------------------------------


def test_an_unexpected_error_is_logged_without_client_data(
    clinic_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from therapy_desk import incidents
    from therapy_desk.services import caseload

    logs = clinic_file.parent / "logs"
    monkeypatch.setattr(incidents, "log_folder", lambda: logs)

    def broken(*_args: object, **_kwargs: object) -> None:
        engine = create_engine("sqlite://", hide_parameters=False)
        with engine.connect() as connection:  # a driver error quoting a value, as PG's do
            connection.execute(text("SELECT no_such_column WHERE :name"), {"name": SECRET_NAME})

    monkeypatch.setattr(caseload, "list_caseload", broken)
    status, _ = run("--db", str(clinic_file), "clients")
    err = capsys.readouterr().err
    assert status == 3
    assert "Something went wrong" in err and "incident" in err
    assert SECRET_NAME not in err and "Traceback" not in err
    log = (logs / "therapy-desk.log").read_text()
    assert "OperationalError" in log and "statement: SELECT no_such_column" in log
    assert SECRET_NAME not in log


def test_a_user_name_too_long_is_refused_before_anything_is_written(
    clinic_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "h.pdf"
    status, _ = run(
        "--db", str(clinic_file), "--user", "x" * 500, "handout", "TD-00001", "-o", str(out)
    )
    assert status == 2 and "--user" in capsys.readouterr().err
    assert not out.exists()


def test_engines_never_put_parameters_in_errors(clinic) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import StatementError

    with pytest.raises(StatementError) as raised:
        with clinic.engine.connect() as connection:
            connection.execute(
                text("SELECT no_such_column FROM client WHERE name = :n"), {"n": SECRET_NAME}
            )
    assert SECRET_NAME not in str(raised.value)


# 4. broken and foreign files ----------------------------------------------------------------


def _damage(path: Path) -> None:
    """Overwrite pages in the middle of the file, as a failing disk would."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for offset in range(4096 * 2, size - 4096, 4096 * 3):
            handle.seek(offset)
            handle.write(os.urandom(512))


def test_a_damaged_database_is_detected_and_never_written(
    clinic_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--db", str(clinic_file), "db", "backup")[0] == 0  # a good backup first
    export = tmp_path / "td1.json"
    assert run("--db", str(clinic_file), "export", "TD-00001", "-o", str(export))[0] == 0
    with sqlite3.connect(clinic_file) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(clinic_file)
    damaged = digest(clinic_file)
    capsys.readouterr()

    status, report = run("--db", str(clinic_file), "db", "check")
    assert status == 1 and "damaged" in report and "db restore" in report
    assert run("--db", str(clinic_file), "import", str(export), "--replace")[0] == 2
    assert "is damaged, so nothing was written" in capsys.readouterr().err
    status, _ = run("--db", str(clinic_file), "db", "backup", "-o", str(tmp_path / "b.sqlite3"))
    assert status == 2 and not (tmp_path / "b.sqlite3").exists()
    assert digest(clinic_file) == damaged

    status, said = run("--db", str(clinic_file), "db", "restore")
    assert status == 0 and "kept as" in said
    assert run("--db", str(clinic_file), "db", "check")[0] == 0
    assert list(clinic_file.parent.glob("clinic.sqlite3.damaged-*"))


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "an empty file"),
        (b"%PDF-1.4\n...", "a PDF document"),
        (b'{"format": "therapy-desk/client-record"}', "a JSON file"),
        (b"PK\x03\x04rest", "a ZIP archive"),
        (b"\x89\xff\x00\x13" * 100, "a file of another kind"),
    ],
)
def test_a_file_that_is_not_a_database_is_refused_with_what_it_is(
    tmp_path: Path, content: bytes, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "thing"
    path.write_bytes(content)
    for words in (["clients"], ["db", "upgrade"], ["db", "backup"], ["advisories", "TD-1"]):
        status, _ = run("--db", str(path), *words)
        err = capsys.readouterr().err
        assert status == 2 and said in err and "Traceback" not in err, (words, err)
    status, report = run("--db", str(path), "db", "check")
    assert status == 1 and said in report
    assert path.read_bytes() == content


def test_a_folder_or_another_programs_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--db", str(tmp_path), "clients")[0] == 2
    assert "is a folder" in capsys.readouterr().err
    other = tmp_path / "photos.db"
    with sqlite3.connect(other) as raw:
        raw.execute("CREATE TABLE albums (id INTEGER PRIMARY KEY)")
    before = digest(other)
    assert run("--db", str(other), "clients")[0] == 2
    assert "another program (its tables: albums)" in capsys.readouterr().err
    assert digest(other) == before


def test_a_typo_in_the_path_creates_nothing(
    clinic_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = clinic_file.with_name("clinc.sqlite3")
    for words in (["clients"], ["db", "upgrade"], ["db", "backup"], ["dismiss", "A", "b", "c"]):
        words = [*words, "--reason", "x"] if words[0] == "dismiss" else words
        status, _ = run("--db", str(typo), *words)
        assert status == 2 and "no clinic database at" in capsys.readouterr().err
    status, report = run("--db", str(typo), "db", "check")
    assert status == 1 and "no clinic database" in report
    assert not typo.exists()


def test_the_app_entry_point_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list")
    done = cli_subprocess("--db", str(path), "clients", home=tmp_path)
    assert done.returncode == 2 and "a text file" in done.stderr
    assert "Traceback" not in done.stderr


# 5. races and busy databases -------------------------------------------------------------


def _save(  # type: ignore[no-untyped-def]
    client_id, details, seen: int, barrier: threading.Barrier, outcomes: list[str], database, who
) -> None:
    """One workstation's Save, started at the same moment as another's."""
    barrier.wait()
    try:
        with database.transaction(user=who) as session:
            clients.update_client(
                session, client_id=client_id, details=details, today=TODAY, expected_version=seen
            )
        outcomes.append("saved")
    except Conflict as conflict:
        assert conflict.changed_by in ("ana", "ben")
        assert conflict.current_version == seen + 1
        outcomes.append("conflict")
    except Exception as error:  # a raw error is the defect
        outcomes.append(f"raw {type(error).__name__}")


def test_a_lost_race_is_always_a_conflict(clinic) -> None:  # type: ignore[no-untyped-def]
    """Two workstations save the same client from the same version, many times over."""
    with clinic.transaction() as session:
        client_id = factories.client(session, "R-1", "Race Client")
    url = clinic.url.render_as_string(hide_password=False)
    other = open_clinic(url)
    outcomes: list[str] = []
    try:
        for round_ in range(12):
            with clinic.reading() as session:
                seen = clients.load_record(session, client_id).version
            barrier = threading.Barrier(2)
            details = clients.ClientDetails(reference="R-1", name=f"Round {round_}")
            save = functools.partial(_save, client_id, details, seen, barrier, outcomes)
            threads = [
                threading.Thread(target=save, args=(clinic, "ana")),
                threading.Thread(target=save, args=(other, "ben")),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        other.close()
    assert sorted(set(outcomes)) == ["conflict", "saved"], outcomes
    assert outcomes.count("saved") == 12 and outcomes.count("conflict") == 12


def test_the_conflict_says_who_and_when(clinic) -> None:  # type: ignore[no-untyped-def]
    with clinic.transaction() as session:
        client_id = factories.client(session, "W-1", "Who Client")
    details = clients.ClientDetails(reference="W-1", name="Changed")
    with clinic.transaction(user="dana") as session:
        clients.update_client(
            session, client_id=client_id, details=details, today=TODAY, expected_version=1
        )
    with pytest.raises(Conflict) as raised, clinic.transaction(user="eli") as session:
        clients.update_client(
            session, client_id=client_id, details=details, today=TODAY, expected_version=1
        )
    message = str(raised.value)
    assert message.startswith("Not saved: dana changed this client at ")
    assert "reload" in message and "apply yours again" in message
    assert raised.value.current_version == 2


def test_a_held_lock_ends_in_a_busy_message(sqlite_clinic, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from therapy_desk.db import engine as engines

    monkeypatch.setattr(engines, "SQLITE_BUSY_TIMEOUT_MS", 200)
    path = sqlite_clinic.file
    database = open_clinic(str(path))
    with sqlite_clinic.transaction() as session:
        client_id = factories.client(session, "B-1", "Busy Client")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusy, match="busy"), database.transaction() as session:
            clients.discharge_client(session, client_id=client_id, on=TODAY, expected_version=1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        database.close()


def test_postgres_import_replace_of_a_locked_client_says_it_is_busy(
    postgres_url: URL, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Row locks held by another session are PostgreSQL's; SQLite's whole-file lock is
    `test_a_held_lock_ends_in_a_busy_message`."""
    from tests.conftest import _empty_postgres

    _empty_postgres(postgres_url)
    database_url = postgres_url.render_as_string(hide_password=False)
    assert run("--db", database_url, "demo", "--clients", "2")[0] == 0
    export = tmp_path / "td1.json"
    assert run("--db", database_url, "export", "TD-00001", "-o", str(export))[0] == 0
    holder = create_engine(database_url)
    with holder.connect() as connection:
        connection.execute(text("SELECT id FROM client WHERE reference = 'TD-00001' FOR UPDATE"))
        status, _ = run("--db", database_url, "import", str(export), "--replace")
        connection.rollback()
    holder.dispose()
    err = capsys.readouterr().err
    assert status == 2 and "client TD-00001 is busy" in err, err


# 7. handouts and their records ------------------------------------------------------------


def test_no_pdf_without_its_record(
    clinic_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from therapy_desk.services import handouts

    def refused(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the record could not be written")

    monkeypatch.setattr(handouts, "record_handouts_given", refused)
    out = tmp_path / "h.pdf"
    status, _ = run("--db", str(clinic_file), "handout", "TD-00001", "-o", str(out))
    assert status != 0
    assert not out.exists() and not list(tmp_path.glob("*.partial"))
    with sqlite3.connect(clinic_file) as raw:
        before = raw.execute("SELECT count(*) FROM handout_record").fetchone()[0]
    monkeypatch.undo()
    assert (
        run("--db", str(clinic_file), "--by", "tester", "handout", "TD-00001", "-o", str(out))[0]
        == 0
    )
    with sqlite3.connect(clinic_file) as raw:
        after = raw.execute("SELECT count(*) FROM handout_record").fetchone()[0]
    assert out.exists() and after > before


# 10. messages that say what happened -----------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 700 KB file system of its own (tmpfs), to fill up or make read-only."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=700k,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_says_so_and_leaves_nothing_behind(
    small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bigger = tmp_path / "bigger.sqlite3"  # 30 clients: about 1.1 MB, more than the disk holds
    assert run("--db", str(bigger), "demo", "--clients", "30")[0] == 0
    status, _ = run("--db", str(bigger), "db", "backup", "-o", str(small_disk / "b.db"))
    err = capsys.readouterr().err
    assert status == 2 and "the disk is full" in err, err
    assert list(small_disk.iterdir()) == []

    db = small_disk / "clinic.sqlite3"
    assert run("--db", str(db), "db", "init")[0] == 0
    status, _ = run("--db", str(db), "demo", "--clients", "30")
    err = capsys.readouterr().err
    assert status == 2 and "the disk holding the database is full" in err, err
    assert "savepoint" not in err and "cannot reach" not in err
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT count(*) FROM client").fetchone()[0] == 0
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_read_only_database_says_so(
    small_disk: Path, demo_template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = small_disk / "clinic.sqlite3"
    shutil.copy(demo_template, db)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    before = digest(db)
    status, _ = run(
        "--db", str(db), "--user", "ana", "dismiss", "TD-00001", "x", "y", "--reason", "r"
    )
    err = capsys.readouterr().err
    assert status == 2 and "read-only" in err, err
    assert "cannot reach" not in err
    assert digest(db) == before


def test_a_locked_database_is_busy_not_unreachable(
    clinic_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from therapy_desk.db import engine as engines

    monkeypatch.setattr(engines, "SQLITE_BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(clinic_file, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        status, _ = run("--db", str(clinic_file), "export", "TD-00001", "-o", "/dev/null")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert status == 2 and "busy" in err and "cannot reach" not in err, err


def test_db_where_hides_every_password() -> None:
    status, said = run("--db", "postgresql://ana:s3cret@db/clinic?password=hunter2", "db", "where")
    assert status == 0 and "s3cret" not in said and "hunter2" not in said and "***" in said


# 3, 8. text the database would refuse, or that shows nothing -----------------------------


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Zoë\x00Ł", "U+0000"),
        ("Ana\x1b[31m", "U+001B"),
        ("Line\nbreak", "U+000A"),
        ("\u200b\u2060\ufeff ", "no visible characters"),
        ("\u0301\u0302", "no visible characters"),
        ("bad \ud800 half", "U+D800"),
    ],
)
def test_forms_refuse_hidden_characters_at_the_field(clinic, name: str, said: str) -> None:  # type: ignore[no-untyped-def]
    from therapy_desk.services.errors import ValidationError

    with pytest.raises(ValidationError) as raised, clinic.transaction() as session:
        clients.create_client(
            session, details=clients.ClientDetails(reference="N-1", name=name), today=TODAY
        )
    assert said in raised.value.errors["name"]
    with clinic.reading() as session:
        assert clients.count_clients(session) == 0


def test_replace_keeps_the_record_as_it_was_first(
    clinic_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "td2.json"
    assert run("--db", str(clinic_file), "export", "TD-00002", "-o", str(export))[0] == 0
    document = json.loads(export.read_text())
    document["client"]["name"] = "Renamed In The File"
    export.write_text(json.dumps(document))
    status, said = run("--db", str(clinic_file), "import", str(export), "--replace")
    assert status == 0, capsys.readouterr().err
    kept = Path(said.split("kept in ")[1].split("\n")[0])
    assert kept.parent == clinic_file.parent / "backups"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert json.loads(kept.read_text())["client"]["name"] == SECRET_NAME
    assert SECRET_NAME not in said


def test_backups_and_restores_leave_one_self_contained_file(clinic_file: Path) -> None:
    assert run("--db", str(clinic_file), "db", "backup")[0] == 0
    assert run("--db", str(clinic_file), "db", "restore", "--force")[0] == 0
    (backup,) = (clinic_file.parent / "backups").iterdir()
    leftovers = [p.name for p in clinic_file.parent.iterdir() if ".partial" in p.name]
    assert leftovers == [] and backup.suffix == ".sqlite3"
