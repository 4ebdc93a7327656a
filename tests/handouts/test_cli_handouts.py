"""`therapy-desk handout` and `print-due` as an admin scripts them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests import factories
from tests.core.test_cli import run
from tests.handouts.reading import HandoutReader
from therapy_desk.domain.vocabulary import Cause, Region, Side
from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
from therapy_desk.services.opening import open_clinic


def _demo(url: str) -> None:
    assert run("--db", url, "demo", "--clients", "30", "--seed", "4")[0] == 0


def _handouts_recorded(url: str) -> list[tuple[str, str, bool]]:
    """Handouts the admin gave (the demo clinic has a history of its own)."""
    from sqlalchemy import select

    from therapy_desk.domain import Client, HandoutRecord

    db = open_clinic(url)
    try:
        with db.reading() as session:
            rows = session.execute(
                select(Client.reference, HandoutRecord.kind, HandoutRecord.large_print)
                .join(Client)
                .where(HandoutRecord.given_by == "admin")
                .order_by(Client.reference, HandoutRecord.kind)
            )
            return [tuple(r) for r in rows]  # type: ignore[misc]
    finally:
        db.close()


def test_handout_writes_the_pdf_and_records_it(database_url: str, tmp_path: Path) -> None:
    _demo(database_url)
    target = tmp_path / "zoë handout.pdf"
    status, said = run(
        "--db",
        database_url,
        "--user",
        "admin",
        "handout",
        "TD-00002",
        "--kind",
        "energy",
        "--kind",
        "home_safety",
        "--large-print",
        "-o",
        str(target),
    )
    assert status == 0, said
    assert "Energy, heat and daily routine, Home safety and falls checklist for TD-00002" in said
    reader = HandoutReader(target.read_bytes())
    listing = json.loads(run("--db", database_url, "clients", "--json", "--search", "TD-00002")[1])
    assert listing[0]["name"] in reader.text
    assert min(r.size for r in reader.runs()) >= 18
    assert _handouts_recorded(database_url) == [
        ("TD-00002", "energy", True),
        ("TD-00002", "home_safety", True),
    ]
    assert not list(tmp_path.glob("*.partial"))


def test_handout_refusals_say_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "h.sqlite3")
    run("--db", db, "demo", "--clients", "3")
    status, _ = run("--db", db, "handout", "TD-09999", "-o", str(tmp_path / "x.pdf"))
    assert status == 2 and "TD-09999" in capsys.readouterr().err
    # A fresh clinic has no details: handouts would not say whom to call.
    empty = str(tmp_path / "empty.sqlite3")
    run("--db", empty, "db", "init")
    status, _ = run(
        "--db",
        empty,
        "print-due",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-02",
        "-o",
        str(tmp_path / "y.pdf"),
    )
    assert status == 0  # nobody due: nothing to refuse
    assert not (tmp_path / "y.pdf").exists()
    status, _ = run(
        "--db",
        db,
        "print-due",
        "--from",
        "2026-02-01",
        "--to",
        "2026-01-01",
        "-o",
        str(tmp_path / "y.pdf"),
    )
    assert status == 2 and "swap them" in capsys.readouterr().err


def test_print_due_makes_one_file_for_the_range(database_url: str, tmp_path: Path) -> None:
    _demo(database_url)
    start, end = date.today(), date.today() + timedelta(days=14)
    # Every active client due by the end of the range: those overdue are printed too.
    due = json.loads(run("--db", database_url, "clients", "--json", "--due-by", end.isoformat())[1])
    assert due, "the demo books follow-ups in the coming fortnight"
    target = tmp_path / "due.pdf"
    status, said = run(
        "--db",
        database_url,
        "--user",
        "admin",
        "print-due",
        "--from",
        start.isoformat(),
        "--to",
        end.isoformat(),
        "--kind",
        "follow_up",
        "--standard-print",
        "--given",
        "-o",
        str(target),
    )
    assert status == 0, said
    assert f"Handouts for {len(due)} of {len(due)} clients" in said
    assert "Recorded as given" in said
    reader = HandoutReader(target.read_bytes())
    for row in due:
        assert row["name"] in reader.text
    assert reader.text.count("Your follow-up plan") == len(due)
    recorded = _handouts_recorded(database_url)
    assert sorted(r[0] for r in recorded) == sorted(r["reference"] for r in due)
    assert all(kind == "follow_up" and not large for _, kind, large in recorded)


def test_a_batch_printed_ahead_records_nothing_unless_given(
    database_url: str, tmp_path: Path
) -> None:
    _demo(database_url)
    start, end = date.today(), date.today() + timedelta(days=14)
    in_range = [
        r
        for r in json.loads(
            run("--db", database_url, "clients", "--json", "--due-by", end.isoformat())[1]
        )
        if r["next_follow_up"] >= start.isoformat()
    ]
    status, said = run(
        "--db",
        database_url,
        "--user",
        "admin",
        "print-due",
        "--from",
        start.isoformat(),
        "--to",
        end.isoformat(),
        "--no-overdue",
        "-o",
        str(tmp_path / "ahead.pdf"),
    )
    assert status == 0, said
    assert f"of {len(in_range)} client" in said and "overdue" not in said
    assert "Not recorded as given" in said
    assert HandoutReader((tmp_path / "ahead.pdf").read_bytes()).text
    assert _handouts_recorded(database_url) == []


def _knee_client(url: str, cause: Cause) -> None:
    """C-1: a 1.5 kg weight on the seated knee exercise, left knee weak from `cause`."""
    db = open_clinic(url)
    try:
        with db.transaction() as session:
            save_clinic_details(session, details=ClinicDetails(name="Riverside", phone="0163"))
            client_id = factories.client(session)
            factories.finding(session, client_id, Region.KNEE, cause, Side.LEFT)
            factories.programme(session, client_id, factories.weighted_knee())
    finally:
        db.close()


def _handout(url: str, target: Path, *more: str) -> tuple[int, str]:
    return run("--db", url, "--user", "admin", "handout", "C-1", *more, "-o", str(target))


def test_handout_warns_of_a_flagged_item_by_name_and_records_it(
    database_url: str, tmp_path: Path
) -> None:
    _knee_client(database_url, Cause.NERVE_DAMAGE)
    status, said = _handout(database_url, tmp_path / "flagged.pdf")
    assert status == 0, said
    (warning,) = [line for line in said.splitlines() if line.startswith("Warning:")]
    assert "Exercise 1, Seated knee" in warning and "1.5 kg" in warning
    assert "nerve damage" in warning
    assert "recorded as given" in said
    assert ("C-1", "programme", False) in _handouts_recorded(database_url)


def test_handout_for_disuse_weakness_warns_of_nothing(database_url: str, tmp_path: Path) -> None:
    _knee_client(database_url, Cause.DECONDITIONING)
    status, said = _handout(database_url, tmp_path / "plain.pdf")
    assert status == 0, said
    assert "Warning" not in said


def test_not_given_saves_without_a_record_and_a_record_can_be_withdrawn(
    database_url: str, tmp_path: Path
) -> None:
    _knee_client(database_url, Cause.DECONDITIONING)
    status, said = _handout(database_url, tmp_path / "later.pdf", "--not-given")
    assert status == 0 and "Not recorded as given" in said
    assert (tmp_path / "later.pdf").exists()
    assert _handouts_recorded(database_url) == []

    assert _handout(database_url, tmp_path / "now.pdf", "--kind", "programme")[0] == 0
    assert _handouts_recorded(database_url) == [("C-1", "programme", False)]
    status, said = run(
        "--db",
        database_url,
        "--user",
        "admin",
        "withdraw-handout",
        "C-1",
        "--kind",
        "programme",
        "--reason",
        "Printed for the wrong client",
    )
    assert status == 0 and "Withdrew the Home exercise programme given to C-1" in said
    status, _ = run(
        "--db", database_url, "withdraw-handout", "C-1", "--kind", "programme", "--reason", "x"
    )
    assert status == 2  # nothing left to withdraw
    assert _handouts_recorded(database_url) == [("C-1", "programme", False)]
