"""Handouts in the app as a therapist and an admin use them: choose, preview, save, print."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests import factories
from tests.handouts.reading import HandoutReader
from tests.ui.conftest import Notices, show
from therapy_desk.db.backup import integrity_problems
from therapy_desk.domain import Client
from therapy_desk.domain.vocabulary import Cause, HandoutKind, Region, Side
from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
from therapy_desk.services.record_view import read_record
from ui.desk import Desk
from ui.dialogs.handouts import HandoutsDialog
from ui.dialogs.print_due import PrintDueDialog, PrintSize
from ui.forms import date_value, set_date

CLINIC = ClinicDetails(name="Riverside Neuro Therapy", phone="01632 960 123")


@pytest.fixture
def ready(desk: Desk, client_id: uuid.UUID) -> uuid.UUID:
    """A client with a programme, in a clinic whose details are set."""
    with desk.database.transaction() as session:
        save_clinic_details(session, details=CLINIC)
        factories.programme(session, client_id, factories.weighted_knee())
    return client_id


def _choose_file(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    asked: list[str] = []

    def chooser(parent, title, suggested, filters):  # type: ignore[no-untyped-def]
        asked.append(suggested)
        return str(target), filters

    monkeypatch.setattr("ui.handout_output.QFileDialog.getSaveFileName", chooser)
    return asked


def _dialog(qtbot: QtBot, desk: Desk, client_id: uuid.UUID) -> HandoutsDialog:
    dialog = show(qtbot, HandoutsDialog(desk, client_id))
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    return dialog


def _timeline(desk: Desk, client_id: uuid.UUID) -> list[str]:
    record = desk.read(read_record, client_id=client_id, today=desk.today())
    return [e.title for e in record.timeline if e.kind == "handout"]


def test_choose_preview_and_save_records_the_handout(
    qtbot: QtBot,
    desk: Desk,
    ready: uuid.UUID,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    notices: Notices,
) -> None:
    dialog = _dialog(qtbot, desk, ready)
    assert dialog.windowTitle() == "Handouts — Zoë Łukasiewicz"
    # No device: its box is greyed out, with the reason under it.
    devices = dialog.kinds.boxes[HandoutKind.DEVICES]
    assert not devices.isEnabled()
    assert "No device is on trial" in dialog.kinds.reasons[HandoutKind.DEVICES].text()
    assert dialog.kinds.chosen() == [HandoutKind.PROGRAMME, HandoutKind.FOLLOW_UP]
    standard_pages = dialog.preview.page_count()
    assert standard_pages >= 3
    assert dialog.pages_label.text() == f"Page 1 of {standard_pages}"

    # Large print and the home-safety checklist: the preview is rebuilt.
    qtbot.mouseClick(dialog.large_print, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.kinds.boxes[HandoutKind.HOME_SAFETY], Qt.MouseButton.LeftButton)
    assert not dialog.save_button.isEnabled()  # the old pages are not what would be saved
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    assert dialog.preview.page_count() > standard_pages

    target = tmp_path / "handouts.pdf"
    asked = _choose_file(monkeypatch, target)
    notices.answers = ["given"]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Given to the client now?" in notices.text()
    assert asked and asked[0].endswith("Handouts – Zoë Łukasiewicz – 2026-11-21.pdf")
    reader = HandoutReader(target.read_bytes())
    assert "Zoë Łukasiewicz" in reader.text and "Home safety and falls checklist" in reader.text
    assert min(r.size for r in reader.runs()) >= 18
    assert "3 handouts added to the client's timeline" in dialog.recorded.text()
    assert sorted(_timeline(desk, ready)) == [
        "Handout given: Follow-up plan (large print)",
        "Handout given: Home exercise programme (large print)",
        "Handout given: Home safety and falls checklist (large print)",
    ]
    dialog.close()


def test_print_sends_the_same_pdf_and_records_it_cancel_records_nothing(
    qtbot: QtBot, desk: Desk, ready: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, desk, ready)
    printed: list[bytes] = []
    answers = iter([False, True])

    def fake_print(data: bytes, parent: object, *, title: str, **_: object) -> bool:
        printed.append(data)
        return next(answers)

    monkeypatch.setattr("ui.pdf_print.print_pdf", fake_print)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)  # cancelled
    assert _timeline(desk, ready) == []
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert printed[1] == dialog.pdf.pdf  # type: ignore[union-attr]
    assert len(_timeline(desk, ready)) == 2
    dialog.close()


def test_without_clinic_details_the_dialog_says_what_to_do(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID
) -> None:
    dialog = show(qtbot, HandoutsDialog(desk, client_id))
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=10_000)
    assert "Clinic details for handouts" in dialog.problem.text()
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    dialog.close()


def _due(desk: Desk, *ids: uuid.UUID) -> None:
    with desk.database.transaction() as session:
        for days, cid in enumerate(ids, start=1):
            client = session.get(Client, cid)
            assert client is not None
            client.next_follow_up = factories.TODAY + timedelta(days=days)


def test_admin_batch_saves_one_pdf_for_everyone_due_and_records_it(
    qtbot: QtBot,
    desk: Desk,
    ready: uuid.UUID,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    notices: Notices,
) -> None:
    with desk.database.transaction() as session:
        other = factories.client(session, reference="TD-00002", name="Nguyễn Thị Hà")
        far = factories.client(session, reference="TD-00003", name="Later Client")
    _due(desk, ready, other)
    with desk.database.transaction() as session:
        client = session.get(Client, far)
        assert client is not None
        client.next_follow_up = factories.TODAY + timedelta(days=30)
    dialog = show(qtbot, PrintDueDialog(desk))
    assert dialog.clients.count() == 2  # This week's range by default
    assert dialog.count.text() == "Print 2 of 2 clients"
    set_date(dialog.end, date_value(dialog.start))
    assert dialog.clients.count() == 0  # nobody due today
    assert not dialog.save_button.isEnabled()
    set_date(dialog.end, date_value(dialog.end) + timedelta(days=7))  # type: ignore[operator]
    assert dialog.clients.count() == 2
    dialog.print_size.setCurrentIndex(dialog.print_size.findData(PrintSize.STANDARD))

    target = tmp_path / "due.pdf"
    _choose_file(monkeypatch, target)
    notices.answers = ["given"]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in dialog.report.toPlainText(), timeout=20_000)
    reader = HandoutReader(target.read_bytes())
    assert "Zoë Łukasiewicz" in reader.text and "Nguyễn Thị Hà" in reader.text
    assert "Later Client" not in reader.text
    report = dialog.report.toPlainText()
    assert "TD-00002: Home exercise programme left out" in report
    assert len(_timeline(desk, ready)) == 2  # programme and follow-up plan
    assert _timeline(desk, other) == ["Handout given: Follow-up plan"]
    dialog.close()


def test_batch_cancel_saves_and_records_nothing(
    qtbot: QtBot, desk: Desk, ready: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    _due(desk, ready)
    dialog = show(qtbot, PrintDueDialog(desk))
    set_date(dialog.end, date_value(dialog.end) + timedelta(days=3))  # type: ignore[operator]
    chooser = _choose_file(monkeypatch, Path("/nonexistent/never.pdf"))
    dialog._cancel.set()  # what the progress dialog's Cancel button does
    monkeypatch.setattr(dialog._cancel, "clear", lambda: None)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Cancelled" in dialog.report.toPlainText(), timeout=20_000)
    assert chooser == []
    assert _timeline(desk, ready) == []
    dialog.close()


def test_a_backwards_range_is_refused_at_the_field(qtbot: QtBot, desk: Desk) -> None:
    dialog = show(qtbot, PrintDueDialog(desk))
    set_date(dialog.end, date_value(dialog.start) - timedelta(days=2))  # type: ignore[operator]
    assert dialog.range_error.isVisible()
    assert "ends before it starts" in dialog.range_error.text()
    assert not dialog.save_button.isEnabled()
    dialog.close()


def test_the_record_header_opens_the_clients_handouts(
    qtbot: QtBot, desk: Desk, ready: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.pages.record import RecordPage

    opened: list[uuid.UUID] = []
    monkeypatch.setattr(HandoutsDialog, "exec", lambda self: opened.append(self.client_id) or 0)
    page = show(qtbot, RecordPage(desk))
    assert page.open_client(ready)
    qtbot.mouseClick(page.handouts_button, Qt.MouseButton.LeftButton)
    assert opened == [ready]


def test_start_up_does_not_load_the_pdf_libraries() -> None:
    """ReportLab and pdfium load with the first handout, not before the first paint."""
    import subprocess
    import sys

    code = (
        "import sys, ui.app, ui.main_window;"
        "heavy = [m for m in ('reportlab', 'pypdfium2') if m in sys.modules];"
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_saving_the_pdf_over_the_open_database_is_refused_and_the_database_is_intact(
    qtbot: QtBot,
    desk: Desk,
    ready: uuid.UUID,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    notices: Notices,
) -> None:
    database = desk.database.file
    assert database is not None
    before = database.read_bytes()
    alias = tmp_path / "handouts.pdf"
    alias.symlink_to(database)  # the database under a PDF's name
    dialog = _dialog(qtbot, desk, ready)
    _choose_file(monkeypatch, alias)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert "The PDF was not saved" in notices.text()
    assert "open database" in notices.text()
    assert database.read_bytes() == before
    assert not integrity_problems(database)
    assert _timeline(desk, ready) == []
    assert dialog.recorded.text() == ""
    assert not list(tmp_path.glob(".*.partial"))
    dialog.close()


def test_a_pdf_whose_record_fails_is_not_left_behind(
    qtbot: QtBot,
    desk: Desk,
    ready: uuid.UUID,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    notices: Notices,
) -> None:
    from therapy_desk.db.faults import DatabaseBusy

    def busy(session, **kwargs):  # type: ignore[no-untyped-def]
        raise DatabaseBusy()

    monkeypatch.setattr("ui.handout_output.record_handouts_given", busy)
    dialog = _dialog(qtbot, desk, ready)
    out = tmp_path / "out"
    out.mkdir()
    _choose_file(monkeypatch, out / "handouts.pdf")
    notices.answers = ["given"]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert "busy" in notices.text()
    assert list(out.iterdir()) == []  # no PDF, no temporary file
    assert _timeline(desk, ready) == []
    dialog.close()


def test_saving_over_an_existing_pdf_replaces_it_the_dialog_having_asked(
    qtbot: QtBot,
    desk: Desk,
    ready: uuid.UUID,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    notices: Notices,
) -> None:
    target = tmp_path / "handouts.pdf"
    target.write_bytes(b"%PDF-1.4 last week's")
    dialog = _dialog(qtbot, desk, ready)
    _choose_file(monkeypatch, target)
    notices.answers = ["given"]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == dialog.pdf.pdf  # type: ignore[union-attr]
    assert len(_timeline(desk, ready)) == 2
    dialog.close()


def test_a_saved_preview_not_given_records_nothing(
    qtbot: QtBot,
    desk: Desk,
    ready: uuid.UUID,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    notices: Notices,
) -> None:
    dialog = _dialog(qtbot, desk, ready)
    target = tmp_path / "to-send.pdf"
    _choose_file(monkeypatch, target)
    notices.answers = ["later"]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == dialog.pdf.pdf  # type: ignore[union-attr]
    assert _timeline(desk, ready) == []
    assert "Not recorded as given" in dialog.recorded.text()
    # Closing the question is No too: the same preview saved twice records nothing.
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [n.heading.text() for n in notices.shown] == ["Given to the client now?"] * 2
    assert _timeline(desk, ready) == []
    dialog.close()


def _fake_printer(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    printed: list[bytes] = []

    def fake_print(data: bytes, parent: object, *, title: str, **_: object) -> bool:
        printed.append(data)
        return True

    monkeypatch.setattr("ui.pdf_print.print_pdf", fake_print)
    return printed


@pytest.mark.parametrize(("answer", "recorded"), [("given", 2), ("later", 0)])
def test_the_batch_asks_once_after_printing_and_records_only_if_given(
    qtbot: QtBot,
    desk: Desk,
    ready: uuid.UUID,
    monkeypatch: pytest.MonkeyPatch,
    notices: Notices,
    answer: str,
    recorded: int,
) -> None:
    with desk.database.transaction() as session:
        other = factories.client(session, reference="TD-00002", name="Nguyễn Thị Hà")
    _due(desk, ready, other)
    dialog = show(qtbot, PrintDueDialog(desk))
    set_date(dialog.end, date_value(dialog.end) + timedelta(days=7))  # type: ignore[operator]
    printed = _fake_printer(monkeypatch)
    notices.answers = [answer]
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Sent" in dialog.report.toPlainText(), timeout=20_000)
    assert len(printed) == 1
    assert [n.heading.text() for n in notices.shown] == ["Given to the 2 clients now?"]
    assert len(_timeline(desk, ready)) == recorded
    assert len(_timeline(desk, other)) == recorded // 2
    if not recorded:
        assert "Not recorded as given" in dialog.report.toPlainText()
    dialog.close()


def test_printing_the_clients_handouts_records_without_asking(
    qtbot: QtBot, desk: Desk, ready: uuid.UUID, monkeypatch: pytest.MonkeyPatch, notices: Notices
) -> None:
    dialog = _dialog(qtbot, desk, ready)
    _fake_printer(monkeypatch)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert notices.shown == []
    assert len(_timeline(desk, ready)) == 2
    dialog.close()


@pytest.mark.parametrize(
    ("cause", "flagged"), [(Cause.NERVE_DAMAGE, True), (Cause.DECONDITIONING, False)]
)
def test_an_exercise_an_advisory_concerns_is_named_before_printing(
    qtbot: QtBot,
    desk: Desk,
    ready: uuid.UUID,
    monkeypatch: pytest.MonkeyPatch,
    cause: Cause,
    flagged: bool,
) -> None:
    with desk.database.transaction() as session:
        factories.finding(session, ready, Region.KNEE, cause, Side.LEFT)
    dialog = _dialog(qtbot, desk, ready)
    assert dialog.flagged.isVisible() is flagged
    if flagged:
        text = dialog.flagged.text()
        assert "Exercise 1, Seated knee" in text and "1.5 kg" in text and "print anyway" in text
        # Not printing the programme: nothing to flag.
        dialog.kinds.boxes[HandoutKind.PROGRAMME].click()
        assert not dialog.flagged.isVisible()
        dialog.kinds.boxes[HandoutKind.PROGRAMME].click()
        qtbot.waitUntil(lambda: dialog.print_button.isEnabled(), timeout=10_000)
    _fake_printer(monkeypatch)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)  # printing anyway
    assert len(_timeline(desk, ready)) == 2
    assert ("Printed with 1 exercise an open advisory concerns" in dialog.recorded.text()) is (
        flagged
    )
    dialog.close()


def test_a_handout_given_can_be_withdrawn_with_a_reason(
    qtbot: QtBot, desk: Desk, ready: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.dialogs.withdraw_handout import WithdrawHandoutDialog

    dialog = _dialog(qtbot, desk, ready)
    _fake_printer(monkeypatch)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    opened: list[WithdrawHandoutDialog] = []

    def answer(self: WithdrawHandoutDialog) -> int:
        opened.append(self)
        assert self.given.count() == 2
        qtbot.mouseClick(self.withdraw_button, Qt.MouseButton.LeftButton)  # no reason yet
        assert self.result() == 0  # not withdrawn without a reason
        qtbot.keyClicks(self.reason, "Printed twice; one copy kept")
        qtbot.mouseClick(self.withdraw_button, Qt.MouseButton.LeftButton)
        return int(self.result())

    monkeypatch.setattr(WithdrawHandoutDialog, "exec", answer)
    qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    assert opened and opened[0].result() == 1
    record = desk.read(read_record, client_id=ready, today=desk.today())
    events = [(e.title, e.detail) for e in record.timeline if e.kind == "handout"]
    withdrawn = [e for e in events if e[0].startswith("Handout withdrawn by")]
    assert len(withdrawn) == 1 and withdrawn[0][1] == "Printed twice; one copy kept"
    assert sum(title.endswith("(withdrawn)") for title, _ in events) == 1
    dialog.close()
