"""Every date field in the app takes what people type: 14/3/1968, 14 Mar 1968,
1968-03-14 — typed with the keyboard into the real field, saved through the real
dialog or tab, and read back from the database. Also: typing over a date replaces it,
Delete clears an optional one, calendars open at a sensible month, and a date that
cannot be read stops the save with its message at the field."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot

from tests import factories
from tests.ui.conftest import modeless, show
from therapy_desk import words
from therapy_desk.domain import Client, Trial
from therapy_desk.domain.vocabulary import (
    DeviceKind,
    DeviceStatus,
    Side,
    TrialDecision,
    TrialOutcome,
    TrialSubject,
)
from therapy_desk.services.clients import load_record
from therapy_desk.services.devices import assign_device
from therapy_desk.services.trials import open_trial, review_trial
from therapy_desk.typed_dates import MONTHS
from ui.desk import Desk
from ui.dialogs.client import ClientDialog
from ui.dialogs.device import AddDeviceDialog, DeviceStatusDialog, EditDeviceDialog
from ui.dialogs.finding import FindingDialog
from ui.dialogs.print_due import PrintDueDialog
from ui.forms import date_value, set_date
from ui.pages.record_devices import DevicesTab
from ui.pages.record_falls import FallsTab
from ui.pages.record_measures import MeasuresTab
from ui.pages.record_trials import TrialsTab
from ui.widgets.date_field import DateField

TODAY = factories.TODAY  # 21 Nov 2026, the desk's today in these tests


# --- how a person types a date ------------------------------------------------------------


def type_date(qtbot: QtBot, field: DateField, text: str) -> None:
    """Click into the field (which selects what it holds), type, and Tab out of it."""
    click_into(qtbot, field)
    qtbot.keyClicks(field.edit, text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)


def shown(label: QLabel) -> str:
    """A message as the screen shows it, whatever the lines it is broken into."""
    return " ".join(label.text().split("\n"))


def click(qtbot: QtBot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


#: The formats the issue names, for the house order (DMY).
STYLES: dict[str, Callable[[date], str]] = {
    "14/3/1968": lambda d: f"{d.day}/{d.month}/{d.year}",
    "14 Mar 1968": lambda d: f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",
    "1968-03-14": lambda d: d.isoformat(),
}


def saved_client(desk: Desk, client_id: uuid.UUID) -> Client:
    client = desk.read(load_record, client_id=client_id)
    assert isinstance(client, Client)
    return client


def seed_device(desk: Desk, client_id: uuid.UUID) -> uuid.UUID:
    with desk.database.transaction() as session:
        return assign_device(
            session,
            client_id=client_id,
            kind=DeviceKind.ANKLE_FOOT_ORTHOSIS,
            side=Side.LEFT,
            started_on=TODAY - timedelta(days=20),
            by="seed",
        ).id


def seed_trial(desk: Desk, client_id: uuid.UUID, *, reviewed: bool = False) -> uuid.UUID:
    with desk.database.transaction() as session:
        trial = open_trial(
            session,
            client_id=client_id,
            subject=TrialSubject.STRATEGY,
            what="Rest breaks every 20 minutes",
            started_on=TODAY - timedelta(days=40),
            review_on=TODAY - timedelta(days=12),
            by="seed",
        )
        trial_id = trial.id
    if reviewed:
        with desk.database.transaction() as session:
            review_trial(
                session,
                trial_id=trial_id,
                outcome=TrialOutcome.HELPED,
                on=TODAY - timedelta(days=10),
                by="seed",
                expected_version=factories.version(session, Trial, trial_id),
            )
    return trial_id


# --- each date field: open it, type into it, save, read the saved date back ---------------


@dataclass
class Entry:
    field: DateField
    save: Callable[[], None]
    saved: Callable[[], date | None]


@dataclass
class Where:
    qtbot: QtBot
    desk: Desk
    client_id: uuid.UUID
    open_tab: Callable[..., object]
    monkeypatch: pytest.MonkeyPatch


def client_birth(w: Where) -> Entry:
    dialog = show(w.qtbot, ClientDialog(w.desk))
    dialog.name.insert("Nia Adeyemi")
    return Entry(
        dialog.date_of_birth,
        lambda: click(w.qtbot, dialog.save_button),
        lambda: saved_client(w.desk, dialog.saved_id).date_of_birth,  # type: ignore[arg-type]
    )


def client_follow_up(w: Where) -> Entry:
    dialog = show(w.qtbot, ClientDialog(w.desk, client=saved_client(w.desk, w.client_id)))
    return Entry(
        dialog.follow_up,
        lambda: click(w.qtbot, dialog.save_button),
        lambda: saved_client(w.desk, w.client_id).next_follow_up,
    )


def _finding_dialog(w: Where) -> FindingDialog:
    dialog = show(w.qtbot, FindingDialog(w.desk, client_id=w.client_id))
    set_date(dialog.onset, date(2026, 3, 1))
    return dialog


def _saved_finding(w: Where, attribute: str) -> Callable[[], date | None]:
    return lambda: getattr(saved_client(w.desk, w.client_id).findings[0], attribute)


def finding_onset(w: Where) -> Entry:
    dialog = _finding_dialog(w)
    return Entry(
        dialog.onset, lambda: click(w.qtbot, dialog.save_button), _saved_finding(w, "onset_on")
    )


def finding_relapse_over(w: Where) -> Entry:
    dialog = _finding_dialog(w)
    dialog.relapse.setChecked(True)
    return Entry(
        dialog.relapse_over,
        lambda: click(w.qtbot, dialog.save_button),
        _saved_finding(w, "relapse_over_on"),
    )


def finding_resolved(w: Where) -> Entry:
    dialog = _finding_dialog(w)
    return Entry(
        dialog.resolved,
        lambda: click(w.qtbot, dialog.save_button),
        _saved_finding(w, "resolved_on"),
    )


def _added_device(w: Where, field: str) -> Entry:
    tab = w.open_tab(DevicesTab, w.client_id)
    opened = modeless(w.monkeypatch, AddDeviceDialog)
    click(w.qtbot, tab.add_button)  # type: ignore[attr-defined]
    dialog = opened[-1]
    assert isinstance(dialog, AddDeviceDialog)
    dialog.kind.set_value(DeviceKind.ROLLATOR)
    dialog.status.set_value(DeviceStatus.ISSUED)
    return Entry(
        getattr(dialog, field),
        lambda: click(w.qtbot, dialog.save_button),
        lambda: getattr(
            saved_client(w.desk, w.client_id).devices[0],
            {"started": "started_on", "review": "review_on"}[field],
        ),
    )


def device_started(w: Where) -> Entry:
    return _added_device(w, "started")


def device_review(w: Where) -> Entry:
    return _added_device(w, "review")


def _device_tab(w: Where) -> DevicesTab:
    device_id = seed_device(w.desk, w.client_id)
    tab = w.open_tab(DevicesTab, w.client_id)
    assert isinstance(tab, DevicesTab)
    tab.select(device_id)
    return tab


def device_status_date(w: Where) -> Entry:
    tab = _device_tab(w)
    opened = modeless(w.monkeypatch, DeviceStatusDialog)
    tab.change_status()
    dialog = opened[-1]
    assert isinstance(dialog, DeviceStatusDialog)
    dialog.status.set_value(DeviceStatus.ISSUED)
    return Entry(
        dialog.on,
        lambda: click(w.qtbot, dialog.save_button),
        lambda: saved_client(w.desk, w.client_id).devices[0].history[-1].changed_on,
    )


def device_edit_review(w: Where) -> Entry:
    tab = _device_tab(w)
    opened = modeless(w.monkeypatch, EditDeviceDialog)
    tab.edit()
    dialog = opened[-1]
    assert isinstance(dialog, EditDeviceDialog)
    return Entry(
        dialog.review,
        lambda: click(w.qtbot, dialog.save_button),
        lambda: saved_client(w.desk, w.client_id).devices[0].review_on,
    )


def _opened_trial(w: Where, field: str) -> Entry:
    tab = w.open_tab(TrialsTab, w.client_id)
    assert isinstance(tab, TrialsTab)
    dialog = tab.open_trial(subject=TrialSubject.STRATEGY)
    assert dialog is not None
    dialog.subject.set_value(TrialSubject.STRATEGY)
    dialog.what.setText("Cooling vest before exercise")
    return Entry(
        getattr(dialog, field),
        lambda: click(w.qtbot, dialog.save_button),
        lambda: getattr(
            saved_client(w.desk, w.client_id).trials[0],
            {"started": "started_on", "review": "review_on"}[field],
        ),
    )


def trial_started(w: Where) -> Entry:
    return _opened_trial(w, "started")


def trial_review_by(w: Where) -> Entry:
    return _opened_trial(w, "review")


def _trial_tab(w: Where, *, reviewed: bool = False) -> tuple[TrialsTab, uuid.UUID]:
    trial_id = seed_trial(w.desk, w.client_id, reviewed=reviewed)
    tab = w.open_tab(TrialsTab, w.client_id)
    assert isinstance(tab, TrialsTab)
    tab.select_trial(trial_id)
    return tab, trial_id


def trial_note_date(w: Where) -> Entry:
    tab, _ = _trial_tab(w)
    dialog = tab.add_note()
    assert dialog is not None
    w.qtbot.keyClicks(dialog.text, "Managed the shopping with two breaks")
    return Entry(
        dialog.on,
        lambda: click(w.qtbot, dialog.save_button),
        lambda: saved_client(w.desk, w.client_id).trials[0].notes[-1].written_on,
    )


def trial_reviewed_on(w: Where) -> Entry:
    tab, _ = _trial_tab(w)
    dialog = tab.review()
    assert dialog is not None
    dialog.outcome.set_value(TrialOutcome.HELPED)
    return Entry(
        dialog.on,
        lambda: click(w.qtbot, dialog.save_button),
        lambda: saved_client(w.desk, w.client_id).trials[0].reviewed_on,
    )


def trial_decided_on(w: Where) -> Entry:
    tab, _ = _trial_tab(w, reviewed=True)
    dialog = tab.decide()
    assert dialog is not None
    dialog.decision.set_value(TrialDecision.CONTINUE)
    return Entry(
        dialog.on,
        lambda: click(w.qtbot, dialog.save_button),
        lambda: saved_client(w.desk, w.client_id).trials[0].decided_on,
    )


def fall_date(w: Where) -> Entry:
    tab = w.open_tab(FallsTab, w.client_id)
    assert isinstance(tab, FallsTab)
    w.qtbot.keyClicks(tab.place, "Kitchen")
    return Entry(
        tab.fell_on,
        lambda: click(w.qtbot, tab.log_button),
        lambda: saved_client(w.desk, w.client_id).falls[0].fell_on,
    )


def measure_date(w: Where) -> Entry:
    tab = w.open_tab(MeasuresTab, w.client_id)
    assert isinstance(tab, MeasuresTab)
    tab.measure.setCurrentIndex(tab.measure.findData("bbs"))
    w.qtbot.keyClicks(tab.value_text, "45")
    return Entry(
        tab.measured_on,
        lambda: click(w.qtbot, tab.save_button),
        lambda: saved_client(w.desk, w.client_id).measurements[0].measured_on,
    )


#: Each date field, and a date it takes (after the record's other dates, not ahead of
#: today where the service says so).
FIELDS: dict[str, tuple[Callable[[Where], Entry], date]] = {
    "client date of birth": (client_birth, date(1968, 3, 14)),
    "client next follow-up": (client_follow_up, date(2026, 12, 14)),
    "finding onset": (finding_onset, date(2026, 3, 14)),
    "finding relapse over": (finding_relapse_over, date(2026, 4, 14)),
    "finding resolved": (finding_resolved, date(2026, 5, 14)),
    "device started": (device_started, date(2026, 11, 14)),
    "device review": (device_review, date(2026, 12, 14)),
    "device status date": (device_status_date, date(2026, 11, 14)),
    "device edit review": (device_edit_review, date(2026, 12, 14)),
    "trial started": (trial_started, date(2026, 11, 14)),
    "trial review by": (trial_review_by, date(2026, 12, 14)),
    "trial note date": (trial_note_date, date(2026, 11, 14)),
    "trial reviewed on": (trial_reviewed_on, date(2026, 11, 14)),
    "trial decided on": (trial_decided_on, date(2026, 11, 14)),
    "fall date": (fall_date, date(2026, 11, 14)),
    "measure date": (measure_date, date(2026, 11, 14)),
}


@pytest.fixture
def where(qtbot: QtBot, desk: Desk, client_id: uuid.UUID, open_tab, monkeypatch) -> Where:  # type: ignore[no-untyped-def]
    return Where(qtbot, desk, client_id, open_tab, monkeypatch)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", FIELDS)
def test_each_date_field_takes_each_format(where: Where, name: str, style: str) -> None:
    opener, meant = FIELDS[name]
    entry = opener(where)
    type_date(where.qtbot, entry.field, STYLES[style](meant))

    assert entry.field.reading_label.text() == words.day_with_weekday(meant)
    assert entry.field.edit.text() == words.day(meant)  # written back as screens show it
    entry.save()
    assert entry.saved() == meant


def test_typing_over_a_required_date_replaces_it_wholly(where: Where) -> None:
    entry = fall_date(where)
    set_date(entry.field, date(2026, 11, 29))
    assert entry.field.edit.text() == "29 Nov 2026"
    type_date(where.qtbot, entry.field, "1 jun 2024")
    assert entry.field.edit.text() == "1 Jun 2024"
    assert entry.field.reading_label.text() == "Sat 1 Jun 2024"
    entry.save()
    assert entry.saved() == date(2024, 6, 1)


def another_client(w: Where, **details: object) -> uuid.UUID:
    with w.desk.database.transaction() as session:
        return factories.client(session, reference="TD-00002", name="Ada Brook", **details)


def click_into(qtbot: QtBot, field: DateField) -> None:
    """A click into the field selects what it holds, so typing replaces it."""
    field.window().activateWindow()
    qtbot.waitUntil(field.window().isActiveWindow)
    qtbot.mouseClick(field.edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: field.edit.hasFocus() and field.edit.selectedText() == field.edit.text()
    )


def test_delete_clears_an_optional_date_and_saves_none(where: Where) -> None:
    client_id = another_client(where, date_of_birth=date(1968, 3, 14))
    dialog = show(where.qtbot, ClientDialog(where.desk, client=saved_client(where.desk, client_id)))
    field = dialog.date_of_birth
    assert field.edit.text() == "14 Mar 1968"
    assert field.reading_label.text() == "Thu 14 Mar 1968"
    click_into(where.qtbot, field)
    where.qtbot.keyClick(field.edit, Qt.Key.Key_Delete)
    assert field.edit.text() == ""
    assert field.reading_label.text() == "Not set"
    assert field.problem() is None and field.value() is None
    click(where.qtbot, dialog.save_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert saved_client(where.desk, client_id).date_of_birth is None


def test_an_empty_required_date_says_so_and_saves_nothing(where: Where) -> None:
    entry = fall_date(where)
    click_into(where.qtbot, entry.field)
    where.qtbot.keyClick(entry.field.edit, Qt.Key.Key_Backspace)
    expected = "Type the date, like 21/11/2026, 21 Nov 2026 or 2026-11-21."
    assert shown(entry.field.problem_label) == expected
    entry.save()
    tab = entry.field.window()
    assert isinstance(tab, FallsTab)
    assert tab.form.error_text("fell_on") == expected
    assert saved_client(where.desk, where.client_id).falls == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/2/2024", "February 2024 has 29 days: type a day from 1 to 29."),
        (
            "Not set968-03-14",
            "Not a date we can read: type it like 21/11/2026, 21 Nov 2026 or 2026-11-21.",
        ),
        (
            "11/14/2026",
            "There is no month 14. Here dates are typed day/month/year, like 14/11/2026; "
            "or write the month's name: 14 Nov 2026.",
        ),
    ],
)
def test_a_bad_date_shows_its_message_at_the_field_and_nothing_is_saved(
    where: Where, typed: str, message: str
) -> None:
    client_id = another_client(where, next_follow_up=date(2026, 12, 1))
    dialog = show(where.qtbot, ClientDialog(where.desk, client=saved_client(where.desk, client_id)))
    type_date(where.qtbot, dialog.follow_up, typed)
    # At the field as it is typed …
    assert shown(dialog.follow_up.problem_label) == message
    assert dialog.follow_up.reading_label.text() == ""
    assert dialog.follow_up.edit.text() == typed  # left as typed, to correct
    click(where.qtbot, dialog.save_button)
    # … and as the form's message on Save (said once: the field's own line goes), which
    # saves nothing and keeps the dialog open.
    assert dialog.form.error_text("next_follow_up") == message
    assert dialog.follow_up.problem_label.isHidden()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.follow_up.edit.hasFocus()
    assert dialog.follow_up.edit.property("invalid") is True
    assert saved_client(where.desk, client_id).next_follow_up == date(2026, 12, 1)
    # Corrected, it saves.
    type_date(where.qtbot, dialog.follow_up, "29/2/2028")
    assert dialog.form.error_text("next_follow_up") == ""
    assert dialog.follow_up.problem_label.isHidden()
    assert dialog.follow_up.reading_label.text() == "Tue 29 Feb 2028"
    assert dialog.follow_up.edit.property("invalid") is False
    click(where.qtbot, dialog.save_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert saved_client(where.desk, client_id).next_follow_up == date(2028, 2, 29)


def test_a_date_of_birth_in_the_future_is_refused_at_the_field(where: Where) -> None:
    entry = client_birth(where)
    type_date(where.qtbot, entry.field, "14/3/2030")
    assert shown(entry.field.problem_label) == (
        "A date of birth can't be after today (21 Nov 2026): check the year."
    )
    # Two digits go back a century rather than ahead.
    type_date(where.qtbot, entry.field, "14/12/26")
    assert entry.field.value() == date(1926, 12, 14)


# --- the calendar -------------------------------------------------------------------------


def test_the_calendar_opens_at_today_and_a_pick_fills_the_field(where: Where) -> None:
    entry = client_follow_up(where)
    field = entry.field
    assert field.value() is None
    click_into(where.qtbot, field)
    where.qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = field.calendar()
    assert calendar.isVisible()
    assert calendar.selectedDate() == QDate(2026, 11, 21)  # the desk's today
    # Keyboard only: a week on, then Enter.
    keys = QApplication.focusWidget()
    assert keys is not None and calendar.isAncestorOf(keys)
    where.qtbot.keyClick(keys, Qt.Key.Key_Down)
    where.qtbot.keyClick(keys, Qt.Key.Key_Return)
    assert not calendar.isVisible()
    assert field.edit.text() == "28 Nov 2026"
    assert field.reading_label.text() == "Sat 28 Nov 2026"
    assert field.edit.hasFocus()
    entry.save()
    assert entry.saved() == date(2026, 11, 28)


def test_a_date_of_birth_calendar_opens_about_60_years_back(where: Where) -> None:
    entry = client_birth(where)
    entry.field.open_calendar()
    assert entry.field.calendar().selectedDate() == QDate(1966, 11, 21)
    assert entry.field.calendar().maximumDate() == QDate(2026, 11, 21)
    # Escape closes it and leaves the field as it was.
    keys = QApplication.focusWidget()
    assert keys is not None and entry.field.calendar().isAncestorOf(keys)
    where.qtbot.keyClick(keys, Qt.Key.Key_Escape)
    assert not entry.field.calendar().isVisible()
    assert entry.field.value() is None
    # With a date in the field, F4 opens there.
    type_date(where.qtbot, entry.field, "14 Mar 1968")
    click_into(where.qtbot, entry.field)
    where.qtbot.keyClick(entry.field.edit, Qt.Key.Key_F4)
    assert entry.field.calendar().isVisible()
    assert entry.field.calendar().selectedDate() == QDate(1968, 3, 14)


def test_a_field_names_itself_for_screen_readers(where: Where) -> None:
    entry = client_birth(where)
    assert entry.field.edit.accessibleName() == "Date of birth"
    assert entry.field.button.accessibleName() == "Date of birth: choose from a calendar"
    assert entry.field.reading_label.accessibleName() == "Date of birth: as read"


# --- the batch's range ---------------------------------------------------------------------


def test_the_print_due_range_takes_typed_dates(where: Where) -> None:
    due = another_client(where, next_follow_up=date(2026, 12, 14))
    dialog = show(where.qtbot, PrintDueDialog(where.desk))
    type_date(where.qtbot, dialog.start, "14/12/2026")
    type_date(where.qtbot, dialog.end, "2026-12-20")
    assert date_value(dialog.start) == date(2026, 12, 14)
    assert date_value(dialog.end) == date(2026, 12, 20)
    assert [row.client_id for row in dialog.due if not row.overdue] == [due]
    assert dialog.save_button.isEnabled()
    # A range end that cannot be read leaves nobody to print, and says why.
    type_date(where.qtbot, dialog.end, "31/12/20266")
    assert shown(dialog.end.problem_label) == (
        "Type the year in full, like 1968, or as its last two digits, like 68."
    )
    assert dialog.due == []
    assert "Type both dates" in dialog.range_error.text()
    assert not dialog.save_button.isEnabled()


def test_up_and_down_step_a_day(where: Where) -> None:
    entry = fall_date(where)
    click_into(where.qtbot, entry.field)
    where.qtbot.keyClick(entry.field.edit, Qt.Key.Key_Down)
    where.qtbot.keyClick(entry.field.edit, Qt.Key.Key_Down)
    where.qtbot.keyClick(entry.field.edit, Qt.Key.Key_Up)
    assert entry.field.edit.text() == "20 Nov 2026"
    assert entry.field.reading_label.text() == "Fri 20 Nov 2026"
    entry.save()
    assert entry.saved() == date(2026, 11, 20)
