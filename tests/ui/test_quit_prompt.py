"""Leaving a record with edits not saved: the prompt says what is unsaved and where, and a
Save that fails takes the user to the field to correct instead of doing nothing visible."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests import factories
from tests.ui.test_main_window import main_window
from tests.ui.test_record_flows import edit_cell
from therapy_desk.domain import Programme
from therapy_desk.services.clients import load_record
from ui.desk import Desk
from ui.main_window import MainWindow
from ui.pages.record_overview import OverviewTab
from ui.pages.record_programme import ProgrammeTab

Answer = QMessageBox.StandardButton


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def clients(desk: Desk) -> dict[str, uuid.UUID]:
    with desk.database.transaction() as session:
        zoe = factories.client(session, "TD-00001", "Zoë Łukasiewicz")
        ben = factories.client(session, "TD-00002", "Ben Müller")
        factories.programme(session, zoe, factories.weighted_knee())
    return {"zoe": zoe, "ben": ben}


class Prompts:
    """The unsaved-changes question, answered from `answers` in turn; its text is kept."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[str] = []
        self.answers: list[QMessageBox.StandardButton] = []

        def question(parent, title, text, buttons, default=None):  # type: ignore[no-untyped-def]
            self.asked.append(text)
            assert buttons & Answer.Save and buttons & Answer.Discard and buttons & Answer.Cancel
            return self.answers.pop(0)

        monkeypatch.setattr(QMessageBox, "question", question)


@pytest.fixture
def prompts(monkeypatch: pytest.MonkeyPatch) -> Prompts:
    return Prompts(monkeypatch)


def _revisions(desk: Desk, client_id: uuid.UUID) -> list[int | None]:
    programme: Programme = desk.read(load_record, client_id=client_id).programmes[0]
    return [r.items[0].reps for r in programme.revisions]


def _click_tab(qtbot: QtBot, window: MainWindow, kind: type) -> None:
    bar = window.record.tabs.tabBar()
    index = window.record.tab_pages.index(window.record.tab(kind))
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert window.record.tabs.currentIndex() == index


def _quit(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Q, as the user presses it."""
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)


def _window_with_a_bad_edit(
    qtbot: QtBot, desk: Desk, settings: QSettings, client_id: uuid.UUID
) -> tuple[MainWindow, ProgrammeTab]:
    """Zoë's record open, 500 repetitions typed on the Programme tab (at most 100 are
    allowed), then the Overview tab brought to the front."""
    window = main_window(qtbot, desk, settings)
    window.resize(1280, 720)
    assert window.open_client(client_id)
    programme = window.record.tab(ProgrammeTab)
    assert isinstance(programme, ProgrammeTab)
    _click_tab(qtbot, window, ProgrammeTab)
    edit_cell(qtbot, programme, 0, "reps", "500")
    _click_tab(qtbot, window, OverviewTab)
    return window, programme


def test_quit_with_an_invalid_field_on_another_tab_goes_to_the_field(
    qtbot: QtBot,
    desk: Desk,
    settings: QSettings,
    clients: dict[str, uuid.UUID],
    prompts: Prompts,
) -> None:
    window, programme = _window_with_a_bad_edit(qtbot, desk, settings, clients["zoe"])

    prompts.answers.append(Answer.Save)
    _quit(qtbot, window)
    assert prompts.asked == [
        "Unsaved changes on Zoë Łukasiewicz's record: Programme tab (1 exercise changed).\n\n"
        "They are not saved yet. Save them before Therapy Desk closes?"
    ]
    # The window stays, showing the tab with the problem, the focus at its cell.
    assert window.isVisible()
    assert window.pages.currentWidget() is window.record
    assert window.record.tabs.currentWidget() is programme
    qtbot.waitUntil(programme.table.hasFocus)
    problem_cell = programme.table.currentIndex()
    assert (problem_cell.row(), problem_cell.column()) == (0, 2)  # line 1, reps
    assert "Line 1, reps: Repetitions" in programme.errors.text()
    assert programme.errors.isVisible()
    assert programme.model.item(0).reps == 500  # the edit is kept, to correct
    assert _revisions(desk, clients["zoe"]) == [10]  # nothing saved

    # Cancel keeps everything as it is.
    _click_tab(qtbot, window, OverviewTab)
    prompts.answers.append(Answer.Cancel)
    _quit(qtbot, window)
    assert window.isVisible()
    assert window.record.tabs.currentWidget() is window.record.tab(OverviewTab)
    assert programme.has_unsaved_changes() and programme.model.item(0).reps == 500
    assert _revisions(desk, clients["zoe"]) == [10]

    # Discard drops the edit and closes.
    prompts.answers.append(Answer.Discard)
    _quit(qtbot, window)
    assert not window.isVisible()
    assert _revisions(desk, clients["zoe"]) == [10]
    assert len(prompts.asked) == 3


def test_closing_the_window_saves_a_valid_edit_and_closes(
    qtbot: QtBot,
    desk: Desk,
    settings: QSettings,
    clients: dict[str, uuid.UUID],
    prompts: Prompts,
) -> None:
    window, programme = _window_with_a_bad_edit(qtbot, desk, settings, clients["zoe"])
    _click_tab(qtbot, window, ProgrammeTab)
    edit_cell(qtbot, programme, 0, "reps", "12")
    _click_tab(qtbot, window, OverviewTab)

    prompts.answers.append(Answer.Save)
    window.close()  # the window's own close button
    assert not window.isVisible()
    assert "Programme tab (1 exercise changed)" in prompts.asked[0]
    assert _revisions(desk, clients["zoe"]) == [10, 12]


def test_opening_another_client_with_an_invalid_field_stays_at_the_field(
    qtbot: QtBot,
    desk: Desk,
    settings: QSettings,
    clients: dict[str, uuid.UUID],
    prompts: Prompts,
) -> None:
    window, programme = _window_with_a_bad_edit(qtbot, desk, settings, clients["zoe"])

    prompts.answers.append(Answer.Save)
    row = window.caseload.model.row_of(clients["ben"])
    assert row is not None
    table = window.caseload.table
    cell = table.visualRect(window.caseload.model.index(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(cell))
    qtbot.keyClick(table, Qt.Key.Key_Return)  # open the chosen client
    assert "Save them before another client's record opens?" in prompts.asked[0]
    assert window.record.name.text() == "Zoë Łukasiewicz"
    assert window.record.tabs.currentWidget() is programme
    assert "Repetitions" in programme.errors.text()
    assert _revisions(desk, clients["zoe"]) == [10]
    # The caseload points at the record still showing, not at the one refused.
    selected = table.selectionModel().selectedRows()
    assert [window.caseload.model.row_at(i.row()).id for i in selected] == [clients["zoe"]]
    prompts.answers.append(Answer.Discard)
    window.close()
    assert not window.isVisible()
