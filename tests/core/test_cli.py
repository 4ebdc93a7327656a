"""The command line as an admin scripts it, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from therapy_desk.cli import main
from therapy_desk.db.revision import SCHEMA_HEAD


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def test_demo_clients_and_the_nerve_damage_advisory(database_url: str) -> None:
    status, said = run("--db", database_url, "demo", "--clients", "40", "--seed", "3")
    assert status == 0 and "40 clients" in said
    status, listing = run("--db", database_url, "clients", "--json", "--status", "all")
    rows = json.loads(listing)
    assert status == 0 and len(rows) == 40
    assert {"reference", "name", "next_follow_up", "main_weakness", "devices", "advisories"} <= set(
        rows[0]
    )
    status, text = run("--db", database_url, "advisories", "TD-00001")
    assert status == 0
    assert "Resistance exercise on a nerve-damage weakness" in text
    assert "may increase weakness and fatigue" in text


def test_demo_without_db_builds_its_own_file_not_the_clinic_s(capsys) -> None:
    # The user data folder is the test's own (tests/conftest.py), with no THERAPY_DESK_DB.
    from therapy_desk.db.location import DEFAULT_FILE, DEMO_FILE, user_data_dir

    demo, clinic = user_data_dir() / DEMO_FILE, user_data_dir() / DEFAULT_FILE
    status, said = run("demo", "--clients", "5")
    assert status == 0, capsys.readouterr().err
    assert demo.is_file() and not clinic.exists()
    assert f"Demo clinic ready in {demo}" in said and "therapy-desk --db " in said
    status, listing = run("--db", str(demo), "clients", "--json", "--status", "all")
    assert status == 0 and len(json.loads(listing)) == 5
    assert not clinic.exists()


def test_demo_is_realistic_and_repeatable(tmp_path: Path) -> None:
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for path in (first, second):
        assert run("--db", str(path), "demo", "--clients", "60", "--seed", "9")[0] == 0
    a = json.loads(run("--db", str(first), "clients", "--json", "--status", "all")[1])
    b = json.loads(run("--db", str(second), "clients", "--json", "--status", "all")[1])
    strip = lambda rows: [{k: v for k, v in r.items() if k != "id"} for r in rows]  # noqa: E731
    assert strip(a) == strip(b)
    assert (
        len({r["main_weakness"].split(",")[1] for r in a if r["main_weakness"]}) >= 3
    )  # mixed sources
    assert any(r["devices"] for r in a) and any(r["advisories"] for r in a)
    assert any(r["status"] == "discharged" for r in a)


def test_demo_refuses_a_database_with_clients(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "c.sqlite3")
    run("--db", db, "demo", "--clients", "5")
    status, _ = run("--db", db, "demo", "--clients", "5")
    assert status == 2 and "already holds 5 clients" in capsys.readouterr().err


def test_filters_on_the_command_line(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "f.sqlite3")
    run("--db", db, "demo", "--clients", "50")
    everyone = json.loads(run("--db", db, "clients", "--json")[1])
    due = json.loads(run("--db", db, "clients", "--json", "--due-by", "2000-01-01")[1])
    legs = json.loads(
        run("--db", db, "clients", "--json", "--region", "ankle_foot", "--cause", "nerve_damage")[1]
    )
    assert due == [] and 0 < len(legs) < len(everyone)
    with pytest.raises(SystemExit):
        main(["--db", db, "clients", "--due-by", "next week"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_export_import_db_commands(tmp_path: Path, capsys) -> None:
    db, copy_db, file = (
        str(tmp_path / "e.sqlite3"),
        str(tmp_path / "copy.sqlite3"),
        tmp_path / "td1.json",
    )
    run("--db", db, "demo", "--clients", "3")
    assert run("--db", db, "export", "TD-00001", "-o", str(file)) == (
        0,
        f"Exported TD-00001 to {file}\n",
    )
    assert run("--db", copy_db, "import", str(file))[0] == 2
    assert "no clinic database at" in capsys.readouterr().err
    assert run("--db", copy_db, "db", "init") == (
        0,
        f"New clinic database ready in sqlite:///{copy_db}.\n",
    )
    assert run("--db", copy_db, "import", str(file))[0] == 0
    assert run("--db", copy_db, "import", str(file))[0] == 2
    assert "--replace" in capsys.readouterr().err
    assert run("--db", copy_db, "import", str(file), "--replace")[0] == 0
    status, report = run("--db", copy_db, "db", "check")
    assert status == 0 and "no problems found" in report
    status, said = run("--db", copy_db, "db", "backup", "-o", str(tmp_path / "b.sqlite3"))
    assert status == 0 and (tmp_path / "b.sqlite3").exists()
    assert run("--db", copy_db, "db", "upgrade") == (
        0,
        f"Schema already current ({SCHEMA_HEAD}).\n",
    )
    assert run("--db", db, "advisories", "NOPE")[0] == 2
    assert "No client has the reference NOPE" in capsys.readouterr().err


def test_dismiss_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "d.sqlite3")
    run("--db", db, "demo", "--clients", "2")
    advisories = json.loads(run("--db", db, "advisories", "TD-00001", "--json")[1])
    first = advisories[0]
    status, _ = run(
        "--db",
        db,
        "--user",
        "dana",
        "dismiss",
        "TD-00001",
        first["code"],
        first["about"],
        "--reason",
        "Discussed with the client",
    )
    assert status == 0
    remaining = json.loads(run("--db", db, "advisories", "TD-00001", "--json")[1])
    assert first["about"] not in [a["about"] for a in remaining if a["code"] == first["code"]]
    every = json.loads(run("--db", db, "advisories", "TD-00001", "--json", "--all")[1])
    (gone,) = [a for a in every if a["dismissed"]]
    assert gone["dismissed"]["by"] == "dana"


def test_default_database_lives_in_the_user_data_folder() -> None:
    status, where = run("db", "where")
    assert (
        status == 0 and str(Path.home()) in where and where.strip().endswith("therapy-desk.sqlite3")
    )
