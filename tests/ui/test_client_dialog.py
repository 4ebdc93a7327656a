"""The new-client form: what it offers before the therapist has chosen anything."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import show
from therapy_desk.domain.vocabulary import MSCourse
from therapy_desk.services.clients import load_record
from ui.desk import Desk
from ui.dialogs.client import ClientDialog


def test_a_new_client_s_ms_course_is_not_known_until_chosen(qtbot: QtBot, desk: Desk) -> None:
    dialog = show(qtbot, ClientDialog(desk))
    assert dialog.ms_course.value() is MSCourse.UNKNOWN
    assert dialog.ms_course.currentText() == MSCourse.UNKNOWN.label == "Not known"
    assert not dialog.has_unsaved_changes()

    dialog.name.insert("Nia Adeyemi")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_id is not None
    saved = desk.read(load_record, client_id=dialog.saved_id)
    assert saved.ms_course is MSCourse.UNKNOWN
