"""An error in a slot is shown to the user, never only printed: the real Handouts button
when the handouts cannot be made or the dialog cannot open, a menu command, a timer, and a
model's data() that fails at every repaint (told once, not in an endless stream)."""

from __future__ import annotations

import re
import sys
import threading
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from tests import factories
from tests.ui.conftest import Notices, show
from tests.ui.test_main_window import main_window
from therapy_desk import incidents
from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
from ui import errors
from ui.desk import Desk
from ui.dialogs import handouts as handouts_module
from ui.dialogs.handouts import HandoutsDialog
from ui.pages.record import RecordPage

NAME = "Zoë Łukasiewicz"
INCIDENT = re.compile(r"incident ([0-9A-F]{8})")


@pytest.fixture
def ready(desk: Desk, client_id: uuid.UUID) -> uuid.UUID:
    with desk.database.transaction() as session:
        save_clinic_details(session, details=ClinicDetails(name="Riverside Neuro Therapy"))
        factories.programme(session, client_id, factories.weighted_knee())
    return client_id


def _incident(text: str) -> str:
    found = INCIDENT.search(text)
    assert found, text
    return found.group(1)


def _logged(code: str) -> str:
    log = (incidents.log_folder() / incidents.LOG_NAME).read_text(encoding="utf-8")
    assert f"incident {code}" in log
    return log


def test_handouts_that_cannot_be_made_are_told_with_the_incident(
    qtbot: QtBot,
    desk: Desk,
    ready: uuid.UUID,
    notices: Notices,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    def broken_build(*args: object, **kwargs: object) -> object:
        raise RuntimeError(f"no pages for {NAME}")

    monkeypatch.setattr(handouts_module, "build_handout", broken_build)
    opened: list[HandoutsDialog] = []

    def exec_(dialog: HandoutsDialog) -> int:  # the modal loop, until the error is told
        opened.append(dialog)
        qtbot.waitUntil(lambda: bool(notices.shown), timeout=10_000)
        return 0

    monkeypatch.setattr(HandoutsDialog, "exec", exec_)
    page = show(qtbot, RecordPage(desk))
    assert page.open_client(ready)
    qtbot.mouseClick(page.handouts_button, Qt.MouseButton.LeftButton)

    [dialog] = opened
    assert "Something went wrong while making the handouts" in notices.text()
    code = _incident(notices.text())
    assert f"incident {code}" in dialog.problem.text() and not dialog.problem.isHidden()
    assert "The handout could not be made" in dialog.problem.text()
    assert NAME not in _logged(code)
    assert NAME not in capfd.readouterr().err


def test_a_handouts_dialog_that_cannot_open_is_told_not_silent(
    qtbot: QtBot,
    desk: Desk,
    ready: uuid.UUID,
    notices: Notices,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError(NAME)

    monkeypatch.setattr(handouts_module, "HandoutKindChecks", broken)
    page = show(qtbot, RecordPage(desk))
    assert page.open_client(ready)
    qtbot.mouseClick(page.handouts_button, Qt.MouseButton.LeftButton)

    assert len(notices.shown) == 1
    assert notices.shown[0].windowTitle() == "Therapy Desk — something went wrong"
    assert "Something went wrong while opening the handouts" in notices.text()
    code = _incident(notices.text())
    assert "KeyError" in _logged(code) and NAME not in _logged(code)
    assert NAME not in capfd.readouterr().err


def test_a_menu_command_that_fails_names_the_command(
    qtbot: QtBot,
    desk: Desk,
    ready: uuid.UUID,
    notices: Notices,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError(NAME)

    monkeypatch.setattr(handouts_module, "HandoutKindChecks", broken)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = main_window(qtbot, desk, settings)
    assert window.open_client(ready)
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert "Something went wrong while using File ▸ Handouts," in notices.text()
    _incident(notices.text())


@pytest.fixture
def door(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's own hooks, as `ui.app.run` installs them (pytest-qt's come back after)."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    errors.install(app)


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_timer_reaches_the_door(
    qtbot: QtBot, door: None, notices: Notices, capfd: pytest.CaptureFixture[str]
) -> None:
    def later() -> None:
        raise ValueError(NAME)

    QTimer.singleShot(0, later)
    qtbot.waitUntil(lambda: bool(notices.shown), timeout=5000)
    assert "Something went wrong while working in Therapy Desk" in notices.text()
    assert NAME not in capfd.readouterr().err


class _BrokenModel(QAbstractTableModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 3

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 2

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            raise LookupError(NAME)
        return None


@pytest.mark.qt_no_exception_capture
def test_a_model_that_fails_at_every_paint_is_told_once(
    qtbot: QtBot, door: None, notices: Notices, capfd: pytest.CaptureFixture[str]
) -> None:
    view = QTableView()
    model = _BrokenModel(view)
    view.setModel(model)
    show(qtbot, view)
    qtbot.waitUntil(lambda: bool(notices.shown), timeout=5000)
    for _ in range(3):  # repaints fail again and again
        view.viewport().update()
        qtbot.wait(20)
    assert len(notices.shown) == 1
    assert "Something went wrong while working in Therapy Desk" in notices.text()
    assert NAME not in capfd.readouterr().err
