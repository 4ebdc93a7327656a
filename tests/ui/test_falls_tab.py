"""The Falls tab: log a fall from the inline form, see it in the table and the month
counts, and have a bad entry refused at its field with nothing saved."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from PySide6.QtCore import Qt

from tests import factories
from therapy_desk.domain import Client
from therapy_desk.domain.vocabulary import DeviceKind
from therapy_desk.services.clients import load_record
from therapy_desk.services.falls import FallDetails, log_fall
from ui.desk import Desk
from ui.forms import set_date
from ui.pages.record_falls import COLUMNS, FallsTab, last_months

TODAY = factories.TODAY


def saved_client(desk: Desk, client_id: uuid.UUID) -> Client:
    return desk.read(lambda session: load_record(session, client_id))


def seed_fall(desk: Desk, client_id: uuid.UUID, fell_on: date, place: str) -> None:
    with desk.database.transaction() as session:
        log_fall(
            session,
            client_id=client_id,
            details=FallDetails(fell_on=fell_on, place=place),
            today=TODAY,
        )


def cell(tab: FallsTab, row: int, column: str) -> str:
    return tab.table.item(row, COLUMNS.index(column)).text()


def test_log_a_fall_shows_it_in_the_table_and_the_month_count(open_tab, client_id, desk, qtbot):  # type: ignore[no-untyped-def]
    tab = open_tab(FallsTab, client_id)
    assert tab.summary.text() == "No falls in the past 12 months."
    assert not tab.has_unsaved_changes()

    set_date(tab.fell_on, TODAY - timedelta(days=4))
    qtbot.keyClicks(tab.place, "Kitchen")
    qtbot.keyClicks(tab.what_happened, "Toe caught when turning, late afternoon")
    qtbot.keyClicks(tab.injury, "Bruised knee")
    qtbot.keyClicks(tab.action_taken, "Reviewed footwear")
    tab.device_in_use.set_value(DeviceKind.CANE)
    assert tab.has_unsaved_changes()
    qtbot.mouseClick(tab.log_button, Qt.MouseButton.LeftButton)

    assert tab.table.rowCount() == 1
    assert cell(tab, 0, "Date") == "17 Nov 2026"
    assert cell(tab, 0, "Where") == "Kitchen"
    assert cell(tab, 0, "Device in use") == DeviceKind.CANE.label
    assert tab.bars.counts()[-1] == (2026, 11, 1)
    assert sum(n for _, _, n in tab.bars.counts()) == 1
    assert tab.summary.text().startswith("1 fall in the past 12 months")
    assert "November 2026: 1" in tab.bars.accessibleDescription()
    # The form is ready for the next fall.
    assert tab.place.text() == ""
    assert tab.device_in_use.value() is None
    assert not tab.has_unsaved_changes()

    (fall,) = saved_client(desk, client_id).falls
    assert fall.fell_on == TODAY - timedelta(days=4)
    assert fall.injury == "Bruised knee"
    assert fall.device_in_use is DeviceKind.CANE


def test_a_fall_in_the_future_is_refused_at_the_date_and_nothing_is_saved(
    open_tab, client_id, desk, qtbot
):  # type: ignore[no-untyped-def]
    tab = open_tab(FallsTab, client_id)
    set_date(tab.fell_on, TODAY + timedelta(days=1))
    qtbot.keyClicks(tab.place, "Garden path")

    qtbot.mouseClick(tab.log_button, Qt.MouseButton.LeftButton)

    assert "cannot be in the future" in tab.form.error_text("fell_on")
    assert tab.fell_on.hasFocus() or not tab.isActiveWindow()
    assert saved_client(desk, client_id).falls == []
    assert tab.table.rowCount() == 0
    assert tab.place.text() == "Garden path", "the draft is kept to correct"
    assert tab.has_unsaved_changes()

    set_date(tab.fell_on, TODAY)
    assert tab.save()
    assert tab.form.error_text("fell_on") == ""
    assert len(saved_client(desk, client_id).falls) == 1


def test_the_month_count_covers_the_last_twelve_months_and_the_table_is_newest_first(
    open_tab, client_id, desk
):  # type: ignore[no-untyped-def]
    seed_fall(desk, client_id, date(2025, 11, 15), "Stairs")  # 13th month back: not counted
    seed_fall(desk, client_id, date(2025, 12, 1), "Bedroom")
    seed_fall(desk, client_id, date(2026, 11, 2), "Bathroom")
    seed_fall(desk, client_id, date(2026, 11, 20), "Street")

    tab = open_tab(FallsTab, client_id)

    counts = tab.bars.counts()
    assert [(y, m) for y, m, _ in counts] == last_months(TODAY)
    assert counts[0] == (2025, 12, 1)
    assert counts[-1] == (2026, 11, 2)
    assert tab.summary.text() == (
        "3 falls in the past 12 months — a fall in the past year predicts more."
    )
    assert "December 2025 to November 2026" in tab.bars_title.text()
    assert [cell(tab, row, "Where") for row in range(4)] == [
        "Street",
        "Bathroom",
        "Bedroom",
        "Stairs",
    ]


def test_discard_empties_the_draft(open_tab, client_id, qtbot):  # type: ignore[no-untyped-def]
    tab = open_tab(FallsTab, client_id)
    qtbot.keyClicks(tab.injury, "None")
    assert tab.has_unsaved_changes()
    tab.discard()
    assert not tab.has_unsaved_changes()
    assert tab.injury.toPlainText() == ""


def test_every_control_has_an_accessible_name(open_tab, client_id):  # type: ignore[no-untyped-def]
    tab = open_tab(FallsTab, client_id)
    for widget in (
        tab.fell_on,
        tab.place,
        tab.what_happened,
        tab.injury,
        tab.action_taken,
        tab.device_in_use,
        tab.log_button,
        tab.table,
        tab.bars,
        tab.summary,
    ):
        assert widget.accessibleName(), widget
