"""Small things a therapist trips over (issue 14, item 10), each driven as they meet it."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from tests import factories
from tests.handouts.reading import HandoutReader
from tests.ui.conftest import Notices, show
from therapy_desk import words
from therapy_desk.domain.vocabulary import Cause, Region, Side
from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
from therapy_desk.services.programmes import ItemSpec
from therapy_desk.services.record_view import read_record
from ui.background import Background
from ui.desk import Desk
from ui.forms import Form
from ui.pages.record import RecordPage
from ui.pages.record_overview import OverviewTab
from ui.pages.record_programme import ProgrammeTab
from ui.widgets.exercise_drawing import NO_SELECTION


@pytest.fixture
def flagged(desk: Desk, client_id: uuid.UUID) -> uuid.UUID:
    """A client with an open advisory: a weighted knee exercise on nerve-damage weakness."""
    with desk.database.transaction() as session:
        save_clinic_details(session, details=ClinicDetails(name="Riverside Neuro Therapy"))
        factories.finding(session, client_id, Region.KNEE, Cause.NERVE_DAMAGE, Side.LEFT)
        factories.programme(session, client_id, factories.weighted_knee())
    return client_id


def _page(qtbot: QtBot, desk: Desk, client_id: uuid.UUID) -> RecordPage:
    page = show(qtbot, RecordPage(desk))
    page.resize(1200, 800)
    assert page.open_client(client_id)
    return page


def _pill(page: RecordPage):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    widgets = [page.flags.itemAt(i).widget() for i in range(page.flags.count())]
    return next(w for w in widgets if isinstance(w, QPushButton) and "advisor" in w.text())


# a) The advisories pill goes to the advisories -----------------------------------------


@pytest.mark.parametrize("how", ["click", "keyboard"])
def test_the_advisories_pill_goes_to_the_advisories(
    qtbot: QtBot, desk: Desk, flagged: uuid.UUID, how: str
) -> None:
    page = _page(qtbot, desk, flagged)
    page.tabs.setCurrentWidget(page.tab(ProgrammeTab))
    pill = _pill(page)
    record = page.record
    assert record is not None
    assert pill.text() == words.count(len(record.open_advisories), "advisory", "advisories")
    if how == "click":
        qtbot.mouseClick(pill, Qt.MouseButton.LeftButton)
    else:
        pill.setFocus()
        qtbot.keyClick(pill, Qt.Key.Key_Space)
    overview = page.tab(OverviewTab)
    assert isinstance(overview, OverviewTab)
    assert page.tabs.currentWidget() is overview
    first = overview.cards[0]
    assert first.view.dismissed is None and page.focusWidget() is first.button


# b) After issuing a revision the table is back at its first column ----------------------


def test_issuing_a_revision_scrolls_the_programme_back_to_the_exercise(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID
) -> None:
    with desk.database.transaction() as session:
        factories.programme(
            session,
            client_id,
            factories.weighted_knee(Side.LEFT),
            factories.weighted_knee(Side.RIGHT),
            ItemSpec("sit-to-stand", sets=2, reps=10),
        )
    page = _page(qtbot, desk, client_id)
    page.resize(700, 700)  # narrow: the dose columns run off to the right
    tab = page.tab(ProgrammeTab)
    assert isinstance(tab, ProgrammeTab)
    page.tabs.setCurrentWidget(tab)
    bar = tab.table.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    last = tab.model.index(2, tab.model.columnCount() - 2)
    tab.table.setCurrentIndex(last)
    tab.table.scrollTo(last)
    assert bar.value() > 0
    tab.table.setFocus()
    qtbot.keyClicks(tab.table, "1")  # a new value in a dose cell, far right
    qtbot.keyClick(tab.table.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.issue_button.isEnabled())
    qtbot.keyClicks(tab.reason, "Fewer sets")
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    assert not tab.has_unsaved_changes()
    assert "Revision 2" in tab.revision_picker.itemText(0)
    assert bar.value() == 0
    assert tab.table.verticalScrollBar().value() == 0
    assert tab.table.currentIndex().column() == 0


# c) No exercise chosen: no "No drawing" --------------------------------------------------


def test_with_no_exercise_chosen_the_drawing_asks_for_one(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID
) -> None:
    page = _page(qtbot, desk, client_id)
    tab = page.tab(ProgrammeTab)
    assert isinstance(tab, ProgrammeTab)
    page.tabs.setCurrentWidget(tab)
    assert tab.model.rowCount() == 0
    assert tab.drawing.message() == NO_SELECTION
    assert tab.drawing.accessibleDescription() == NO_SELECTION


# d) Stale messages go when their input changes ------------------------------------------


def test_a_fields_message_goes_when_the_field_is_changed(qtbot: QtBot) -> None:
    form = show(qtbot, Form())
    name = form.add("name", "&Name:", QLineEdit())
    choice = QComboBox()
    choice.addItems(["One", "Two"])
    form.add("choice", "&Choice:", choice)
    form.show_errors({"name": "Type a name", "choice": "Choose again"})
    assert form.error_text("name") == "Type a name"
    qtbot.keyClicks(name, "A")
    assert form.error_text("name") == ""
    assert not name.property("invalid")
    assert form.error_text("choice") == "Choose again"  # untouched, still said
    choice.setFocus()
    qtbot.keyClick(choice, Qt.Key.Key_Down)
    assert form.error_text("choice") == ""


def test_saved_to_goes_when_the_handouts_chosen_change(
    qtbot: QtBot,
    desk: Desk,
    flagged: uuid.UUID,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    notices: Notices,
) -> None:
    from ui.dialogs.handouts import HandoutsDialog

    dialog = show(qtbot, HandoutsDialog(desk, flagged))
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    target = tmp_path / "out.pdf"
    monkeypatch.setattr(
        "ui.handout_output.QFileDialog.getSaveFileName", lambda *a: (str(target), "")
    )
    notices.answers = ["later"]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.recorded.text().startswith(f"Saved to {target}")
    qtbot.mouseClick(dialog.large_print, Qt.MouseButton.LeftButton)
    assert dialog.recorded.text() == ""
    dialog.close()


# e) Save as PDF starts in Documents, then where the last one went -----------------------


def test_save_as_pdf_starts_in_documents_then_remembers_the_folder(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.handout_output import ask_pdf_path

    home = Path.home()
    monkeypatch.chdir(tmp_path)  # the working directory is never where it starts
    offered: list[str] = []
    answer: list[str] = [""]

    def chooser(parent, title, suggested, filters):  # type: ignore[no-untyped-def]
        offered.append(suggested)
        return answer[0], filters

    monkeypatch.setattr("ui.handout_output.QFileDialog.getSaveFileName", chooser)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert ask_pdf_path(parent, "a.pdf") is None  # no Documents folder yet: home
    assert offered[-1] == str(home / "a.pdf")
    documents = Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    )
    documents.mkdir(parents=True, exist_ok=True)
    ask_pdf_path(parent, "a.pdf")
    assert offered[-1] == str(documents / "a.pdf")
    elsewhere = tmp_path / "letters"
    elsewhere.mkdir()
    answer[0] = str(elsewhere / "chosen")
    assert ask_pdf_path(parent, "a.pdf") == elsewhere / "chosen.pdf"
    answer[0] = ""
    ask_pdf_path(parent, "b.pdf")
    assert offered[-1] == str(elsewhere / "b.pdf")


# f) The record summary: a preview with the clinic's header, then print ----------------


def test_the_record_summary_previews_with_the_clinic_header_and_prints_those_pages(
    qtbot: QtBot, desk: Desk, flagged: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.printing import RecordSummaryDialog

    record = desk.read(read_record, client_id=flagged, today=desk.today())
    dialog = show(qtbot, RecordSummaryDialog(desk, record))
    assert dialog.windowTitle() == "Record summary – Zoë Łukasiewicz"
    assert dialog.preview.page_count() >= 1
    assert dialog.note.isHidden()
    text = HandoutReader(dialog.pdf).text
    assert text.index("Riverside Neuro Therapy") < text.index("Record summary")
    assert "Zoë Łukasiewicz (TD-00001)" in text and "Open advisories" in text
    printed: list[bytes] = []

    def fake_print(data: bytes, parent: object, *, title: str, **_: object) -> bool:
        printed.append(data)
        return True

    monkeypatch.setattr("ui.pdf_print.print_pdf", fake_print)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert printed == [dialog.pdf]
    assert dialog.done_text.text() == "Sent to the printer."
    dialog.close()


def test_without_clinic_details_the_summary_says_how_to_add_them(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID
) -> None:
    from ui.printing import RecordSummaryDialog

    record = desk.read(read_record, client_id=client_id, today=desk.today())
    dialog = show(qtbot, RecordSummaryDialog(desk, record))
    assert dialog.note.isVisible() and "Clinic details for handouts" in dialog.note.text()
    assert "Record summary" in HandoutReader(dialog.pdf).text
    dialog.close()


def test_the_file_menus_print_opens_the_summary_preview(
    qtbot: QtBot, desk: Desk, flagged: uuid.UUID, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ui.main_window import MainWindow
    from ui.printing import RecordSummaryDialog

    shown: list[str] = []
    monkeypatch.setattr(
        RecordSummaryDialog, "exec", lambda self: shown.append(self.windowTitle()) or 0
    )
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = show(qtbot, MainWindow(desk, store))
    window.start(None)
    assert window.open_client(flagged)
    window.print_current()
    assert shown == ["Record summary – Zoë Łukasiewicz"]
    window.close()


# g) Quitting does not wait for a read under way ------------------------------------------


def test_abandoning_the_worker_returns_at_once_and_drops_its_answers(qtbot: QtBot) -> None:
    background = Background()
    release = threading.Event()
    started = threading.Event()
    answers: list[object] = []

    def slow_read() -> str:
        started.set()
        release.wait(10)
        return "rows"

    background.run("caseload", slow_read, answers.append, answers.append)
    background.run("week", lambda: "week", answers.append, answers.append)
    assert started.wait(10)
    background.abandon()
    assert not release.is_set()  # abandon came back while the read was still under way
    background.run("late", lambda: "late", answers.append, answers.append)
    release.set()
    assert background.wait(10_000)
    qtbot.wait(50)  # any answer queued for the GUI thread would arrive now
    assert answers == []
    assert not background.busy()


def test_closing_a_desk_still_opening_leaves_the_opener_to_close_it(qtbot: QtBot) -> None:
    release = threading.Event()
    closed: list[bool] = []

    class Opened:
        url = "sqlite:///nowhere"

        def close(self) -> None:
            closed.append(True)

    def open_slowly():  # type: ignore[no-untyped-def]
        release.wait(10)
        return Opened()

    desk = Desk.opening(open_slowly, where="test")
    desk.begin_opening()
    desk.close()  # returns while the database is still opening
    assert closed == [] and not release.is_set()
    release.set()
    assert desk._opening is not None
    desk._opening.join(10)
    assert closed == [True]
