"""Clinic ▸ Advisory rules, and the clinical flags on the client and finding forms."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot

from tests import factories
from tests.ui.conftest import show
from therapy_desk import guidance as g
from therapy_desk.domain import Client, WeaknessFinding
from therapy_desk.domain.vocabulary import Cause, Region, Side
from therapy_desk.services.clients import load_record
from therapy_desk.services.rules import rule_settings
from ui.desk import Desk
from ui.dialogs.client import ClientDialog
from ui.dialogs.finding import FindingDialog
from ui.dialogs.rules import RulesDialog
from ui.pages.record_overview import OverviewTab


def test_turning_a_rule_off_hides_its_advisory_and_the_overview_says_so(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID, open_tab
) -> None:
    with desk.database.transaction() as session:
        factories.finding(session, client_id, Region.ANKLE_FOOT, Cause.NERVE_DAMAGE)
    overview = open_tab(OverviewTab, client_id)
    assert g.TITLES[g.FOOT_DROP_ORTHOSIS] in overview.advisory_titles()
    assert overview.rules_note.isHidden()

    dialog = show(qtbot, RulesDialog(desk))
    box = dialog.boxes[g.FOOT_DROP_ORTHOSIS]
    assert box.isChecked() and dialog.notes[g.FOOT_DROP_ORTHOSIS].text() == "On: never changed"
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert not box.isChecked()
    assert dialog.notes[g.FOOT_DROP_ORTHOSIS].text() == "Turned off by tester on 21 Nov 2026"
    assert desk.read(rule_settings).off == {g.FOOT_DROP_ORTHOSIS}

    assert g.TITLES[g.FOOT_DROP_ORTHOSIS] not in overview.advisory_titles()
    assert overview.rules_note.isVisibleTo(overview)
    assert g.TITLES[g.FOOT_DROP_ORTHOSIS] in overview.rules_note.text()
    assert "1 advisory rule is turned off" in overview.rules_note.text()

    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert desk.read(rule_settings).off == frozenset()
    assert dialog.notes[g.FOOT_DROP_ORTHOSIS].text() == "Turned on by tester on 21 Nov 2026"
    assert g.TITLES[g.FOOT_DROP_ORTHOSIS] in overview.advisory_titles()
    assert overview.rules_note.isHidden()


def test_client_form_saves_heat_and_ot_flags(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID
) -> None:
    dialog = show(qtbot, ClientDialog(desk, client=desk.read(load_record, client_id=client_id)))
    assert not dialog.heat_sensitive.isChecked() and not dialog.ot_involved.isChecked()
    for box in (dialog.heat_sensitive, dialog.ot_involved):
        assert isinstance(box, QCheckBox) and "&" in box.text()
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    client = desk.read(load_record, client_id=client_id)
    assert isinstance(client, Client) and client.heat_sensitive and client.ot_involved
    again = show(qtbot, ClientDialog(desk, client=client))
    assert again.heat_sensitive.isChecked() and again.ot_involved.isChecked()


def _finding(desk: Desk, client_id: uuid.UUID) -> WeaknessFinding:
    return desk.read(load_record, client_id=client_id).findings[0]


def test_finding_form_saves_foot_drop_and_relapse_over(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID
) -> None:
    from ui.forms import set_date

    with desk.database.transaction() as session:
        factories.finding(
            session,
            client_id,
            Region.ANKLE_FOOT,
            Cause.DECONDITIONING,
            onset_on=factories.TODAY.replace(day=1),
        )
    dialog = show(
        qtbot, FindingDialog(desk, client_id=client_id, finding=_finding(desk, client_id))
    )
    assert not dialog.relapse_over.isEnabled()
    qtbot.mouseClick(dialog.foot_drop, Qt.MouseButton.LeftButton)
    dialog.relapse.setChecked(True)
    assert dialog.relapse_over.isEnabled()
    # before the onset: the message is at the field and nothing is saved
    set_date(dialog.relapse_over, factories.TODAY.replace(month=10))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "before the onset" in dialog.form.error_text("relapse_over_on")
    set_date(dialog.relapse_over, factories.TODAY.replace(day=15))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = _finding(desk, client_id)
    assert saved.foot_drop and saved.during_relapse
    assert saved.relapse_over_on == factories.TODAY.replace(day=15)
    assert saved.side is Side.LEFT


def test_the_clinic_menu_opens_the_advisory_rules(
    qtbot: QtBot, desk: Desk, tmp_path, monkeypatch
) -> None:
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    opened: list[RulesDialog] = []
    monkeypatch.setattr(RulesDialog, "exec", lambda self: opened.append(self) or 0)
    window = MainWindow(desk, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.caseload.counted, timeout=10_000):
        window.start()
    clinic = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Clinic")
    (action,) = [a for a in clinic.actions() if a.text() == "Advisory &rules…"]
    action.trigger()
    assert len(opened) == 1 and len(opened[0].boxes) == len(g.TITLES)
