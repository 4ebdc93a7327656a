"""A device on trial and its trial, entered once: adding a device on trial opens its trial
prefilled and linked both ways; deciding the trial moves the device on Devices; the next
try carries over why and how success is judged. Driven through the record page's real
widgets, checked on screen and in the database."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests import factories
from tests.ui.conftest import modeless, show
from therapy_desk.domain import Client
from therapy_desk.domain.vocabulary import (
    DeviceKind,
    DeviceStatus,
    Side,
    TrialDecision,
    TrialOutcome,
    TrialSubject,
)
from therapy_desk.services.record_view import read_record
from ui.desk import Desk
from ui.dialogs.device import AddDeviceDialog
from ui.dialogs.trial import DecideTrialDialog, OpenTrialDialog, ReviewTrialDialog
from ui.forms import date_value, set_date
from ui.pages.record import RecordPage
from ui.pages.record_devices import COLUMNS, DevicesTab
from ui.pages.record_trials import TrialsTab

TODAY = factories.TODAY  # Sat 21 Nov 2026
REVIEW = TODAY + timedelta(days=12)  # 3 Dec 2026


def saved(desk: Desk, client_id: uuid.UUID) -> Client:
    return desk.read(read_record, client_id=client_id, today=desk.today()).client


def click(qtbot: QtBot, widget) -> None:  # type: ignore[no-untyped-def]
    assert widget.isEnabled(), f"{widget.text()} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def cell(tab: DevicesTab, row: int, column: str) -> str:
    return tab.table.item(row, COLUMNS.index(column)).text()


@pytest.fixture
def page(qtbot: QtBot, desk: Desk, client_id: uuid.UUID) -> RecordPage:
    page = show(qtbot, RecordPage(desk))
    page.resize(1200, 800)
    assert page.open_client(client_id)
    return page


@pytest.fixture
def add_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[AddDeviceDialog]:
    """The Add device dialog shown without a modal loop, handed to the test."""
    return modeless(monkeypatch, AddDeviceDialog)


def tabs(page: RecordPage) -> tuple[DevicesTab, TrialsTab]:
    devices, trials = page.tab(DevicesTab), page.tab(TrialsTab)
    assert isinstance(devices, DevicesTab) and isinstance(trials, TrialsTab)
    return devices, trials


def add_afo_on_trial(
    qtbot: QtBot, page: RecordPage, add_dialogs: list[AddDeviceDialog]
) -> OpenTrialDialog:
    """Add a left AFO on trial, taking the form's offer to open its trial next."""
    devices, trials = tabs(page)
    page.tabs.setCurrentWidget(devices)
    click(qtbot, devices.add_button)
    add = add_dialogs[-1]
    add.kind.set_value(DeviceKind.ANKLE_FOOT_ORTHOSIS)
    add.side.setCurrentIndex(add.side.findData(Side.LEFT))
    set_date(add.review, REVIEW)
    qtbot.keyClicks(add.size_settings, "Size 6, posterior leaf spring")
    assert add.open_trial_next.isVisibleTo(add) and add.open_trial_next.isChecked()
    click(qtbot, add.save_button)
    assert add.result() == QDialog.DialogCode.Accepted
    dialog = trials.dialog
    assert isinstance(dialog, OpenTrialDialog) and dialog.isVisible()
    return dialog


def test_a_device_added_on_trial_opens_its_trial_prefilled_and_linked_both_ways(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    page: RecordPage,
    add_dialogs: list[AddDeviceDialog],
) -> None:
    devices, trials = tabs(page)
    dialog = add_afo_on_trial(qtbot, page, add_dialogs)

    # The trial dialog opened on the Trials tab, prefilled from the device just saved.
    (device,) = saved(desk, client_id).devices
    assert page.tabs.currentWidget() is trials
    assert dialog.subject.value() is TrialSubject.DEVICE
    assert dialog.device.currentData() == device.id
    assert dialog.device.isVisibleTo(dialog) and not dialog.revision.isVisibleTo(dialog)
    assert dialog.what.text() == "Ankle-foot orthosis (AFO), left"
    assert date_value(dialog.started) == TODAY
    assert date_value(dialog.review) == REVIEW
    qtbot.keyClicks(dialog.why, "Toe catches on the left when tired")
    qtbot.keyClicks(dialog.success, "Walks to the shop and back without tripping")
    click(qtbot, dialog.save_button)
    assert trials.dialog is None

    # Saved linked: the trial names the device.
    client = saved(desk, client_id)
    (trial,) = client.trials
    assert trial.subject is TrialSubject.DEVICE
    assert trial.device_assignment_id == device.id
    assert (trial.started_on, trial.review_on) == (TODAY, REVIEW)
    assert trial.why == "Toe catches on the left when tired"

    # The Trials tab shows the trial with its device, and a link back to it.
    assert trials.selected_trial_id() == trial.id
    story = trials.story.toPlainText()
    assert "Device: Ankle-foot orthosis (AFO), left — trial since 21 Nov 2026" in story
    assert "show on Devices" in story
    trials.story.anchorClicked.emit(QUrl(f"device:{device.id}"))
    assert page.tabs.currentWidget() is devices
    assert devices.selected_id() == device.id

    # The Devices tab shows the device's trial and jumps to it.
    assert cell(devices, 0, "Status") == "Trial"
    assert cell(devices, 0, "Trial") == "Open"  # reviewed with the device, 3 Dec
    line = devices.trial_line.text()
    assert "Trial: review 3 Dec 2026 — " in line and "open trial</a>" in line
    assert devices.trial_button.text() == "Go to tria&l"
    click(qtbot, devices.trial_button)
    assert page.tabs.currentWidget() is trials
    assert trials.selected_trial_id() == trial.id

    # Asking again for the device's trial shows the open one: never a second.
    devices.trial_wanted.emit(device.id)
    assert trials.dialog is None
    assert trials.selected_trial_id() == trial.id
    assert len(saved(desk, client_id).trials) == 1


def test_declining_the_offer_saves_the_device_alone_and_offers_it_again(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    page: RecordPage,
    add_dialogs: list[AddDeviceDialog],
) -> None:
    devices, trials = tabs(page)
    page.tabs.setCurrentWidget(devices)
    click(qtbot, devices.add_button)
    add = add_dialogs[-1]
    add.kind.set_value(DeviceKind.FOREARM_CRUTCH)
    add.side.setCurrentIndex(add.side.findData(Side.RIGHT))
    click(qtbot, add.open_trial_next)
    assert not add.open_trial_next.isChecked()
    click(qtbot, add.save_button)

    assert trials.dialog is None and page.tabs.currentWidget() is devices
    assert saved(desk, client_id).trials == []
    assert cell(devices, 0, "Trial") == "None yet"
    assert "open its trial" in devices.trial_line.text()
    assert devices.trial_button.text() == "Open tria&l…"
    click(qtbot, devices.trial_button)
    dialog = trials.dialog
    assert isinstance(dialog, OpenTrialDialog)
    assert dialog.what.text() == "Forearm crutch, right"
    assert date_value(dialog.review) == TODAY + timedelta(weeks=4)  # no device review date


def test_a_device_issued_from_the_start_is_offered_no_trial(
    qtbot: QtBot, page: RecordPage, add_dialogs: list[AddDeviceDialog]
) -> None:
    devices, trials = tabs(page)
    page.tabs.setCurrentWidget(devices)
    click(qtbot, devices.add_button)
    add = add_dialogs[-1]
    add.kind.set_value(DeviceKind.REACHER)
    add.status.set_value(DeviceStatus.ISSUED)
    assert not add.open_trial_next.isVisibleTo(add)
    click(qtbot, add.save_button)
    assert trials.dialog is None
    assert cell(devices, 0, "Trial") == "" and not devices.trial_button.isEnabled()


def review_and_decide(
    qtbot: QtBot, trials: TrialsTab, outcome: TrialOutcome, decision: TrialDecision
) -> DecideTrialDialog:
    click(qtbot, trials.review_button)
    review = trials.dialog
    assert isinstance(review, ReviewTrialDialog)
    review.outcome.set_value(outcome)
    click(qtbot, review.save_button)
    click(qtbot, trials.decide_button)
    decide = trials.dialog
    assert isinstance(decide, DecideTrialDialog)
    decide.decision.set_value(decision)
    return decide


def test_deciding_to_keep_the_device_shows_it_issued_on_devices(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    page: RecordPage,
    add_dialogs: list[AddDeviceDialog],
) -> None:
    devices, trials = tabs(page)
    dialog = add_afo_on_trial(qtbot, page, add_dialogs)
    click(qtbot, dialog.save_button)

    decide = review_and_decide(qtbot, trials, TrialOutcome.HELPED, TrialDecision.CONTINUE)
    assert "will show as issued on Devices" in decide.consequence.text()
    decide.decision.set_value(TrialDecision.STOP)
    assert "will show as returned" in decide.consequence.text()
    decide.decision.set_value(TrialDecision.CONTINUE)
    click(qtbot, decide.save_button)

    (device,) = saved(desk, client_id).devices
    assert device.status is DeviceStatus.ISSUED
    last = device.history[-1]
    assert (last.status, last.changed_on, last.changed_by) == (DeviceStatus.ISSUED, TODAY, "tester")
    assert last.note == "Trial “Ankle-foot orthosis (AFO), left” decided: continue"
    assert cell(devices, 0, "Status") == "Issued"
    assert cell(devices, 0, "Trial") == "Continue"
    page.tabs.setCurrentWidget(devices)
    devices.select(device.id)
    assert (
        "Trial “Ankle-foot orthosis (AFO), left” decided: continue"
        in devices.history.item(1).text()
    )


def test_adjusting_a_device_trial_opens_the_next_try_on_the_same_device_carrying_over(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    page: RecordPage,
    add_dialogs: list[AddDeviceDialog],
    message_boxes: list[tuple[str, str]],
) -> None:
    devices, trials = tabs(page)
    dialog = add_afo_on_trial(qtbot, page, add_dialogs)
    qtbot.keyClicks(dialog.why, "Toe catches on the left")
    qtbot.keyClicks(dialog.success, "No trips on the 10 m walk")
    click(qtbot, dialog.save_button)
    (first,) = saved(desk, client_id).trials

    decide = review_and_decide(qtbot, trials, TrialOutcome.NO_CHANGE, TrialDecision.ADJUST)
    assert "stays on trial for the next try" in decide.consequence.text()
    click(qtbot, decide.save_button)

    # "Adjust" offers the next try (answered Yes): the same device, why and success
    # carried over and editable.
    assert "Open the next trial now" in message_boxes[-1][1]
    nxt = trials.dialog
    assert isinstance(nxt, OpenTrialDialog) and nxt.isVisible()
    assert nxt.follows.currentData() == first.id
    assert nxt.subject.value() is TrialSubject.DEVICE
    assert nxt.device.currentData() == first.device_assignment_id
    assert nxt.why.toPlainText() == "Toe catches on the left"
    assert nxt.success.toPlainText() == "No trips on the 10 m walk"
    nxt.what.clear()
    qtbot.keyClicks(nxt.what, "AFO with a firmer strap")
    qtbot.keyClicks(nxt.success, ", and on the stairs")
    click(qtbot, nxt.save_button)

    client = saved(desk, client_id)
    second = next(t for t in client.trials if t.id != first.id)
    assert second.follows_trial_id == first.id
    assert second.device_assignment_id == first.device_assignment_id
    assert second.why == "Toe catches on the left"
    assert second.success_looks_like == "No trips on the 10 m walk, and on the stairs"
    (device,) = client.devices
    assert device.status is DeviceStatus.TRIAL
    assert cell(devices, 0, "Status") == "Trial"
    assert cell(devices, 0, "Trial").startswith("Open, review ")


def test_choosing_what_a_trial_follows_carries_over_only_into_empty_fields(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID, page: RecordPage
) -> None:
    from therapy_desk.services.trials import open_trial

    with desk.database.transaction() as session:
        open_trial(
            session,
            client_id=client_id,
            subject=TrialSubject.STRATEGY,
            what="Rest after lunch",
            why="Afternoon fatigue",
            success_looks_like="Cooks dinner most days",
            started_on=TODAY - timedelta(days=40),
            review_on=TODAY - timedelta(days=10),
        )
    page.refresh()
    _, trials = tabs(page)
    trials.tree.setCurrentItem(None)
    click(qtbot, trials.open_button)
    dialog = trials.dialog
    assert isinstance(dialog, OpenTrialDialog)
    assert dialog.why.toPlainText() == ""
    qtbot.keyClicks(dialog.why, "My own reason")
    dialog.follows.setCurrentIndex(1)
    assert dialog.why.toPlainText() == "My own reason"
    assert dialog.success.toPlainText() == "Cooks dinner most days"
    dialog.follows.setCurrentIndex(0)
    assert dialog.success.toPlainText() == ""
    assert dialog.why.toPlainText() == "My own reason"
