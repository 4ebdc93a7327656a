"""When a Save meets trouble, as a therapist sees it: someone else changed the record,
the database is busy, or something unexpected went wrong. Nothing is lost from the
form, nothing half-done is saved, and no client's details reach stderr or the log."""

from __future__ import annotations

import sqlite3
import sys
import threading
import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from tests import factories
from tests.ui.conftest import Notices, show
from tests.ui.test_record_flows import edit_cell
from therapy_desk import incidents
from therapy_desk.db import engine as engine_module
from therapy_desk.domain import Client, Programme
from therapy_desk.services.clients import load_record, update_client
from therapy_desk.services.opening import open_clinic
from therapy_desk.services.programmes import revise_programme
from ui import errors
from ui.background import Background
from ui.desk import Changes, Desk
from ui.dialogs.client import ClientDialog
from ui.pages.record_programme import ProgrammeTab

NAME = "Zoë Łukasiewicz"


@pytest.fixture
def alex(desk: Desk) -> Iterator[Desk]:
    """The same clinic open on another workstation, used by Alex."""
    other = Desk(open_clinic(str(desk.database.file)), user="alex")
    yield other
    other.close()


def _client(desk: Desk, client_id: uuid.UUID) -> Client:
    return desk.read(load_record, client_id=client_id)


def _details_dialog(qtbot: QtBot, desk: Desk, client_id: uuid.UUID) -> ClientDialog:
    return show(qtbot, ClientDialog(desk, client=_client(desk, client_id)))


def _alex_changes_the_phone(alex: Desk, client_id: uuid.UUID) -> None:
    from dataclasses import replace

    from therapy_desk.services.clients import ClientDetails

    seen = _client(alex, client_id)
    details = ClientDetails(
        reference=seen.reference,
        name=seen.name,
        date_of_birth=seen.date_of_birth,
        phone=seen.phone,
        email=seen.email,
        address=seen.address,
        ms_course=seen.ms_course,
        diagnosis_year=seen.diagnosis_year,
        primary_therapist=seen.primary_therapist,
        next_follow_up=seen.next_follow_up,
        large_print=seen.large_print,
        language=seen.language,
        notes=seen.notes,
    )
    alex.act(
        update_client,
        changes=Changes(client_id, "client"),
        client_id=client_id,
        details=replace(details, phone="01632 960 777"),
        today=alex.today(),
        expected_version=seen.version,
    )


def _type_notes(qtbot: QtBot, dialog: ClientDialog, text: str) -> None:
    dialog.notes.setFocus()
    qtbot.keyClicks(dialog.notes, text)


def test_a_conflict_names_who_changed_it_cancel_keeps_the_typing_apply_saves_mine(
    qtbot: QtBot, desk: Desk, alex: Desk, client_id: uuid.UUID, notices: Notices
) -> None:
    dialog = _details_dialog(qtbot, desk, client_id)
    _type_notes(qtbot, dialog, "Uses a stick outdoors")
    _alex_changes_the_phone(alex, client_id)

    notices.answers.append("cancel")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Not saved: alex changed this client" in notices.text()
    assert notices.labels() and set(notices.labels()) == {"Reload", "Apply mine again", "Cancel"}
    assert dialog.isVisible()
    assert dialog.notes.toPlainText() == "Uses a stick outdoors"
    saved = _client(desk, client_id)
    assert saved.notes is None and saved.phone == "01632 960 777"

    notices.answers.append("apply")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    saved = _client(desk, client_id)
    assert saved.notes == "Uses a stick outdoors"
    assert saved.edited_by == "tester"  # every row written says who wrote it


def test_reload_after_a_conflict_shows_the_other_change_and_drops_mine(
    qtbot: QtBot, desk: Desk, alex: Desk, client_id: uuid.UUID, notices: Notices
) -> None:
    dialog = _details_dialog(qtbot, desk, client_id)
    _type_notes(qtbot, dialog, "Uses a stick outdoors")
    _alex_changes_the_phone(alex, client_id)

    notices.answers.append("reload")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "alex" in notices.text()
    assert dialog.isVisible()
    assert dialog.phone.text() == "01632 960 777"
    assert dialog.notes.toPlainText() == ""
    assert not dialog.has_unsaved_changes()
    assert _client(desk, client_id).edited_by == "alex"

    # Now the edit is made over Alex's version, and saves at once.
    _type_notes(qtbot, dialog, "Second try")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    saved = _client(desk, client_id)
    assert (saved.notes, saved.phone) == ("Second try", "01632 960 777")


def test_a_busy_database_says_so_and_the_form_stays_open_with_nothing_saved(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    notices: Notices,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = desk.database.file
    assert path is not None
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 200)
    here = Desk(open_clinic(str(path)), user="tester")  # its connections wait 200 ms
    try:
        dialog = _details_dialog(qtbot, here, client_id)
        _type_notes(qtbot, dialog, "Uses a stick outdoors")
        holder = sqlite3.connect(path, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")  # another program is writing
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert "The database is busy" in notices.text()
        assert "Nothing was saved" in notices.text()
        assert "try again" in notices.text()
        assert dialog.isVisible() and dialog.notes.toPlainText() == "Uses a stick outdoors"
        assert _client(desk, client_id).notes is None

        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # free again
        assert not dialog.isVisible()
        assert _client(desk, client_id).notes == "Uses a stick outdoors"
    finally:
        here.close()


def _press_copy(notice: errors.Notice) -> None:
    notice.button("copy").click()
    assert notice.button("copy").text() == "Copied"
    assert notice.chosen is None  # copying does not close it


def _log_text() -> str:
    log = incidents.log_folder() / incidents.LOG_NAME
    return log.read_text(encoding="utf-8")


def test_an_unexpected_error_on_save_is_reported_without_the_clients_details(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    notices: Notices,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    def broken(session, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"cannot store {kwargs['details'].name}: {kwargs['details'].notes}")

    monkeypatch.setattr("ui.dialogs.client.update_client", broken)
    dialog = _details_dialog(qtbot, desk, client_id)
    _type_notes(qtbot, dialog, "Lives alone")
    notices.during = _press_copy
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert "Something went wrong while saving the client's details" in notices.text()
    assert notices.shown[-1].windowTitle().endswith("something went wrong")
    assert set(notices.labels()) == {"Copied", "OK"}  # Copy details, pressed
    copied = QApplication.clipboard().text()
    assert "RuntimeError" in copied and "Therapy Desk incident" in copied
    assert NAME not in copied and "Lives alone" not in copied
    assert NAME not in _log_text() and "Lives alone" not in _log_text()
    assert dialog.isVisible() and dialog.notes.toPlainText() == "Lives alone"
    out, err = capfd.readouterr()
    assert err == "" and NAME not in out


@pytest.fixture
def door(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's hooks installed for this test (pytest-qt's are put back after)."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    errors.install(app)


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_shows_the_error_dialog_and_nothing_on_stderr(
    qtbot: QtBot, door: None, notices: Notices, capfd: pytest.CaptureFixture[str]
) -> None:
    button = QPushButton("Go")
    qtbot.addWidget(button)

    def slot() -> None:
        raise ValueError(f"{NAME} has no follow-up")

    button.clicked.connect(slot)
    notices.during = _press_copy
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(notices.shown), timeout=5000)

    assert "Something went wrong while working in Therapy Desk" in notices.text()
    copied = QApplication.clipboard().text()
    assert "ValueError" in copied and "in slot" in copied
    assert NAME not in copied
    out, err = capfd.readouterr()
    assert err == "" and NAME not in out


@pytest.mark.qt_no_exception_capture
def test_an_error_on_another_thread_reaches_the_error_dialog(
    qtbot: QtBot, door: None, notices: Notices, capfd: pytest.CaptureFixture[str]
) -> None:
    def work() -> None:
        raise KeyError(NAME)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(notices.shown), timeout=5000)
    assert "Something went wrong while working in Therapy Desk" in notices.text()
    assert capfd.readouterr().err == ""


def test_a_background_job_that_fails_unexpectedly_goes_through_the_door(
    qtbot: QtBot, notices: Notices, capfd: pytest.CaptureFixture[str]
) -> None:
    background = Background()
    failures: list[Exception] = []

    def work() -> None:
        raise ZeroDivisionError(NAME)

    background.run("sums", work, lambda _: None, failures.append, doing="adding up")
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    [failure] = failures
    assert isinstance(failure, errors.Unexpected)
    assert NAME not in str(failure) and failure.incident.code in str(failure)
    assert "Something went wrong while adding up" in notices.text()
    assert capfd.readouterr().err == ""


def test_a_known_problem_in_a_background_job_is_the_callers_to_tell(
    qtbot: QtBot, notices: Notices
) -> None:
    from therapy_desk.db.faults import DatabaseBusy

    background = Background()
    failures: list[Exception] = []

    def work() -> None:
        raise DatabaseBusy()

    background.run("read", work, lambda _: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], DatabaseBusy)
    assert notices.shown == []


def _alex_issues_a_revision(alex: Desk, client_id: uuid.UUID, programme_id: uuid.UUID) -> None:
    with alex.database.reading() as session:
        seen = factories.version(session, Programme, programme_id)
    alex.act(
        revise_programme,
        changes=Changes(client_id, "programme"),
        programme_id=programme_id,
        items=[factories.weighted_knee(load=2.0)],
        on=factories.TODAY,
        by="alex",
        expected_version=seen,
    )


def _revisions(desk: Desk, client_id: uuid.UUID) -> list[tuple[int, float | None, int | None]]:
    [programme] = _client(desk, client_id).programmes
    return [(r.number, r.items[0].load_kg, r.items[0].reps) for r in programme.revisions]


def test_a_programme_draft_begun_before_another_revision_is_a_conflict(
    qtbot: QtBot, desk: Desk, alex: Desk, client_id: uuid.UUID, open_tab, notices: Notices
) -> None:  # type: ignore[no-untyped-def]
    with desk.database.transaction() as session:
        programme_id = factories.programme(session, client_id, factories.weighted_knee())
    tab = open_tab(ProgrammeTab, client_id)
    edit_cell(qtbot, tab, 0, "reps", "12")
    _alex_issues_a_revision(alex, client_id, programme_id)

    notices.answers.append("cancel")
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    assert "alex changed this programme" in notices.text()
    assert tab.has_unsaved_changes() and tab.model.item(0).reps == 12
    assert _revisions(desk, client_id) == [(1, 1.5, 10), (2, 2.0, 10)]

    notices.answers.append("apply")
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    assert _revisions(desk, client_id) == [(1, 1.5, 10), (2, 2.0, 10), (3, 1.5, 12)]
    assert not tab.has_unsaved_changes()


def test_reload_drops_the_programme_draft_and_shows_the_other_revision(
    qtbot: QtBot, desk: Desk, alex: Desk, client_id: uuid.UUID, open_tab, notices: Notices
) -> None:  # type: ignore[no-untyped-def]
    with desk.database.transaction() as session:
        programme_id = factories.programme(session, client_id, factories.weighted_knee())
    tab = open_tab(ProgrammeTab, client_id)
    edit_cell(qtbot, tab, 0, "reps", "12")
    _alex_issues_a_revision(alex, client_id, programme_id)

    notices.answers.append("reload")
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    assert not tab.has_unsaved_changes()
    assert "Revision 2" in tab.revision_picker.itemText(0) and "by alex" in (
        tab.revision_picker.itemText(0)
    )
    assert tab.model.item(0).load_kg == 2.0
    assert _revisions(desk, client_id) == [(1, 1.5, 10), (2, 2.0, 10)]


@pytest.mark.qt_no_exception_capture
def test_a_known_problem_escaping_a_slot_is_told_in_its_own_words(
    qtbot: QtBot, door: None, notices: Notices, capfd: pytest.CaptureFixture[str]
) -> None:
    from therapy_desk.db.faults import DatabaseBusy

    button = QPushButton("Go")
    qtbot.addWidget(button)

    def slot() -> None:
        raise DatabaseBusy("TD-00001")

    button.clicked.connect(slot)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(notices.shown), timeout=5000)
    assert "client TD-00001 is busy" in notices.text()
    assert "Something went wrong" not in notices.text()
    assert capfd.readouterr().err == ""
