"""Measures and Falls as therapists use them: two timed trials and their mean, several
devices, the overview of every measure, and a result or a fall typed wrong corrected or
struck out through the real screens, its earlier value kept in the history."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QTableWidget, QTreeWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests import factories
from tests.ui.conftest import modeless
from therapy_desk.domain import Fall, Measurement
from therapy_desk.domain.vocabulary import DeviceKind
from therapy_desk.services import falls, measures
from ui.desk import Desk
from ui.dialogs.correct_record import CorrectFallDialog, CorrectMeasureDialog, StrikeOutDialog
from ui.pages.record_falls import COLUMNS, FallsTab
from ui.pages.record_measures import OVERVIEW_COLUMNS, RESULT_COLUMNS, MeasuresTab
from ui.theme import LARGER_POINT_SIZE

TODAY = factories.TODAY
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_row(qtbot: QtBot, view: QTreeWidget | QTableWidget, row: int) -> None:
    if isinstance(view, QTreeWidget):
        rect = view.visualItemRect(view.topLevelItem(row))
    else:
        rect = view.visualItemRect(view.item(row, 0))
    where = QPoint(rect.left() + 8, rect.center().y())  # in the first column, always shown
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)


def cells(view: QTreeWidget, row: int) -> list[str]:
    item = view.topLevelItem(row)
    return [item.text(c) for c in range(view.columnCount())]


def all_measurements(desk: Desk) -> list[Measurement]:
    with desk.database.reading() as session:
        return list(session.scalars(select(Measurement).order_by(Measurement.value)))


def seed_walks(desk: Desk, client_id: uuid.UUID) -> uuid.UUID:
    """T25FW 8.0 s 100 days ago, then 12.4 s (a trial typed wrong) 10 days ago."""
    with desk.database.transaction() as session:
        for value, days, trials in ((8.0, 100, (8.1, 7.9)), (12.4, 10, (16.7, 8.1))):
            saved = measures.record_measurement(
                session,
                client_id=client_id,
                today=TODAY,
                result=measures.Result(
                    "t25fw", value, TODAY - timedelta(days=days), trial_values=trials
                ),
            )
        return saved.id


def test_two_trials_show_their_mean_and_several_devices_are_saved_and_shown(
    open_tab, client_id, desk, qtbot
):  # type: ignore[no-untyped-def]
    tab = open_tab(MeasuresTab, client_id)
    tab.measure.setCurrentIndex(tab.measure.findData("t25fw"))
    assert tab.trials[0].isVisibleTo(tab) and tab.trials[1].isVisibleTo(tab)
    assert not tab.trials[2].isVisibleTo(tab) and not tab.value_text.isVisibleTo(tab)
    qtbot.keyClicks(tab.trials[0], "8.4")
    assert tab.mean.text() == "Mean of 2 trials: type each trial"
    qtbot.keyClicks(tab.trials[1], "8.6")
    assert tab.mean.text() == "Mean: 8.5 s"
    tab.devices.action(DeviceKind.CANE).trigger()
    tab.devices.action(DeviceKind.ANKLE_FOOT_ORTHOSIS).trigger()
    assert tab.devices.text_shown() == "Cane and ankle-foot orthosis (AFO)"
    click(qtbot, tab.save_button)

    (saved,) = all_measurements(desk)
    assert saved.value == 8.5 and saved.trial_values == (8.4, 8.6)
    assert saved.devices_used == (DeviceKind.CANE, DeviceKind.ANKLE_FOOT_ORTHOSIS)
    row = dict(zip(RESULT_COLUMNS, cells(tab.results, 0), strict=True))
    assert row["Result"] == "8.5 s (mean of 8.4 s and 8.6 s)"
    assert row["Devices used"] == "Cane and ankle-foot orthosis (AFO)"
    assert tab.trials[0].text() == "" and not tab.has_unsaved_changes()
    # A measure taken once asks for the result alone.
    tab.measure.setCurrentIndex(tab.measure.findData("tug"))
    assert tab.value_text.isVisibleTo(tab) and not tab.trials[0].isVisibleTo(tab)


def test_one_trial_missing_is_refused_at_its_field(open_tab, client_id, desk, qtbot):  # type: ignore[no-untyped-def]
    tab = open_tab(MeasuresTab, client_id)
    tab.measure.setCurrentIndex(tab.measure.findData("t25fw"))
    qtbot.keyClicks(tab.trials[0], "8.4")
    click(qtbot, tab.save_button)
    assert tab.form.error_text("trial_2") == "Type trial 2 of Timed 25-Foot Walk in s"
    assert all_measurements(desk) == []


def test_the_overview_lists_each_measure_with_change_in_percent_and_direction(
    open_tab, client_id, desk
):  # type: ignore[no-untyped-def]
    seed_walks(desk, client_id)
    with desk.database.transaction() as session:
        for value, days in ((40, 200), (47, 20)):
            measures.record_measurement(
                session,
                client_id=client_id,
                today=TODAY,
                result=measures.Result("bbs", value, TODAY - timedelta(days=days)),
            )
    tab = open_tab(MeasuresTab, client_id)
    rows = [
        dict(zip(OVERVIEW_COLUMNS, cells(tab.overview, i), strict=True))
        for i in range(tab.overview.topLevelItemCount())
    ]
    assert rows == [
        {
            "Measure": "Berg Balance Scale",
            "Latest": "47 points",
            "On": "1 Nov 2026",
            "Previous": "40 points",
            "Change": "+7 points",
            "Direction": "better",
        },
        {
            "Measure": "Timed 25-Foot Walk",
            "Latest": "12.4 s",
            "On": "11 Nov 2026",
            "Previous": "8.0 s",
            "Change": "+55% (+4.4 s)",
            "Direction": "worse",
        },
    ]
    # Choosing a measure in the overview shows it in the chart.
    tab.overview.setCurrentItem(tab.overview.topLevelItem(1))
    assert tab.chart.accessibleName() == "Timed 25-Foot Walk"
    assert cells(tab.results, 0)[RESULT_COLUMNS.index("Change from first")] == "+55% (+4.4 s)"


def test_correct_a_result_through_the_screen(open_tab, client_id, desk, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    typo_id = seed_walks(desk, client_id)
    tab = open_tab(MeasuresTab, client_id)
    opened = modeless(monkeypatch, CorrectMeasureDialog)
    assert not tab.correct_button.isEnabled()
    click_row(qtbot, tab.results, 0)  # newest first: the 12.4 s typed wrong
    assert tab.correct_button.isEnabled()
    click(qtbot, tab.correct_button)
    (dialog,) = opened
    assert isinstance(dialog, CorrectMeasureDialog)
    fields = dialog.fields
    assert [e.text() for e in fields.trials[:2]] == ["16.7", "8.1"]
    assert fields.mean.text() == "Mean: 12.4 s"
    fields.trials[0].selectAll()
    qtbot.keyClicks(fields.trials[0], "8.7")
    assert fields.mean.text() == "Mean: 8.4 s"

    click(qtbot, dialog.save_button)  # no reason yet
    assert dialog.form.error_text("reason") == "A reason for correcting it is needed"
    assert len(all_measurements(desk)) == 2 and dialog.isVisible()

    qtbot.keyClicks(dialog.reason, "Typed the wrong trial")
    click(qtbot, dialog.save_button)
    assert dialog.result() == QDialog.DialogCode.Accepted

    # The chart and the table show the corrected result; its history the earlier one.
    assert tab.chart.point_count() == 2
    assert "latest 8.4 s" in tab.chart.accessibleDescription()
    row = dict(zip(RESULT_COLUMNS, cells(tab.results, 0), strict=True))
    assert row["Result"] == "8.4 s (mean of 8.7 s and 8.1 s)"
    assert row["History"] == (
        f"corrected {words_day(desk)} by tester: was 12.4 s; trials were 16.7 s and 8.1 s "
        "— Typed the wrong trial"
    )
    assert tab.results.topLevelItemCount() == 2
    # The database holds both.
    stored = {m.value: m for m in all_measurements(desk)}
    assert set(stored) == {8.0, 8.4, 12.4}
    assert stored[12.4].id == typo_id and stored[12.4].superseded_by_id == stored[8.4].id
    assert stored[12.4].correction_reason == "Typed the wrong trial"

    # "Show corrections" lists the earlier entry, greyed and struck through.
    click(qtbot, tab.show_history)
    assert tab.results.topLevelItemCount() == 3
    earlier = next(
        tab.results.topLevelItem(i)
        for i in range(3)
        if tab.results.topLevelItem(i).text(1).startswith("12.4 s")
    )
    assert earlier.font(1).strikeOut()
    assert "now 8.4 s" in earlier.text(RESULT_COLUMNS.index("History"))
    tab.results.setCurrentItem(earlier)
    assert not tab.correct_button.isEnabled(), "history cannot be corrected again"


def words_day(desk: Desk) -> str:
    from therapy_desk import words

    return words.day(desk.now().astimezone().date())


def test_strike_out_a_result_through_the_screen(open_tab, client_id, desk, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    seed_walks(desk, client_id)
    tab = open_tab(MeasuresTab, client_id)
    assert cells(tab.overview, 0)[OVERVIEW_COLUMNS.index("Direction")] == "worse"
    opened = modeless(monkeypatch, StrikeOutDialog)
    click_row(qtbot, tab.results, 0)
    click(qtbot, tab.strike_button)
    (dialog,) = opened
    assert isinstance(dialog, StrikeOutDialog)
    qtbot.keyClicks(dialog.reason, "Entered for the wrong client")
    click(qtbot, dialog.save_button)

    assert tab.chart.point_count() == 1
    assert tab.results.topLevelItemCount() == 1
    assert cells(tab.overview, 0)[OVERVIEW_COLUMNS.index("Latest")] == "8.0 s"
    assert cells(tab.overview, 0)[OVERVIEW_COLUMNS.index("Direction")] == "first result"
    assert tab.record is not None
    assert not any(a.advisory.code == "measure-worse" for a in tab.record.open_advisories)
    struck = [m for m in all_measurements(desk) if m.struck_at is not None]
    assert [m.value for m in struck] == [12.4]
    assert struck[0].struck_reason == "Entered for the wrong client"
    click(qtbot, tab.show_history)
    assert tab.results.topLevelItemCount() == 2
    assert "struck out" in cells(tab.results, 0)[RESULT_COLUMNS.index("History")]


def test_a_correction_over_a_stale_result_is_a_conflict(
    open_tab, client_id, desk, qtbot, monkeypatch, notices
):  # type: ignore[no-untyped-def]
    typo_id = seed_walks(desk, client_id)
    tab = open_tab(MeasuresTab, client_id)
    opened = modeless(monkeypatch, CorrectMeasureDialog)
    click_row(qtbot, tab.results, 0)
    click(qtbot, tab.correct_button)
    (dialog,) = opened
    # Meanwhile, on another workstation, someone struck it out.
    with desk.database.transaction(user="Sam") as session:
        measures.strike_out_measurement(
            session,
            measurement_id=typo_id,
            reason="Wrong client",
            by="Sam",
            now=NOW,
            expected_version=1,
        )
    qtbot.keyClicks(dialog.reason, "Typo")
    dialog.fields.trials[0].selectAll()
    qtbot.keyClicks(dialog.fields.trials[0], "8.7")
    click(qtbot, dialog.save_button)
    assert "was changed on another workstation" in notices.text()
    assert "Sam" in notices.text()
    assert sorted(m.value for m in all_measurements(desk)) == [8.0, 12.4]


def seed_fall(desk: Desk, client_id: uuid.UUID, days_ago: int, place: str) -> uuid.UUID:
    with desk.database.transaction() as session:
        return falls.log_fall(
            session,
            client_id=client_id,
            today=TODAY,
            details=falls.FallDetails(
                TODAY - timedelta(days=days_ago), place=place, what_happened="Tripped"
            ),
        ).id


def fall_cell(tab: FallsTab, row: int, column: str) -> str:
    return tab.table.item(row, COLUMNS.index(column)).text()


def test_correct_and_strike_out_a_fall_through_the_screen(
    open_tab, client_id, desk, qtbot, monkeypatch
):  # type: ignore[no-untyped-def]
    kitchen = seed_fall(desk, client_id, 3, "Kitchen")
    seed_fall(desk, client_id, 10, "Garden")
    tab = open_tab(FallsTab, client_id)
    assert tab.summary.text().startswith("2 falls")
    corrections = modeless(monkeypatch, CorrectFallDialog)
    strikes = modeless(monkeypatch, StrikeOutDialog)

    click_row(qtbot, tab.table, 0)  # newest first: Kitchen
    click(qtbot, tab.correct_button)
    (dialog,) = corrections
    assert isinstance(dialog, CorrectFallDialog)
    assert dialog.place.text() == "Kitchen"
    dialog.place.selectAll()
    qtbot.keyClicks(dialog.place, "Bathroom")
    click(qtbot, dialog.save_button)
    assert "needed" in dialog.form.error_text("reason")
    qtbot.keyClicks(dialog.reason, "Misheard where")
    click(qtbot, dialog.save_button)
    assert dialog.result() == QDialog.DialogCode.Accepted

    assert tab.table.rowCount() == 2
    assert fall_cell(tab, 0, "Where") == "Bathroom"
    assert fall_cell(tab, 0, "History").startswith("corrected ")
    assert "where was Kitchen — Misheard where" in fall_cell(tab, 0, "History")

    click_row(qtbot, tab.table, 1)  # Garden
    click(qtbot, tab.strike_button)
    (strike,) = strikes
    assert isinstance(strike, StrikeOutDialog)
    qtbot.keyClicks(strike.reason, "Logged for the wrong client")
    click(qtbot, strike.save_button)
    assert tab.table.rowCount() == 1
    assert tab.summary.text().startswith("1 fall")
    assert sum(n for _, _, n in tab.bars.counts()) == 1

    click(qtbot, tab.show_history)
    assert tab.table.rowCount() == 3
    places = [fall_cell(tab, r, "Where") for r in range(3)]
    assert sorted(places) == ["Bathroom", "Garden", "Kitchen"]
    garden = places.index("Garden")
    assert tab.table.item(garden, 1).font().strikeOut()
    assert "struck out" in fall_cell(tab, garden, "History")

    with desk.database.reading() as session:
        stored = {f.place: f for f in session.scalars(select(Fall))}
    assert stored["Kitchen"].id == kitchen and not stored["Kitchen"].is_current
    assert stored["Kitchen"].superseded_by_id == stored["Bathroom"].id
    assert stored["Garden"].struck_reason == "Logged for the wrong client"


def test_falls_headers_and_cells_keep_their_text_with_larger_text(open_tab, client_id, desk):  # type: ignore[no-untyped-def]
    seed_fall(desk, client_id, 3, "Bathroom, getting up at night")
    tab = open_tab(FallsTab, client_id)
    font = QFont(tab.font())
    font.setPointSize(LARGER_POINT_SIZE)
    tab.setFont(font)
    tab.resize(700, 600)
    tab.table.viewport().resize(tab.table.viewport().width() - 1, 300)
    tab._fit_columns()
    header = tab.table.horizontalHeader()
    for column, title in enumerate(COLUMNS):
        assert tab.table.columnWidth(column) >= header.fontMetrics().horizontalAdvance(title), title
    # A text column holds at least a word or two, never "B… g… up at ni…".
    width = tab.table.columnWidth(COLUMNS.index("Where"))
    assert width >= tab.table.fontMetrics().horizontalAdvance("Bathroom,")
