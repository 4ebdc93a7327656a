"""The Devices tab: add a device, move it along its lifecycle, edit its fitting — driven
through the real buttons and dialogs, checked on screen and in the database."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests import factories
from tests.ui.conftest import modeless
from therapy_desk.domain import Client
from therapy_desk.domain.vocabulary import DeviceKind, DeviceStatus, Side
from therapy_desk.services.clients import load_record
from therapy_desk.services.devices import assign_device, change_device_status
from ui.desk import Desk
from ui.dialogs.device import AddDeviceDialog, DeviceStatusDialog, EditDeviceDialog
from ui.forms import set_date
from ui.pages.record_devices import COLUMNS, REVIEW_COLUMN, DevicesTab

TODAY = factories.TODAY


def saved_client(desk: Desk, client_id: uuid.UUID) -> Client:
    return desk.read(lambda session: load_record(session, client_id))


def cell(tab: DevicesTab, row: int, column: str) -> str:
    return tab.table.item(row, COLUMNS.index(column)).text()


def seed_device(
    desk: Desk,
    client_id: uuid.UUID,
    kind: DeviceKind = DeviceKind.ANKLE_FOOT_ORTHOSIS,
    side: Side = Side.LEFT,
    started_on: date = TODAY - timedelta(days=20),
    **more: object,
) -> uuid.UUID:
    with desk.database.transaction() as session:
        return assign_device(
            session,
            client_id=client_id,
            kind=kind,
            side=side,
            started_on=started_on,
            by="seed",
            **more,  # type: ignore[arg-type]
        ).id


def click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_add_an_ankle_foot_orthosis_on_the_left_on_trial(
    open_tab, client_id, desk, qtbot, monkeypatch
):  # type: ignore[no-untyped-def]
    tab = open_tab(DevicesTab, client_id)
    assert tab.table.rowCount() == 0
    assert "No devices" in tab.summary.text()
    opened = modeless(monkeypatch, AddDeviceDialog)

    click(qtbot, tab.add_button)
    dialog = opened[-1]
    assert dialog.values()["status"] is DeviceStatus.TRIAL
    dialog.kind.set_value(DeviceKind.ANKLE_FOOT_ORTHOSIS)
    assert dialog.side.isEnabled()
    assert "foot drop" in dialog.purpose.text()
    dialog.side.setCurrentIndex(dialog.side.findData(Side.LEFT))
    set_date(dialog.review, TODAY + timedelta(days=28))
    qtbot.keyClicks(dialog.size_settings, "Medium, posterior leaf")
    qtbot.keyClicks(dialog.training, "Donning and doffing; skin checks")
    click(qtbot, dialog.save_button)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert tab.table.rowCount() == 1
    assert cell(tab, 0, "Device") == "Ankle-foot orthosis (AFO)"
    assert cell(tab, 0, "Side") == "Left"
    assert cell(tab, 0, "Status") == "Trial"
    assert cell(tab, 0, "Started") == "21 Nov 2026"
    assert cell(tab, 0, "Review") == "19 Dec 2026"
    assert cell(tab, 0, "Size / settings") == "Medium, posterior leaf"
    # The new device is chosen: its history and its guide show below the table.
    assert tab.selected() is not None
    assert tab.history.count() == 1
    assert tab.history.item(0).text() == "21 Nov 2026 · Trial · by tester"
    assert "Ankle-foot orthosis (AFO)" in tab.guide.toPlainText()
    assert "Check your skin every day" in tab.guide.toPlainText()

    (device,) = saved_client(desk, client_id).devices
    assert (device.kind, device.side, device.status) == (
        DeviceKind.ANKLE_FOOT_ORTHOSIS,
        Side.LEFT,
        DeviceStatus.TRIAL,
    )
    assert device.training_given == "Donning and doffing; skin checks"
    assert [(h.status, h.changed_by) for h in device.history] == [(DeviceStatus.TRIAL, "tester")]


def test_a_sided_device_without_a_side_is_refused_at_the_side_field(
    open_tab, client_id, desk, qtbot, monkeypatch
):  # type: ignore[no-untyped-def]
    tab = open_tab(DevicesTab, client_id)
    opened = modeless(monkeypatch, AddDeviceDialog)
    click(qtbot, tab.add_button)
    dialog = opened[-1]
    dialog.kind.set_value(DeviceKind.ANKLE_FOOT_ORTHOSIS)
    assert dialog.side.currentText() == "Choose a side…"

    click(qtbot, dialog.save_button)

    assert "Say which side" in dialog.form.error_text("side")
    assert dialog.isVisible()
    assert saved_client(desk, client_id).devices == []
    assert tab.table.rowCount() == 0


def test_a_device_not_fitted_to_a_side_has_no_side_to_choose(
    open_tab, client_id, qtbot, monkeypatch
):  # type: ignore[no-untyped-def]
    tab = open_tab(DevicesTab, client_id)
    opened = modeless(monkeypatch, AddDeviceDialog)
    click(qtbot, tab.add_button)
    dialog = opened[-1]
    dialog.kind.set_value(DeviceKind.ANKLE_FOOT_ORTHOSIS)
    dialog.side.setCurrentIndex(dialog.side.findData(Side.RIGHT))

    dialog.kind.set_value(DeviceKind.ROLLATOR)

    assert not dialog.side.isEnabled()
    assert dialog.side.currentText() == "Not sided"
    dialog.kind.set_value(DeviceKind.CANE)
    assert dialog.side.isEnabled()


def test_a_review_date_before_the_start_is_refused_at_the_review_field(
    open_tab, client_id, desk, qtbot, monkeypatch
):  # type: ignore[no-untyped-def]
    tab = open_tab(DevicesTab, client_id)
    opened = modeless(monkeypatch, AddDeviceDialog)
    click(qtbot, tab.add_button)
    dialog = opened[-1]
    dialog.kind.set_value(DeviceKind.ROLLATOR)
    set_date(dialog.review, TODAY - timedelta(days=3))

    click(qtbot, dialog.save_button)

    assert dialog.form.error_text("review_on") == "Review date is before the start"
    assert dialog.form.error_text("side") == ""
    assert saved_client(desk, client_id).devices == []


def test_change_from_trial_to_issued_keeps_both_steps_in_the_history(
    open_tab, client_id, desk, qtbot, monkeypatch
):  # type: ignore[no-untyped-def]
    seed_device(desk, client_id)
    tab = open_tab(DevicesTab, client_id)
    assert not tab.status_button.isEnabled(), "nothing chosen yet"
    assert not tab.edit_button.isEnabled()
    opened = modeless(monkeypatch, DeviceStatusDialog)

    tab.table.selectRow(0)
    assert tab.status_button.isEnabled()
    click(qtbot, tab.status_button)
    dialog = opened[-1]
    assert dialog.offered() == [
        DeviceStatus.ISSUED,
        DeviceStatus.IN_USE,
        DeviceStatus.RETURNED,
        DeviceStatus.STOPPED,
    ]
    dialog.status.set_value(DeviceStatus.ISSUED)
    set_date(dialog.on, TODAY - timedelta(days=2))
    qtbot.keyClicks(dialog.note, "Walks further without tripping")
    click(qtbot, dialog.save_button)

    assert cell(tab, 0, "Status") == "Issued"
    assert tab.selected() is not None, "the device stays chosen after the save"
    assert tab.history.count() == 2
    assert tab.history.item(1).text() == (
        "19 Nov 2026 · Issued · by tester\nWalks further without tripping"
    )
    (device,) = saved_client(desk, client_id).devices
    assert [h.status for h in device.history] == [DeviceStatus.TRIAL, DeviceStatus.ISSUED]

    click(qtbot, tab.status_button)
    offered = opened[-1].offered()
    assert DeviceStatus.TRIAL not in offered
    assert offered == [DeviceStatus.IN_USE, DeviceStatus.RETURNED, DeviceStatus.STOPPED]


def test_a_status_change_before_the_last_one_is_refused_at_the_date_field(
    open_tab, client_id, desk, qtbot, monkeypatch
):  # type: ignore[no-untyped-def]
    seed_device(desk, client_id, started_on=TODAY - timedelta(days=5))
    tab = open_tab(DevicesTab, client_id)
    opened = modeless(monkeypatch, DeviceStatusDialog)
    tab.table.selectRow(0)
    click(qtbot, tab.status_button)
    dialog = opened[-1]
    set_date(dialog.on, TODAY - timedelta(days=30))

    click(qtbot, dialog.save_button)

    assert "cannot predate the last one" in dialog.form.error_text("on")
    (device,) = saved_client(desk, client_id).devices
    assert device.status is DeviceStatus.TRIAL
    assert len(device.history) == 1


def test_a_device_given_back_has_no_further_status(open_tab, client_id, desk):  # type: ignore[no-untyped-def]
    stopped = seed_device(desk, client_id, started_on=TODAY - timedelta(days=60))
    with desk.database.transaction() as session:
        change_device_status(
            session,
            assignment_id=stopped,
            status=DeviceStatus.STOPPED,
            on=TODAY - timedelta(days=30),
            by="seed",
            expected_version=1,
        )
    held = seed_device(desk, client_id, kind=DeviceKind.ROLLATOR, side=Side.NONE)
    tab = open_tab(DevicesTab, client_id)

    assert [cell(tab, row, "Status") for row in range(2)] == ["Trial", "Stopped"], "held first"
    assert cell(tab, 1, "Ended") == "22 Oct 2026"
    tab.select(stopped)
    assert tab.edit_button.isEnabled()
    assert not tab.status_button.isEnabled()
    assert "No further status" in tab.history.item(tab.history.count() - 1).text()
    tab.select(held)
    assert tab.status_button.isEnabled()


def test_enter_on_the_table_edits_the_chosen_device(open_tab, client_id, desk, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    seed_device(desk, client_id, review_on=TODAY - timedelta(days=1))
    tab = open_tab(DevicesTab, client_id)
    review = tab.table.item(0, REVIEW_COLUMN)
    assert review.text() == "20 Nov 2026 — overdue"
    assert review.font().bold()
    assert "1 review overdue" in tab.summary.text()
    opened = modeless(monkeypatch, EditDeviceDialog)

    tab.table.setFocus()
    tab.table.selectRow(0)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    dialog = opened[-1]
    set_date(dialog.review, TODAY + timedelta(days=14))
    qtbot.keyClicks(dialog.size_settings, "Medium")
    qtbot.keyClicks(dialog.notes, "Wears it with trainers")
    click(qtbot, dialog.save_button)

    assert cell(tab, 0, "Review") == "5 Dec 2026"
    assert "overdue" not in tab.summary.text()
    assert tab.notes.text() == "Notes: Wears it with trainers"
    (device,) = saved_client(desk, client_id).devices
    assert device.review_on == TODAY + timedelta(days=14)
    assert device.size_settings == "Medium"


def test_every_control_has_an_accessible_name(open_tab, client_id):  # type: ignore[no-untyped-def]
    tab = open_tab(DevicesTab, client_id)
    for widget in (
        tab.add_button,
        tab.status_button,
        tab.edit_button,
        tab.table,
        tab.history,
        tab.guide,
    ):
        assert widget.accessibleName()
    dialog = AddDeviceDialog(today=TODAY, on_save=lambda _d: False, parent=tab)
    for widget in (dialog.kind, dialog.side, dialog.status, dialog.started, dialog.review):
        assert widget.accessibleName()
    dialog.deleteLater()
