"""Measures: every measure's latest result at a glance, results entered from the catalogue
(checked against each measure's range; timed trials with their mean shown as typed), each
measure over time against its meaningful-change band, and a result typed wrong corrected
or struck out with a reason, its earlier value kept in the history."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QBrush, QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.domain import Measurement
from therapy_desk.library.catalogue import MeasureSpec, measures
from therapy_desk.services.measures import (
    OverviewRow,
    ResultRow,
    SeriesKey,
    overview,
    record_measurement,
    result_rows,
    series_label,
    strike_out_measurement,
)
from therapy_desk.services.record_view import ClientRecord
from ui.desk import Changes, Desk
from ui.dialogs.correct_record import CorrectMeasureDialog, StrikeOutDialog
from ui.dialogs.measure_catalogue import MeasureCatalogue
from ui.forms import Form
from ui.pages.record_tab import RecordTab
from ui.widgets.choices import compact
from ui.widgets.correction_bar import CorrectionBar
from ui.widgets.measure_chart import MeasureChart
from ui.widgets.result_fields import ResultFields

__all__ = ["MeasuresTab", "SeriesKey", "series_label"]

#: The overview's columns, left to right.
OVERVIEW_COLUMNS = ("Measure", "Latest", "On", "Previous", "Change", "Direction")
#: The results table's columns, left to right.
RESULT_COLUMNS = ("Date", "Result", "Change from first", "Devices used", "History")
#: Rows the overview shows before it scrolls on its own.
OVERVIEW_ROWS = 6
#: Narrower than this many average characters, the chart goes under the entry form.
SIDE_BY_SIDE_CHARS = 110


def _tree(parent: QWidget, name: str, columns: tuple[str, ...]) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setAccessibleName(name)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setHeaderLabels(list(columns))
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.header().setStretchLastSection(True)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return tree


class MeasuresTab(RecordTab):
    title = "Mea&sures"

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.specs = measures()
        self.rows: dict[SeriesKey, list[ResultRow]] = {}
        self.by_id: dict[uuid.UUID, Measurement] = {}

        # Every measure's latest result, at the top.
        overview_title = QLabel("&Latest result of each measure", self)
        overview_title.setObjectName("sectionTitle")
        self.overview = _tree(self, "Latest result of each measure", OVERVIEW_COLUMNS)
        overview_title.setBuddy(self.overview)
        self.overview.itemSelectionChanged.connect(self._overview_chosen)
        self.overview_rows: list[OverviewRow] = []

        # Recording a result.
        entry_title = QLabel("Record a result", self)
        entry_title.setObjectName("sectionTitle")
        self.form = f = Form(self)
        measure = compact(QComboBox(), 16)
        for spec in sorted(self.specs.values(), key=lambda s: s.name):
            measure.addItem(f"{spec.name} ({spec.unit})", spec.code)
        self.measure = f.add("measure", "&Measure:", measure)
        self.fields = ResultFields(f, today=desk.today)
        self.value_text = self.fields.value_text
        self.value_grade = self.fields.value_grade
        self.trials = self.fields.trials
        self.mean = self.fields.mean
        self.side = self.fields.side
        self.region = self.fields.region
        self.measured_on = self.fields.measured_on
        self.devices = self.fields.devices
        self.notes = self.fields.notes
        self.range_hint = QLabel(self)
        self.range_hint.setWordWrap(True)
        self.save_button = QPushButton("&Record result", self)
        self.save_button.clicked.connect(lambda: self.save())
        self.value_text.returnPressed.connect(lambda: self.save())
        self.trials[1].returnPressed.connect(lambda: self.save())
        self.measure.currentIndexChanged.connect(self._measure_changed)
        self.about_button = QPushButton("Abo&ut this measure…", self)
        self.about_button.clicked.connect(
            lambda: MeasureCatalogue(self, code=self.spec().code).exec()
        )
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(entry_title)
        left_layout.addWidget(self.form)
        left_layout.addWidget(self.range_hint)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.about_button)
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.save_button)
        left_layout.addLayout(buttons_row)
        left_layout.addStretch(1)

        # One measure over time: chart, then its results with their history.
        self.picker = compact(QComboBox(self), 16)
        self.picker.setAccessibleName("Measure shown in the chart")
        self.picker.currentIndexChanged.connect(self._show_series)
        picker_label = QLabel("S&how:", self)
        picker_label.setBuddy(self.picker)
        self.chart = MeasureChart(self)
        self.results = _tree(self, "Results of the measure shown", RESULT_COLUMNS)
        self.results.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.results.customContextMenuRequested.connect(self._results_menu)
        self.results.itemSelectionChanged.connect(self._result_chosen)
        self.results.itemDoubleClicked.connect(lambda *_: self.correct())
        self.corrections = CorrectionBar(
            self,
            what="result",
            things="results",
            made_in_error="made in error",
            strike_text="Stri&ke out…",
            show_text="Sho&w corrections",
            history_name="Notes and history of the chosen result",
            correct=self.correct,
            strike_out=self.strike_out,
            show_changed=self._show_series,
        )
        self.correct_button = self.corrections.correct_button
        self.strike_button = self.corrections.strike_button
        self.show_history = self.corrections.show_history
        self.history_text = self.corrections.history_text
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        picker_row = QHBoxLayout()
        picker_row.addWidget(picker_label)
        picker_row.addWidget(self.picker, 1)
        right_layout.addLayout(picker_row)
        right_layout.addWidget(self.chart, 1)
        results_title = QLabel("R&esults of the measure shown", self)
        results_title.setObjectName("sectionTitle")
        results_title.setBuddy(self.results)
        actions = QHBoxLayout()
        actions.addWidget(results_title)
        actions.addStretch(1)
        actions.addWidget(self.corrections)
        # Room for several results at any text size; the page scrolls past it.
        self.results.setMinimumHeight(self.results.fontMetrics().height() * 9)

        self.split = split = QSplitter(self)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)

        # The page scrolls when the screen is short (1280×720, larger text): the chart
        # keeps a readable height instead of shrinking to a strip.
        page = QWidget(self)
        page_layout = QVBoxLayout(page)
        page_layout.addWidget(overview_title)
        page_layout.addWidget(self.overview)
        page_layout.addWidget(split)
        page_layout.addLayout(actions)
        page_layout.addWidget(self.results, 1)
        page_layout.addWidget(self.history_text)
        self.page_scroll = QScrollArea(self)
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.page_scroll.setWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.page_scroll)
        self._measure_changed()
        self._result_chosen()

    def spec(self) -> MeasureSpec:
        return self.specs[self.measure.currentData()]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        """Form beside chart when there is room; the chart under the form when the text is
        large for the width (larger text at 1280x720), so neither is squeezed."""
        super().resizeEvent(event)
        wide = self.width() >= self.fontMetrics().averageCharWidth() * SIDE_BY_SIDE_CHARS
        wanted = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.split.orientation() != wanted:
            self.split.setOrientation(wanted)

    def _measure_changed(self, *_: object) -> None:
        spec = self.spec()
        self.fields.set_spec(spec)
        better = "lower" if spec.better.value == "lower" else "higher"
        trials = f" The mean of {spec.trials} trials." if spec.trials > 1 else ""
        self.range_hint.setText(
            f"{spec.name}: {spec.format_value(spec.min)} to {spec.format_value(spec.max)}; "
            f"{better} is better.{trials}" + (" Recorded for each side." if spec.per_side else "")
        )
        self.form.clear_errors()

    # Showing the record

    def show_record(self, record: ClientRecord) -> None:
        super().show_record(record)
        measurements = record.client.measurements
        self.by_id = {m.id: m for m in measurements}
        self.rows = result_rows(measurements, specs=self.specs)
        self._fill_overview(overview(measurements, specs=self.specs))
        wanted = self.picker.currentData()
        self.picker.blockSignals(True)
        self.picker.clear()
        keys = sorted(self.rows, key=lambda k: series_label(self.specs[k[0]], k[1], k[2]))
        for key in keys:
            spec = self.specs[key[0]]
            count = sum(1 for r in self.rows[key] if r.current)
            label = series_label(spec, key[1], key[2])
            self.picker.addItem(f"{label} — {words.count(count, 'result')}", key)
        if not keys:
            self.picker.addItem("No results recorded yet", None)
        index = self._picker_index(wanted) if wanted is not None else -1
        self.picker.setCurrentIndex(max(index, 0))
        self.picker.blockSignals(False)
        self._show_series()

    def _fill_overview(self, rows: list[OverviewRow]) -> None:
        self.overview_rows = rows
        self.overview.blockSignals(True)
        self.overview.clear()
        for row in rows:
            change = row.change or "—"
            item = QTreeWidgetItem(
                [
                    row.label,
                    row.latest,
                    words.day(row.latest_on),
                    row.previous or "—",
                    change,
                    row.direction,
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, row.key)
            item.setToolTip(0, f"{row.label}: {words.count(row.count, 'result')}")
            self.overview.addTopLevelItem(item)
        if not rows:
            self.overview.addTopLevelItem(QTreeWidgetItem(["No results recorded yet"]))
        self.overview.blockSignals(False)
        self._size_overview()

    def _size_overview(self) -> None:
        """Room for every row up to OVERVIEW_ROWS, the header, and the columns' text."""
        tree = self.overview
        for column in range(tree.columnCount() - 1):
            tree.resizeColumnToContents(column)
        line = tree.sizeHintForRow(0) if tree.topLevelItemCount() else tree.fontMetrics().height()
        shown = min(max(tree.topLevelItemCount(), 1), OVERVIEW_ROWS)
        header = tree.header().sizeHint().height()
        tree.setFixedHeight(header + line * shown + 2 * tree.frameWidth() + 4)

    def _overview_chosen(self) -> None:
        item = self.overview.currentItem()
        key = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if key is not None:
            self.show_series(key)

    def _picker_index(self, key: object) -> int:
        """Where a series is in the picker (-1: not there). Qt's findData cannot compare
        the Python tuples the picker holds."""
        return next((i for i in range(self.picker.count()) if self.picker.itemData(i) == key), -1)

    def show_series(self, key: SeriesKey) -> None:
        index = self._picker_index(key)
        if index >= 0:
            self.picker.setCurrentIndex(index)
            self._show_series()

    def _show_series(self, *_: object) -> None:
        key = self.picker.currentData()
        self.results.clear()
        if key is None:
            self.chart.set_series(self.spec(), [], title=None)
            self._result_chosen()
            return
        spec = self.specs[key[0]]
        rows = self.rows.get(key, [])
        points = [(r.measured_on, r.value) for r in rows if r.current]
        self.chart.set_series(spec, points, title=series_label(spec, key[1], key[2]))
        history = self.show_history.isChecked()
        for row in reversed(rows):
            if row.current or history:
                self.results.addTopLevelItem(self._result_item(row))
        for column in range(self.results.columnCount() - 1):
            self.results.resizeColumnToContents(column)
        self._result_chosen()

    def _result_item(self, row: ResultRow) -> QTreeWidgetItem:
        history = "; ".join(row.history)
        item = QTreeWidgetItem(
            [words.day(row.measured_on), row.text, row.change, row.devices, history]
        )
        item.setData(0, Qt.ItemDataRole.UserRole, row.id)
        tip = "\n".join(
            part for part in (row.text, row.notes and f"Notes: {row.notes}", *row.history) if part
        )
        for column in range(len(RESULT_COLUMNS)):
            item.setToolTip(column, tip)
        if not row.current:
            font = QFont(self.results.font())
            font.setStrikeOut(True)
            grey = QBrush(
                self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            )
            for column in range(len(RESULT_COLUMNS) - 1):
                item.setFont(column, font)
            for column in range(len(RESULT_COLUMNS)):
                item.setForeground(column, grey)
        return item

    # The chosen result: correct it or strike it out

    def chosen(self) -> tuple[Measurement, ResultRow] | None:
        """The current result chosen in the table, if any."""
        item = self.results.currentItem()
        if item is None or not item.isSelected():
            return None
        measurement = self.by_id.get(item.data(0, Qt.ItemDataRole.UserRole))
        if measurement is None:
            return None
        key = (measurement.measure_code, measurement.side, measurement.region)
        row = next((r for r in self.rows.get(key, []) if r.id == measurement.id), None)
        return (measurement, row) if row is not None and row.current else None

    def _result_chosen(self) -> None:
        item = self.results.currentItem()
        self.corrections.show_chosen(
            can_change=self.chosen() is not None,
            history=item.toolTip(0) if item is not None and item.isSelected() else "",
        )

    def _results_menu(self, where: QPoint) -> None:
        item = self.results.itemAt(where)
        if item is None:
            return
        self.results.setCurrentItem(item)
        self.corrections.offer_menu(self.results, where, can_change=self.chosen() is not None)

    def correct_dialog(self) -> CorrectMeasureDialog | None:
        """The correction dialog for the chosen result (None when none is chosen)."""
        chosen = self.chosen()
        if chosen is None:
            return None
        measurement, _row = chosen
        return CorrectMeasureDialog(
            self.desk,
            spec=self.specs[measurement.measure_code],
            measurement=measurement,
            client_id=self.client_id,
            parent=self,
        )

    def correct(self) -> None:
        dialog = self.correct_dialog()
        if dialog is not None:
            dialog.exec()

    def strike_dialog(self) -> StrikeOutDialog | None:
        chosen = self.chosen()
        if chosen is None:
            return None
        measurement, row = chosen
        spec = self.specs[measurement.measure_code]
        label = series_label(spec, measurement.side, measurement.region)
        return StrikeOutDialog(
            self.desk,
            title="Strike out a result",
            describing=f"{label}: {row.text} on {words.day(row.measured_on)}.",
            action=strike_out_measurement,
            changes=Changes(self.client_id, "measure"),
            parent=self,
            measurement_id=measurement.id,
            expected_version=measurement.version,
        )

    def strike_out(self) -> None:
        dialog = self.strike_dialog()
        if dialog is not None:
            dialog.exec()

    # Recording a result

    def save(self) -> bool:
        """Record the typed result; False (with the message at the field) if it is wrong."""
        result = self.fields.result()
        if result is None:
            return False
        saved = self.act(
            record_measurement,
            changed="measure",
            form=self.form,
            client_id=self.client_id,
            result=result,
            today=self.desk.today(),
        )
        if saved is None:
            return False
        self.fields.clear_typing()
        self.show_series((result.measure_code, result.side, result.region))
        return True

    def has_unsaved_changes(self) -> bool:
        return self.fields.has_typing()

    def discard(self) -> None:
        self.fields.clear_typing()
        self.form.clear_errors()
