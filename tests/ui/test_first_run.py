"""First run: the welcome screen creates the clinic, or opens the demo clinic, and then
the main window takes over."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from therapy_desk.db.location import DEFAULT_FILE, user_data_dir
from therapy_desk.services.clinic import clinic_details
from ui import app as app_module
from ui.app import App, chosen_location
from ui.main_window import MainWindow
from ui.welcome import WelcomeWindow


def test_a_new_database_shows_the_welcome_screen_and_creating_the_clinic_opens_the_caseload(
    qtbot: QtBot, desktop: App, tmp_path: Path
) -> None:
    # The first run, with nothing chosen: the default database is made for the clinic.
    default = user_data_dir() / DEFAULT_FILE
    assert not default.exists()
    assert desktop.start(chosen_location(None, desktop.store))
    assert default.is_file()
    welcome = desktop.window
    assert isinstance(welcome, WelcomeWindow)
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    assert "Clinic name" in welcome.form.error_text("name")
    assert isinstance(desktop.window, WelcomeWindow)

    qtbot.keyClicks(welcome.form.name, "Harbour Neuro Physio")
    qtbot.keyClicks(welcome.form.phone, "01632 960 999")
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    assert isinstance(desktop.window, MainWindow)
    assert desktop.desk is not None
    saved = desktop.desk.read(clinic_details)
    assert saved is not None and saved.name == "Harbour Neuro Physio"


def test_the_demo_clinic_is_built_off_the_gui_thread_then_opened(
    qtbot: QtBot, desktop: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "DEMO_CLIENTS", 12)
    assert desktop.start(None)
    welcome = desktop.window
    assert isinstance(welcome, WelcomeWindow)
    qtbot.mouseClick(welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(desktop.window, MainWindow), timeout=20_000)
    window = desktop.window
    assert isinstance(window, MainWindow)
    qtbot.waitUntil(lambda: window.caseload.model.total() == 12, timeout=10_000)
    assert "demo-clinic" in str(desktop.store.value("database/last"))


def test_an_existing_clinic_opens_straight_to_the_main_window(
    qtbot: QtBot, desktop: App, tmp_path: Path
) -> None:
    from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
    from therapy_desk.services.opening import open_clinic
    from ui.desk import Changes, Desk

    path = tmp_path / "clinic.sqlite3"
    setup = Desk(open_clinic(str(path), create=True), user="tester")
    setup.act(save_clinic_details, changes=Changes(None, "clinic"), details=ClinicDetails("Ward 3"))
    setup.close()
    assert desktop.open(str(path))
    assert isinstance(desktop.window, MainWindow)
