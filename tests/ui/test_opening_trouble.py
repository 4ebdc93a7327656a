"""Opening a clinic that is not where it should be, not a clinic, or damaged: the app
says which, creates nothing by accident, and offers the way on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests import factories
from tests.ui.conftest import Notices
from therapy_desk.db.backup import automatic_backup, integrity_problems
from therapy_desk.services import first_look as first_look_module
from therapy_desk.services.clients import count_clients
from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
from therapy_desk.services.first_look import FirstLook
from therapy_desk.services.opening import open_clinic
from ui.app import App, chosen_location
from ui.main_window import MainWindow
from ui.welcome import WelcomeWindow


def _clinic(path: Path, template: Path, clients: int = 3) -> None:
    shutil.copy(template, path)
    database = open_clinic(str(path))
    try:
        with database.transaction() as session:
            save_clinic_details(session, details=ClinicDetails("Harbour Neuro Physio"))
            for n in range(clients):
                factories.client(session, f"TD-{n:05d}", f"Client {n:03d}")
    finally:
        database.close()


def _damage(path: Path) -> None:
    """Scribble over every other page after the first, as a failing disk might."""
    data = bytearray(path.read_bytes())
    for page in range(2, len(data) // 4096, 2):
        data[page * 4096 + 8 : page * 4096 + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))
    assert integrity_problems(path, quick=True)


def _choose(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> None:
    monkeypatch.setattr(
        "ui.widgets.database_file.choose_database_file",
        lambda parent: str(path) if path is not None else None,
    )


def test_a_db_path_with_nothing_there_asks_and_creates_nothing(
    desktop: App, tmp_path: Path, notices: Notices
) -> None:
    typo = tmp_path / "clinc.sqlite3"
    notices.answers.append("leave")
    assert not desktop.start(str(typo))
    assert f"No clinic database at {typo}" in notices.text()
    assert set(notices.labels()) == {"Create a new clinic here", "Open another…", "Quit"}
    assert not typo.exists()
    assert desktop.window is None


def test_creating_a_new_clinic_there_is_a_choice(
    desktop: App, tmp_path: Path, notices: Notices
) -> None:
    path = tmp_path / "new-clinic.sqlite3"
    notices.answers.append("create")
    assert desktop.start(str(path))
    assert path.is_file()
    assert isinstance(desktop.window, WelcomeWindow)


def test_a_remembered_database_since_moved_is_asked_about_and_another_opened(
    desktop: App,
    tmp_path: Path,
    sqlite_template: Path,
    notices: Notices,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    moved = tmp_path / "old-place.sqlite3"
    desktop.store.setValue("database/last", str(moved))
    found = tmp_path / "new-place.sqlite3"
    _clinic(found, sqlite_template)
    _choose(monkeypatch, found)
    notices.answers.append("open")
    assert desktop.start(chosen_location(None, desktop.store))
    assert f"No clinic database at {moved}" in notices.text(0)
    assert not moved.exists()
    assert isinstance(desktop.window, MainWindow)
    assert desktop.store.value("database/last") == str(found)


def test_a_file_that_is_not_a_database_is_named_for_what_it_is(
    desktop: App, tmp_path: Path, notices: Notices
) -> None:
    letter = tmp_path / "referral.pdf"
    letter.write_bytes(b"%PDF-1.7\n% a referral letter\n")
    notices.answers.append("leave")
    assert not desktop.open(str(letter))
    assert "referral.pdf is not a clinic database" in notices.text()
    assert "a PDF document" in notices.text()
    assert set(notices.labels()) == {"Open another…", "Quit"}
    assert letter.read_bytes() == b"%PDF-1.7\n% a referral letter\n"


def test_a_damaged_database_offers_its_newest_good_backup_and_restoring_opens_it(
    qtbot: QtBot, desktop: App, tmp_path: Path, sqlite_template: Path, notices: Notices
) -> None:
    path = tmp_path / "clinic.sqlite3"
    _clinic(path, sqlite_template, clients=30)
    backup = automatic_backup(path, "manual")
    _damage(path)
    damaged = path.read_bytes()

    notices.answers.append("restore")
    assert desktop.start(str(path))
    offer = notices.text(0)
    assert "The clinic database is damaged" in offer
    assert "wrote nothing" in offer and backup.name in offer
    assert any(label.startswith("Restore the backup of") for label in notices.labels(0))
    told = notices.text(1)
    assert "was restored" in told
    [kept] = [p for p in tmp_path.glob("clinic.sqlite3.damaged-*") if p.name.endswith("Z")]
    assert kept.read_bytes() == damaged
    assert str(kept) in told
    assert isinstance(desktop.window, MainWindow)
    assert desktop.desk is not None and desktop.desk.read(count_clients) == 30


def test_a_damaged_database_is_left_alone_when_the_user_quits(
    desktop: App, tmp_path: Path, sqlite_template: Path, notices: Notices
) -> None:
    path = tmp_path / "clinic.sqlite3"
    _clinic(path, sqlite_template)
    _damage(path)
    damaged = path.read_bytes()
    notices.answers.append("leave")
    assert not desktop.start(str(path))
    assert "No good backup was found" in notices.text()
    assert set(notices.labels()) == {"Open another…", "Quit"}
    assert path.read_bytes() == damaged


def test_a_database_that_fails_to_open_behind_the_first_look_is_explained_too(
    qtbot: QtBot,
    desktop: App,
    tmp_path: Path,
    sqlite_template: Path,
    notices: Notices,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "clinic.sqlite3"
    _clinic(path, sqlite_template, clients=30)
    automatic_backup(path, "manual")
    _damage(path)
    # A first look that got through before the damage was found (it reads little).
    monkeypatch.setattr(
        first_look_module, "first_look", lambda text, today: FirstLook([], 30, f"sqlite:///{path}")
    )
    notices.answers.append("restore")
    assert desktop.start(str(path))
    qtbot.waitUntil(lambda: len(notices.shown) >= 2, timeout=10_000)
    assert "The clinic database is damaged" in notices.text(0)
    qtbot.waitUntil(
        lambda: desktop.desk is not None and desktop.desk.open_error is None, timeout=10_000
    )
    assert isinstance(desktop.window, MainWindow)
    assert desktop.desk is not None and desktop.desk.read(count_clients) == 30


def test_file_open_on_a_missing_path_keeps_the_clinic_that_is_open(
    desktop: App, tmp_path: Path, sqlite_template: Path, notices: Notices
) -> None:
    path = tmp_path / "clinic.sqlite3"
    _clinic(path, sqlite_template)
    assert desktop.open(str(path))
    window = desktop.window
    notices.answers.append("leave")
    assert not desktop.open(str(tmp_path / "gone.sqlite3"), remember=True)
    assert set(notices.labels()) == {"Create a new clinic here", "Open another…", "Cancel"}
    assert desktop.window is window
    assert not (tmp_path / "gone.sqlite3").exists()
