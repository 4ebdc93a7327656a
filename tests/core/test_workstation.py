"""Who is acting, on the command line: --by, THERAPY_DESK_CLINICIAN, or the clinician
remembered on this computer; never the login name, and a command that writes with no
name says how to give one and changes nothing."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest

from therapy_desk import workstation
from therapy_desk.cli import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


@pytest.fixture
def nobody(monkeypatch: pytest.MonkeyPatch) -> None:
    """No name in the environment and none remembered, as on a new computer."""
    monkeypatch.delenv(workstation.CLINICIAN_VAR, raising=False)
    monkeypatch.delenv(workstation.OLD_USER_VAR, raising=False)
    assert workstation.remembered() is None


@pytest.fixture
def clinic(tmp_path: Path, nobody: None) -> str:
    db = str(tmp_path / "clinic.sqlite3")
    status, _ = run("--db", db, "demo", "--clients", "2")  # invented people: no name needed
    assert status == 0
    return db


def _first_advisory(db: str) -> dict[str, str]:
    advisories = json.loads(run("--db", db, "advisories", "TD-00001", "--json")[1])
    return dict(advisories[0])


def _dismiss(db: str, *by: str) -> int:
    advisory = _first_advisory(db)
    return run(
        "--db", db, *by, "dismiss", "TD-00001", advisory["code"], advisory["about"],
        "--reason", "Discussed with the client",
    )[0]  # fmt: skip


def _dismissed_by(db: str) -> list[str]:
    every = json.loads(run("--db", db, "advisories", "TD-00001", "--json", "--all")[1])
    return [a["dismissed"]["by"] for a in every if a["dismissed"]]


def test_a_command_that_writes_with_no_name_says_how_to_give_one(
    clinic: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert _dismiss(clinic) == 2
    said = capsys.readouterr().err
    assert "--by NAME" in said and "THERAPY_DESK_CLINICIAN=NAME" in said
    assert 'therapy-desk clinician "YOUR NAME"' in said and "Nothing was changed" in said
    assert _dismissed_by(clinic) == []


def test_by_then_the_environment_then_the_remembered_name(
    clinic: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _dismiss(clinic, "--by", "Ana García") == 0
    monkeypatch.setenv(workstation.CLINICIAN_VAR, "Ben Okafor")
    assert _dismiss(clinic) == 0
    monkeypatch.delenv(workstation.CLINICIAN_VAR)
    assert run("clinician", "Cara  Doyle", "--role", "PT")[0] == 0
    assert _dismiss(clinic) == 0
    assert sorted(_dismissed_by(clinic)) == ["Ana García", "Ben Okafor", "Cara Doyle (PT)"]


def test_the_clinician_command_remembers_a_name_in_a_private_file(
    nobody: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status, said = run("clinician")
    assert status == 1 and "No clinician is remembered on this computer" in said
    status, said = run("clinician", "Dana Ng", "--role", "OT")
    assert status == 0 and "“by Dana Ng (OT)”" in said
    path = workstation.preferences_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert workstation.remembered() == workstation.Clinician("Dana Ng", "OT")
    status, said = run("clinician")
    assert status == 0 and said.startswith("Dana Ng (OT)")
    assert run("clinician", "   ")[0] == 2
    assert "Type your name" in capsys.readouterr().err
    assert workstation.remembered() == workstation.Clinician("Dana Ng", "OT")  # unchanged


def test_the_demo_needs_no_name_and_never_says_the_login(clinic: str) -> None:
    import getpass

    from sqlalchemy import select

    from therapy_desk.domain import Client
    from therapy_desk.services.opening import open_clinic

    db = open_clinic(clinic)
    try:
        with db.reading() as session:
            stamps = set(session.scalars(select(Client.edited_by)))
    finally:
        db.close()
    assert stamps <= {None, "Demo clinic"}  # the demo writer stamps rows in bulk, or not
    assert getpass.getuser() not in stamps
