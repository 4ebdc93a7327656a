"""Who is using Therapy Desk on this computer: asked once at first start, stamped on what
they record, remembered here (not in the clinic database), changed from File ▸ Clinician…"""

from __future__ import annotations

import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tests import factories
from tests.ui.test_record_flows import edit_cell
from therapy_desk import workstation
from therapy_desk.domain import Programme
from therapy_desk.services.clients import load_record
from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
from therapy_desk.services.opening import open_clinic
from ui.app import App
from ui.desk import Desk
from ui.dialogs.clinician import ClinicianDialog
from ui.main_window import MainWindow
from ui.pages.record_programme import ProgrammeTab


@pytest.fixture
def clinic_file(tmp_path: Path) -> tuple[str, uuid.UUID]:
    """A clinic set up elsewhere, with one client on a programme."""
    path = tmp_path / "clinic.sqlite3"
    database = open_clinic(str(path), create=True)
    with database.transaction(user="setup") as session:
        save_clinic_details(session, details=ClinicDetails("Ward 3"))
        client_id = factories.client(session, "TD-00001", "Zoë Łukasiewicz")
        factories.programme(session, client_id, factories.weighted_knee())
    database.close()
    return str(path), client_id


@pytest.fixture
def new_computer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(workstation.CLINICIAN_VAR, raising=False)
    monkeypatch.delenv(workstation.OLD_USER_VAR, raising=False)
    assert workstation.remembered() is None


class Asked:
    """Each ClinicianDialog shown, answered by typing into it like a user."""

    def __init__(self, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[ClinicianDialog] = []
        self.typing: list[tuple[str, str]] = []

        def exec_(dialog: ClinicianDialog) -> int:
            self.shown.append(dialog)
            qtbot.addWidget(dialog)
            dialog.show()
            name, role = self.typing.pop(0)
            for field, text in ((dialog.name, name), (dialog.role, role)):
                field.selectAll()
                qtbot.keyClick(field, Qt.Key.Key_Backspace)
                qtbot.keyClicks(field, text)
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
            return int(dialog.result())

        monkeypatch.setattr(ClinicianDialog, "exec", exec_)


@pytest.fixture
def asked(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Asked:
    return Asked(qtbot, monkeypatch)


def _app(tmp_path: Path) -> App:
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return App(qt, store, user=None)


@pytest.fixture
def apps(tmp_path: Path) -> Iterator[list[App]]:
    made: list[App] = []
    yield made
    for app in made:
        if app.window is not None:
            app.window.close()
        app.background.wait()
        if app.desk is not None:
            app.desk.close()


def _issued_by(desk: Desk, client_id: uuid.UUID) -> list[tuple[str | None, str | None]]:
    programme: Programme = desk.read(load_record, client_id=client_id).programmes[0]
    return [(r.issued_by, r.edited_by) for r in programme.revisions]


def test_first_start_asks_once_and_the_name_is_stamped_on_what_is_saved(
    qtbot: QtBot,
    tmp_path: Path,
    new_computer: None,
    asked: Asked,
    apps: list[App],
    clinic_file: tuple[str, uuid.UUID],
) -> None:
    path, client_id = clinic_file
    app = _app(tmp_path)
    apps.append(app)
    assert app.user is None  # never the login name
    asked.typing.append(("Ana  Garcia", "OT"))
    assert app.open(path)
    qtbot.waitUntil(lambda: bool(asked.shown), timeout=5000)
    [dialog] = asked.shown
    assert dialog.required
    said = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Who is using Therapy Desk on this computer?" in said
    assert "kept on this computer only, not in the clinic's database" in said
    assert app.user == "Ana Garcia (OT)"
    assert app.desk is not None and app.desk.user == "Ana Garcia (OT)"
    kept = workstation.preferences_file()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert workstation.remembered() == workstation.Clinician("Ana Garcia", "OT")

    window = app.window
    assert isinstance(window, MainWindow)
    assert window.open_client(client_id)
    tab = window.record.tab(ProgrammeTab)
    assert isinstance(tab, ProgrammeTab)
    window.record.tabs.setCurrentWidget(tab)
    edit_cell(qtbot, tab, 0, "reps", "12")
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    assert _issued_by(app.desk, client_id)[-1] == ("Ana Garcia (OT)", "Ana Garcia (OT)")
    assert "by Ana Garcia (OT)" in tab.revision_picker.itemText(0)

    # The next start on this computer knows who it is: nothing is asked.
    again = _app(tmp_path)
    apps.append(again)
    assert again.open(path)
    qtbot.wait(50)
    assert len(asked.shown) == 1
    assert again.user == "Ana Garcia (OT)"


def test_the_first_start_question_needs_a_name_and_cannot_be_waved_away(
    qtbot: QtBot, new_computer: None
) -> None:
    dialog = ClinicianDialog(required=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.chosen is None
    assert "Type your name" in dialog.form.error_text("name")
    qtbot.waitUntil(dialog.name.hasFocus)
    assert workstation.remembered() is None


def test_file_clinician_changes_who_is_recording(
    qtbot: QtBot,
    tmp_path: Path,
    new_computer: None,
    asked: Asked,
    apps: list[App],
    clinic_file: tuple[str, uuid.UUID],
) -> None:
    workstation.remember(workstation.Clinician("Ana Garcia", "OT"))
    path, _ = clinic_file
    app = _app(tmp_path)
    apps.append(app)
    assert app.open(path)
    window = app.window
    assert isinstance(window, MainWindow)
    qtbot.waitUntil(lambda: window.menuBar().actions()[0].menu() is not None, timeout=5000)
    file_menu = window.menuBar().actions()[0].menu()
    [command] = [a for a in file_menu.actions() if a.text() == "C&linician…"]

    asked.typing.append(("Ben Okafor", ""))
    command.trigger()
    [dialog] = asked.shown
    assert not dialog.required
    assert app.user == "Ben Okafor" and app.desk is not None and app.desk.user == "Ben Okafor"
    assert workstation.remembered() == workstation.Clinician("Ben Okafor")
    assert "“by Ben Okafor”" in window.statusBar().currentMessage()
