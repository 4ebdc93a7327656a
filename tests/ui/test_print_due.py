"""The batch of handouts for follow-ups due, as an admin uses it: overdue included and
marked, any client unticked, and only the ticked ones get handouts."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests import factories
from tests.handouts.reading import HandoutReader
from tests.ui.conftest import Notices, show
from therapy_desk.domain import Client, HandoutRecord
from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
from therapy_desk.services.this_week import this_week
from ui.desk import Desk
from ui.dialogs.print_due import PrintDueDialog

#: Name → days from today of the next follow-up.
BOOKED = {
    "Aoife Overdue": -3,
    "Bram Longago": -40,
    "Chidi Today": 0,
    "Dana Friday": 4,
    "Emil Weekend": 7,
    "Farah Later": 20,
}


@pytest.fixture
def booked(desk: Desk) -> dict[str, uuid.UUID]:
    ids = {}
    with desk.database.transaction() as session:
        save_clinic_details(session, details=ClinicDetails(name="Riverside Neuro Therapy"))
        for number, (name, days) in enumerate(BOOKED.items(), start=1):
            ids[name] = factories.client(session, reference=f"TD-{number:05}", name=name)
            client = session.get(Client, ids[name])
            assert client is not None
            client.next_follow_up = factories.TODAY + timedelta(days=days)
    return ids


def _untick(qtbot: QtBot, dialog: PrintDueDialog, name: str) -> None:
    """Select the client's line and press Space, as a keyboard user unticks it."""
    row = next(i for i in range(dialog.clients.count()) if name in dialog.clients.item(i).text())
    dialog.clients.setFocus()
    dialog.clients.setCurrentRow(row)
    qtbot.keyClick(dialog.clients, Qt.Key.Key_Space)
    assert dialog.clients.item(row).checkState() == Qt.CheckState.Unchecked


def _given_to(desk: Desk) -> set[uuid.UUID]:
    with desk.database.reading() as session:
        return set(session.scalars(select(HandoutRecord.client_id)))


def test_overdue_are_listed_as_this_week_lists_them_and_only_the_ticked_get_handouts(
    qtbot: QtBot,
    desk: Desk,
    booked: dict[str, uuid.UUID],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    notices: Notices,
) -> None:
    dialog = show(qtbot, PrintDueDialog(desk))
    lines = [dialog.clients.item(i).text() for i in range(dialog.clients.count())]
    week = desk.read(this_week, today=desk.today())
    # The same clients as This week's follow-ups, overdue first and marked.
    assert [row.client_id for row in dialog.due] == [w.client_id for w in week.follow_ups]
    assert len(lines) == 5 and not any("Farah Later" in line for line in lines)
    assert lines[0].startswith("Overdue since 12 Oct 2026") and "Bram Longago" in lines[0]
    assert lines[1].startswith("Overdue since 18 Nov 2026") and "Aoife Overdue" in lines[1]
    assert not any("Overdue" in line for line in lines[2:])
    assert dialog.count.text() == "Print 5 of 5 clients · 2 overdue"

    _untick(qtbot, dialog, "Aoife Overdue")
    _untick(qtbot, dialog, "Dana Friday")
    assert dialog.count.text() == "Print 3 of 5 clients · 2 overdue"

    target = tmp_path / "due.pdf"
    monkeypatch.setattr(
        "ui.handout_output.QFileDialog.getSaveFileName",
        lambda *args: (str(target), "PDF files (*.pdf)"),
    )
    notices.answers = ["given"]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in dialog.report.toPlainText(), timeout=20_000)
    ticked = {"Bram Longago", "Chidi Today", "Emil Weekend"}
    assert _given_to(desk) == {booked[name] for name in ticked}
    text = HandoutReader(target.read_bytes()).text
    for name in BOOKED:
        assert (name in text) is (name in ticked), name
    assert "for 3 clients added to their timelines" in dialog.report.toPlainText()

    # The report was about that batch: a change of what is ticked clears it.
    _untick(qtbot, dialog, "Chidi Today")
    assert dialog.report.toPlainText() == ""
    dialog.close()


def test_overdue_can_be_left_out_and_nothing_ticked_prints_nothing(
    qtbot: QtBot, desk: Desk, booked: dict[str, uuid.UUID]
) -> None:
    dialog = show(qtbot, PrintDueDialog(desk))
    qtbot.mouseClick(dialog.overdue, Qt.MouseButton.LeftButton)
    assert not dialog.overdue.isChecked()
    lines = [dialog.clients.item(i).text() for i in range(dialog.clients.count())]
    assert len(lines) == 3 and not any("Overdue" in line for line in lines)
    assert dialog.count.text() == "Print 3 of 3 clients"
    for name in ("Chidi Today", "Dana Friday", "Emil Weekend"):
        _untick(qtbot, dialog, name)
    assert dialog.count.text() == "Print 0 of 3 clients"
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    dialog.close()
