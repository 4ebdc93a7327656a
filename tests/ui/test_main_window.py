"""The main window as a therapist starts the day: the caseload, search, filters, the week's
list, a new client, and the prompt before unsaved edits are lost."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from tests import factories
from tests.ui.conftest import show
from therapy_desk.domain.vocabulary import Cause, ClientStatus, MSCourse, Region, TrialSubject
from therapy_desk.services.clients import find_by_reference
from therapy_desk.services.falls import FallDetails, log_fall
from therapy_desk.services.trials import open_trial
from ui.desk import Desk
from ui.dialogs.client import ClientDialog
from ui.main_window import MainWindow
from ui.pages.record_programme import ProgrammeTab


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def clinic_of_three(desk: Desk) -> dict[str, uuid.UUID]:
    today = factories.TODAY
    with desk.database.transaction() as s:
        ids = {
            "ada": factories.client(
                s,
                "TD-00001",
                "Ada Okafor",
                ms_course=MSCourse.PRIMARY_PROGRESSIVE,
                next_follow_up=today + timedelta(days=2),
            ),
            "ben": factories.client(
                s, "TD-00002", "Ben Müller", next_follow_up=today + timedelta(days=40)
            ),
            "hà": factories.client(s, "TD-00003", "Nguyễn Thị Hà"),
        }
        factories.finding(s, ids["ben"], Region.ANKLE_FOOT, Cause.NERVE_DAMAGE)
        open_trial(
            s,
            client_id=ids["hà"],
            subject=TrialSubject.STRATEGY,
            what="Pacing diary",
            started_on=today - timedelta(days=40),
            review_on=today - timedelta(days=5),
        )
        log_fall(
            s,
            client_id=ids["ada"],
            details=FallDetails(fell_on=today - timedelta(days=3), place="Kitchen"),
            today=today,
        )
    return ids


def main_window(qtbot: QtBot, desk: Desk, settings: QSettings) -> MainWindow:
    window = MainWindow(desk, settings)
    show(qtbot, window)
    with qtbot.waitSignal(window.caseload.loaded, timeout=10_000):
        window.start()
    qtbot.waitUntil(lambda: window.this_week.follow_ups.count() > 0, timeout=10_000)
    return window


def shown_names(window: MainWindow) -> list[str]:
    model = window.caseload.model
    return [model.row_at(r).name for r in range(model.rowCount())]


def test_search_as_you_type_and_filters(
    qtbot: QtBot, desk: Desk, settings: QSettings, clinic_of_three: dict[str, uuid.UUID]
) -> None:
    window = main_window(qtbot, desk, settings)
    assert shown_names(window) == ["Ada Okafor", "Ben Müller", "Nguyễn Thị Hà"]
    # QTest types ASCII only; non-ASCII arrives the way an input method delivers it.
    window.caseload.search.insert("mül")
    assert shown_names(window) == ["Ben Müller"]
    window.caseload.search.clear()
    qtbot.keyClicks(window.caseload.search, "td-00003")
    assert shown_names(window) == ["Nguyễn Thị Hà"]
    window.caseload.search.clear()

    qtbot.mouseClick(window.caseload.due, Qt.MouseButton.LeftButton)
    assert shown_names(window) == ["Ada Okafor"]
    qtbot.mouseClick(window.caseload.due, Qt.MouseButton.LeftButton)
    window.caseload.cause.set_value(Cause.NERVE_DAMAGE)
    assert shown_names(window) == ["Ben Müller"]
    window.caseload.cause.set_value(None)
    window.caseload.overdue.setFocus()
    qtbot.keyClick(window.caseload.overdue, Qt.Key.Key_Space)
    assert shown_names(window) == ["Nguyễn Thị Hà"]
    assert "1 of 3 clients shown" in window.caseload.count.text()


def test_sorting_by_a_column_header(
    qtbot: QtBot, desk: Desk, settings: QSettings, clinic_of_three: dict[str, uuid.UUID]
) -> None:
    window = main_window(qtbot, desk, settings)
    window.caseload.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # next follow-up
    assert shown_names(window)[:2] == ["Ada Okafor", "Ben Müller"]
    window.caseload.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert shown_names(window) == ["Nguyễn Thị Hà", "Ben Müller", "Ada Okafor"]


def test_this_week_lists_follow_ups_overdue_trials_and_falls_and_opens_the_client(
    qtbot: QtBot, desk: Desk, settings: QSettings, clinic_of_three: dict[str, uuid.UUID]
) -> None:
    window = main_window(qtbot, desk, settings)
    week = window.this_week
    assert "Ada Okafor" in week.follow_ups.item(0).text()
    assert "Pacing diary" in week.trials.item(0).text()
    assert "Kitchen" in week.falls.item(0).text()
    week.follow_ups.setCurrentRow(0)
    qtbot.keyClick(week.follow_ups, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.record
    assert window.record.name.text() == "Ada Okafor"


def test_creating_a_client_opens_their_record_and_lists_them(
    qtbot: QtBot,
    desk: Desk,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    clinic_of_three: dict[str, uuid.UUID],
) -> None:
    window = main_window(qtbot, desk, settings)

    def fill_and_save(dialog: ClientDialog) -> int:
        assert dialog.reference.text() == "TD-00004"
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert "Name" in dialog.form.error_text("name")
        dialog.name.insert("Siobhán O'Brien")
        dialog.ms_course.set_value(MSCourse.RELAPSING_REMITTING)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return int(dialog.result())

    monkeypatch.setattr(ClientDialog, "exec", fill_and_save)
    with qtbot.waitSignal(window.caseload.loaded, timeout=10_000):
        window.new_client()
    assert window.record.name.text() == "Siobhán O'Brien"
    assert "Relapsing" in window.record.details.text()
    assert "Siobhán O'Brien" in shown_names(window)
    client = desk.read(find_by_reference, reference="TD-00004")
    assert client.status is ClientStatus.ACTIVE


def test_leaving_a_record_with_an_unsaved_programme_asks_first(
    qtbot: QtBot,
    desk: Desk,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    clinic_of_three: dict[str, uuid.UUID],
) -> None:
    window = main_window(qtbot, desk, settings)
    assert window.open_client(clinic_of_three["ada"])
    tab = window.record.tab(ProgrammeTab)
    assert isinstance(tab, ProgrammeTab)
    exercise = next(e for e in tab.desk.read(_exercises) if e.code == "sit-to-stand")
    tab.add_exercise(exercise)
    assert window.record.has_unsaved_changes()

    from PySide6.QtWidgets import QMessageBox

    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked: list[str] = []

    def answer(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert not window.open_client(clinic_of_three["ben"])
    assert window.record.name.text() == "Ada Okafor"
    assert window.open_client(clinic_of_three["ben"])
    assert window.record.name.text() == "Ben Müller"
    assert len(asked) == 2 and "not saved" in asked[0]


def test_window_layout_and_theme_are_remembered(
    qtbot: QtBot, desk: Desk, settings: QSettings
) -> None:
    from ui.theme import Theme

    window = main_window(qtbot, desk, settings)
    window.set_theme(Theme.HIGH_CONTRAST, larger=True)
    window.resize(1250, 777)
    window.splitter.setSizes([300, 800])
    window.close()
    saved = settings.value("window/geometry")
    assert saved == window.saveGeometry()
    again = main_window(qtbot, desk, settings)
    # 1250 × 777 does not fit the tests' 1280 × 720 screen, so the window opens at its
    # first-run size instead (tests/ui/test_fits_screen.py); what matters here is that
    # the saved geometry is the one handed back.
    assert again.size().height() <= 777
    assert again.theme() is Theme.HIGH_CONTRAST
    assert again.larger_text.isChecked()
    assert settings.value("window/splitter") == window.splitter.saveState()
    again.set_theme(Theme.LIGHT, larger=False)


def test_start_up_paints_with_the_systems_last_light_or_dark_then_checks_it(
    qtbot: QtBot, settings: QSettings
) -> None:
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from ui.theme import (
        SYSTEM_DARK_KEY,
        Theme,
        apply_theme,
        follow_system,
        remembered_system_dark,
        system_is_dark,
    )

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert remembered_system_dark(settings) is None
    # Last time the system was the other way round from how it is now.
    settings.setValue(SYSTEM_DARK_KEY, not system_is_dark())
    remembered = remembered_system_dark(settings)
    assert remembered is not system_is_dark()
    shown = apply_theme(app, Theme.SYSTEM, larger_text=False, system_dark=remembered)
    assert shown is (Theme.DARK if remembered else Theme.LIGHT)
    try:
        follow_system(app, settings)
        assert remembered_system_dark(settings) is system_is_dark()
        window_colour = app.palette().color(QPalette.ColorRole.Window)
        assert (window_colour.lightness() < 128) is system_is_dark()
    finally:
        apply_theme(app, Theme.LIGHT, larger_text=False)


def _exercises(session):  # type: ignore[no-untyped-def]
    from therapy_desk.services.catalogue import list_exercises

    return list_exercises(session)


def test_search_folds_accents_and_punctuation_and_says_when_nothing_matches(
    qtbot: QtBot, desk: Desk, settings: QSettings
) -> None:
    with desk.database.transaction() as s:
        for n, name in enumerate(("Ana García", "Zoë Łukasiewicz", "Siobhan O'Neill"), 1):
            factories.client(s, f"TD-{n:05}", name)
    window = main_window(qtbot, desk, settings)
    search, caseload = window.caseload.search, window.caseload
    for typed, names in (
        ("garcia", ["Ana García"]),
        ("zoe", ["Zoë Łukasiewicz"]),
        ("lukas", ["Zoë Łukasiewicz"]),
        ("oneill", ["Siobhan O'Neill"]),
        ("o'neill", ["Siobhan O'Neill"]),
    ):
        search.clear()
        qtbot.keyClicks(search, typed)
        assert shown_names(window) == names, typed
        assert caseload.table.isVisible() and not caseload.empty.isVisible()

    search.clear()
    qtbot.keyClicks(search, "nobody")
    assert shown_names(window) == []
    assert caseload.empty.isVisible() and not caseload.table.isVisible()
    assert caseload.empty.text() == "No client matches “nobody”"
    qtbot.keyClick(search, Qt.Key.Key_Backspace)
    assert caseload.empty.text() == "No client matches “nobod”"
    search.clear()
    assert len(shown_names(window)) == 3
    assert caseload.table.isVisible() and not caseload.empty.isVisible()
