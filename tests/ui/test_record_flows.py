"""The issue's flows, driven as a therapist would: clicks and keys on real widgets,
then what the screen shows and what was saved."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget
from pytestqt.qtbot import QtBot

from tests import factories
from tests.ui.conftest import show
from therapy_desk.domain import Measurement, Programme
from therapy_desk.domain.vocabulary import Cause, Region, Side
from therapy_desk.services.clients import load_record
from ui.desk import Desk
from ui.dialogs.catalogue import CatalogueBrowser
from ui.dialogs.finding import FindingDialog
from ui.models.programme import FIELDS
from ui.pages.record import RecordPage
from ui.pages.record_measures import MeasuresTab
from ui.pages.record_overview import OverviewTab
from ui.pages.record_programme import ProgrammeTab
from ui.pages.record_weakness import WeaknessTab


def record_page(qtbot: QtBot, desk: Desk, client_id: uuid.UUID) -> RecordPage:
    page = show(qtbot, RecordPage(desk))
    page.resize(1200, 800)
    assert page.open_client(client_id)
    return page


def add_leg_nerve_damage(qtbot: QtBot, page: RecordPage) -> None:
    weakness = page.tab(WeaknessTab)
    assert isinstance(weakness, WeaknessTab)
    dialog = FindingDialog(page.desk, client_id=page.client_id, parent=page)
    qtbot.addWidget(dialog)
    dialog.region.set_value(Region.KNEE)
    dialog.side.set_value(Side.LEFT)
    dialog.cause.set_value(Cause.NERVE_DAMAGE)
    dialog.grade.setCurrentIndex(dialog.grade.findData(3))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted


def add_from_catalogue(qtbot: QtBot, tab: ProgrammeTab, search: str, code: str) -> None:
    browser = CatalogueBrowser(tab.desk, tab)
    qtbot.addWidget(browser)
    browser.chosen.connect(tab.add_exercise)
    qtbot.keyClicks(browser.search, search)
    browser.select(code)
    assert browser.current() is not None and browser.current().code == code
    qtbot.mouseClick(browser.add_button, Qt.MouseButton.LeftButton)
    browser.close()


def edit_cell(qtbot: QtBot, tab: ProgrammeTab, row: int, field: str, text: str) -> None:
    index = tab.model.index(row, FIELDS.index(field))
    tab.table.setCurrentIndex(index)
    tab.table.edit(index)
    editors = [w for w in tab.table.viewport().findChildren(QWidget) if w.isVisible()]
    assert editors, "no cell editor opened"
    editor = editors[0]
    (editor.lineEdit() if hasattr(editor, "lineEdit") else editor).selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The view commits an editor's data on the next turn of the event loop.
    qtbot.waitUntil(lambda: tab.table.state() != QAbstractItemView.State.EditingState)


def test_nerve_damage_in_the_legs_then_a_weighted_leg_exercise_raises_the_advisory(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID
) -> None:
    page = record_page(qtbot, desk, client_id)
    overview = page.tab(OverviewTab)
    assert isinstance(overview, OverviewTab)
    add_leg_nerve_damage(qtbot, page)
    weakness = page.tab(WeaknessTab)
    assert weakness.table.topLevelItemCount() == 1
    assert weakness.table.topLevelItem(0).text(2) == Cause.NERVE_DAMAGE.label
    assert weakness.body_map.shade_at(Region.KNEE, Side.LEFT) is not None

    programme = page.tab(ProgrammeTab)
    assert isinstance(programme, ProgrammeTab)
    page.tabs.setCurrentWidget(programme)
    add_from_catalogue(qtbot, programme, "ankle weight", factories.WEIGHTED_KNEE)
    assert programme.model.rowCount() == 1
    assert programme.has_unsaved_changes()
    assert "Unsaved" in programme.draft_state.text()
    edit_cell(qtbot, programme, 0, "load_kg", "1.5")
    assert programme.model.item(0).load_kg == 1.5
    qtbot.keyClicks(programme.reason, "Start strengthening")
    qtbot.mouseClick(programme.issue_button, Qt.MouseButton.LeftButton)

    assert not programme.has_unsaved_changes()
    titles = overview.advisory_titles()
    assert any("nerve" in t.lower() for t in titles), titles
    assert "advisor" in " ".join(
        page.flags.itemAt(i).widget().text()
        for i in range(page.flags.count())
        if page.flags.itemAt(i).widget()
    )
    reasons = " ".join(c.view.advisory.reason for c in overview.cards)
    assert "1.5 kg" in reasons


def test_a_new_revision_keeps_the_old_one_readable(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID
) -> None:
    with desk.database.transaction() as session:
        factories.programme(session, client_id, factories.weighted_knee(load=1.0))
    page = record_page(qtbot, desk, client_id)
    tab = page.tab(ProgrammeTab)
    assert isinstance(tab, ProgrammeTab)
    page.tabs.setCurrentWidget(tab)
    assert tab.revision_picker.count() == 1
    edit_cell(qtbot, tab, 0, "reps", "12")
    add_from_catalogue(qtbot, tab, "sit to stand", "sit-to-stand")
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)

    assert tab.revision_picker.count() == 2
    assert "(current)" in tab.revision_picker.itemText(0)
    assert "Revision 2" in tab.revision_picker.itemText(0)
    assert "Added" in tab.changes.text() and "12 reps" in tab.changes.text()
    tab.revision_picker.setCurrentIndex(1)
    assert tab.model.rowCount() == 1
    assert tab.model.item(0).reps == 10
    assert not tab.add_button.isEnabled()
    with desk.database.reading() as session:
        programme = load_record(session, client_id).programmes[0]
        assert isinstance(programme, Programme)
        assert [r.number for r in programme.revisions] == [1, 2]
        assert programme.revisions[0].superseded_on == factories.TODAY
        assert len(programme.revisions[0].items) == 1


def test_a_bad_dose_is_shown_on_its_cell_and_nothing_is_saved(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID
) -> None:
    page = record_page(qtbot, desk, client_id)
    tab = page.tab(ProgrammeTab)
    assert isinstance(tab, ProgrammeTab)
    page.tabs.setCurrentWidget(tab)
    add_from_catalogue(qtbot, tab, "sit to stand", "sit-to-stand")
    edit_cell(qtbot, tab, 0, "sets", "40")
    qtbot.mouseClick(tab.issue_button, Qt.MouseButton.LeftButton)
    assert "Sets" in tab.errors.text()
    assert (0, "sets") in tab.model.problems()
    assert tab.has_unsaved_changes()
    with desk.database.reading() as session:
        assert load_record(session, client_id).programmes == []


def test_measure_out_of_range_is_refused_at_the_field_then_a_valid_one_joins_the_chart(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID
) -> None:
    page = record_page(qtbot, desk, client_id)
    tab = page.tab(MeasuresTab)
    assert isinstance(tab, MeasuresTab)
    page.tabs.setCurrentWidget(tab)
    tab.measure.setCurrentIndex(tab.measure.findData("tug"))
    qtbot.keyClicks(tab.value_text, "900")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "outside that range" in tab.form.error_text("value")
    assert tab.chart.point_count() == 0

    tab.value_text.clear()
    qtbot.keyClicks(tab.value_text, "8.4")
    qtbot.keyClick(tab.value_text, Qt.Key.Key_Return)
    assert tab.form.error_text("value") == ""
    assert tab.chart.point_count() == 1
    qtbot.keyClicks(tab.value_text, "7,9")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.chart.point_count() == 2
    assert tab.results.topLevelItemCount() == 2
    with desk.database.reading() as session:
        values = sorted(m.value for m in session.query(Measurement).all())
    assert values == [7.9, 8.4]


def test_a_per_side_measure_asks_for_the_side(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID
) -> None:
    page = record_page(qtbot, desk, client_id)
    tab = page.tab(MeasuresTab)
    assert isinstance(tab, MeasuresTab)
    tab.measure.setCurrentIndex(tab.measure.findData("nhpt"))
    assert tab.side.isEnabled()
    qtbot.keyClicks(tab.trials[0], "24")
    qtbot.keyClicks(tab.trials[1], "25")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "left or right" in tab.form.error_text("side")
    tab.side.set_value(Side.RIGHT)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.form.error_text("side") == ""
    assert tab.chart.point_count() == 1


def test_a_typed_result_counts_as_unsaved_and_save_records_it(
    qtbot: QtBot, desk: Desk, client_id: uuid.UUID
) -> None:
    page = record_page(qtbot, desk, client_id)
    tab = page.tab(MeasuresTab)
    assert isinstance(tab, MeasuresTab)
    tab.measure.setCurrentIndex(tab.measure.findData("tug"))
    qtbot.keyClicks(tab.value_text, "12.5")
    assert page.has_unsaved_changes()
    assert page.save()
    assert not page.has_unsaved_changes()
    assert tab.chart.point_count() == 1


def test_screens_show_the_steps_for_the_items_side_never_the_catalogue_tags(
    qtbot: QtBot, desk: Desk
) -> None:
    with desk.database.transaction() as session:
        client_id = factories.client(session)
        factories.programme(session, client_id, factories.weighted_knee(side=Side.LEFT))
    page = record_page(qtbot, desk, client_id)
    tab = page.tab(ProgrammeTab)
    assert isinstance(tab, ProgrammeTab)
    tab.table.selectRow(0)
    shown = tab.steps.toPlainText()
    assert "with your left leg only" in shown
    assert "other leg" not in shown and "[" not in shown and "{side}" not in shown

    browser = CatalogueBrowser(desk, tab)
    qtbot.addWidget(browser)
    browser.select(factories.WEIGHTED_KNEE)
    text = browser.details.toPlainText()
    assert "change the weight to the other leg" in text
    assert "[" not in text and "{side}" not in text
