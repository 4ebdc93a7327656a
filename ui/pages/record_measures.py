"""Measures: enter results from the catalogue (checked against each measure's range) and
see each measure over time against its meaningful-change band."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from therapy_desk.domain.vocabulary import DeviceKind, Region, Side
from therapy_desk.library.catalogue import MeasureSpec, measures
from therapy_desk.services.measures import Result, record_measurement
from therapy_desk.services.record_view import ClientRecord
from ui.desk import Desk
from ui.dialogs.measure_catalogue import MeasureCatalogue
from ui.forms import Form, date_edit, date_value, set_date, text_box, text_or_none
from ui.pages.record_tab import RecordTab
from ui.widgets.choices import EnumCombo, compact
from ui.widgets.measure_chart import MeasureChart

#: One plotted line: a measure, on one side, for one region.
SeriesKey = tuple[str, Side, Region | None]


def series_label(spec: MeasureSpec, side: Side, region: Region | None) -> str:
    parts = [spec.name]
    if side is not Side.NONE:
        parts.append(f"{side.label.lower()}")
    if region is not None:
        parts.append(region.label.lower())
    return parts[0] + (f" ({', '.join(parts[1:])})" if len(parts) > 1 else "")


class MeasuresTab(RecordTab):
    title = "Mea&sures"

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.specs = measures()
        self.series: dict[SeriesKey, list[tuple[date, float]]] = {}

        entry_title = QLabel("Record a result", self)
        entry_title.setObjectName("sectionTitle")
        self.form = f = Form(self)
        measure = compact(QComboBox(), 16)
        for spec in sorted(self.specs.values(), key=lambda s: s.name):
            measure.addItem(f"{spec.name} ({spec.unit})", spec.code)
        self.measure = f.add("measure", "&Measure:", measure)
        self.value_text = QLineEdit()
        self.value_grade = compact(QComboBox())
        self.value_stack = QStackedWidget()
        self.value_stack.addWidget(self.value_text)
        self.value_stack.addWidget(self.value_grade)
        self.value_stack.setFixedHeight(self.value_text.sizeHint().height())
        f.add("value", "&Result:", self.value_stack)
        self.value_text.setAccessibleName("Result")
        self.value_grade.setAccessibleName("Result grade")
        self.side = f.add("side", "Si&de:", EnumCombo([Side.LEFT, Side.RIGHT], blank="—"))
        self.region = f.add("region", "Re&gion:", EnumCombo(Region, blank="—"))
        self.measured_on = f.add("measured_on", "D&ate:", date_edit(optional=False))
        self.device = f.add("device_used", "De&vice used:", EnumCombo(DeviceKind, blank="None"))
        notes = text_box(60)
        self.notes = f.add("notes", "N&otes:", notes)
        self.range_hint = QLabel(self)
        self.range_hint.setWordWrap(True)
        self.save_button = QPushButton("&Record result", self)
        self.save_button.clicked.connect(lambda: self.save())
        self.value_text.returnPressed.connect(lambda: self.save())
        self.measure.currentIndexChanged.connect(self._measure_changed)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(entry_title)
        left_layout.addWidget(self.form)
        left_layout.addWidget(self.range_hint)
        self.about_button = QPushButton("Abo&ut this measure…", self)
        self.about_button.clicked.connect(
            lambda: MeasureCatalogue(self, code=self.spec().code).exec()
        )
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.about_button)
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.save_button)
        left_layout.addLayout(buttons_row)
        left_layout.addStretch(1)

        self.picker = compact(QComboBox(self), 16)
        self.picker.setAccessibleName("Measure shown in the chart")
        self.picker.currentIndexChanged.connect(self._show_series)
        picker_label = QLabel("S&how:", self)
        picker_label.setBuddy(self.picker)
        self.chart = MeasureChart(self)
        self.results = QTreeWidget(self)
        self.results.setAccessibleName("Results of the measure shown")
        self.results.setRootIsDecorated(False)
        self.results.setHeaderLabels(["Date", "Result", "Change from first"])
        self.results.setColumnWidth(0, 110)
        self.results.setColumnWidth(1, 120)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        picker_row = QHBoxLayout()
        picker_row.addWidget(picker_label)
        picker_row.addWidget(self.picker, 1)
        right_layout.addLayout(picker_row)
        right_layout.addWidget(self.chart, 3)
        right_layout.addWidget(self.results, 2)

        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        set_date(self.measured_on, desk.today())
        self._measure_changed()

    def spec(self) -> MeasureSpec:
        return self.specs[self.measure.currentData()]

    def _measure_changed(self, *_: object) -> None:
        spec = self.spec()
        ordinal = spec.is_ordinal
        self.value_stack.setCurrentIndex(1 if ordinal else 0)
        if ordinal:
            self.value_grade.clear()
            self.value_grade.addItems(list(spec.grades))
        self.side.setEnabled(spec.per_side)
        self.region.setEnabled(spec.per_region)
        if not spec.per_side:
            self.side.set_value(None)
        if not spec.per_region:
            self.region.set_value(None)
        better = "lower" if spec.better.value == "lower" else "higher"
        self.range_hint.setText(
            f"{spec.name}: {spec.format_value(spec.min)} to {spec.format_value(spec.max)}; "
            f"{better} is better." + (" Recorded for each side." if spec.per_side else "")
        )
        self.form.clear_errors()

    def show_record(self, record: ClientRecord) -> None:
        super().show_record(record)
        grouped: dict[SeriesKey, list[tuple[date, float]]] = defaultdict(list)
        for m in sorted(record.client.measurements, key=lambda m: (m.measured_on, m.created_at)):
            if m.measure_code in self.specs:
                grouped[(m.measure_code, m.side, m.region)].append((m.measured_on, m.value))
        self.series = dict(grouped)
        wanted = self.picker.currentData()
        self.picker.blockSignals(True)
        self.picker.clear()
        keys = sorted(self.series, key=lambda k: series_label(self.specs[k[0]], k[1], k[2]))
        for key in keys:
            spec = self.specs[key[0]]
            count = len(self.series[key])
            self.picker.addItem(f"{series_label(spec, key[1], key[2])} — {count} results", key)
        if not keys:
            self.picker.addItem("No results recorded yet", None)
        index = self.picker.findData(wanted) if wanted is not None else -1
        self.picker.setCurrentIndex(max(index, 0))
        self.picker.blockSignals(False)
        self._show_series()

    def show_series(self, key: SeriesKey) -> None:
        index = self.picker.findData(key)
        if index >= 0:
            self.picker.setCurrentIndex(index)
            self._show_series()

    def _show_series(self, *_: object) -> None:
        key = self.picker.currentData()
        self.results.clear()
        if key is None:
            self.chart.set_series(self.spec(), [], title=None)
            return
        spec = self.specs[key[0]]
        points = self.series.get(key, [])
        self.chart.set_series(spec, points, title=series_label(spec, key[1], key[2]))
        first = points[0][1] if points else None
        for on, value in reversed(points):
            change = (
                "" if first is None or on == points[0][0] else f"{value - first:+.{spec.decimals}f}"
            )
            self.results.addTopLevelItem(
                QTreeWidgetItem([f"{on:%d %b %Y}", spec.format_value(value), change])
            )

    def save(self) -> bool:
        """Record the typed result; False (with the message at the field) if it is wrong."""
        spec = self.spec()
        raw = self.value_grade.currentText() if spec.is_ordinal else self.value_text.text()
        if not raw.strip():
            self.form.show_errors({"value": f"Type the {spec.name} result in {spec.unit}"})
            return False
        try:
            value = spec.parse_value(raw)
        except ValueError as problem:
            self.form.show_errors({"value": str(problem)})
            return False
        measured_on = date_value(self.measured_on) or self.desk.today()
        result = Result(
            measure_code=spec.code,
            value=value,
            measured_on=measured_on,
            side=self.side.value() or Side.NONE,
            region=self.region.value(),
            device_used=self.device.value(),
            notes=text_or_none(self.notes),
        )
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
        self.value_text.clear()
        self.notes.clear()
        self.show_series((spec.code, result.side, result.region))
        return True

    def has_unsaved_changes(self) -> bool:
        return bool(self.value_text.text().strip() or self.notes.toPlainText().strip())

    def discard(self) -> None:
        self.value_text.clear()
        self.notes.clear()
        self.form.clear_errors()
