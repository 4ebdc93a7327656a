"""The fields of one measure result, as the Measures tab records it and the correction
dialog corrects it: the result (or each timed trial, with their mean shown live), side,
region, date, the devices used and notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QStackedWidget, QWidget

from therapy_desk.domain import Measurement
from therapy_desk.domain.vocabulary import Region, Side
from therapy_desk.library.catalogue import MAX_TRIALS, MeasureSpec
from therapy_desk.services.measures import Result, result_text
from ui.forms import Form, date_edit, date_value, set_date, text_box, text_or_none
from ui.widgets.choices import EnumCombo, compact
from ui.widgets.device_picker import DevicePicker


class ResultFields:
    """Adds a result's fields to a form; `result()` reads them back for one measure."""

    def __init__(self, form: Form, *, today: Callable[[], date], notes_height: int = 60) -> None:
        self.form = form
        self.today = today
        self.spec: MeasureSpec | None = None
        self.trials: list[QLineEdit] = []
        for number in range(1, MAX_TRIALS + 1):
            edit = QLineEdit()
            edit.setPlaceholderText("seconds")
            form.add(f"trial_{number}", f"Trial &{number}:", edit)
            edit.textChanged.connect(self._show_mean)
            self.trials.append(edit)
        self.value_text = QLineEdit()
        self.value_grade = compact(QComboBox())
        self.mean = QLabel()
        self.mean.setAccessibleName("Mean of the trials")
        self.value_stack = QStackedWidget()
        for widget in (self.value_text, self.value_grade, self.mean):
            self.value_stack.addWidget(widget)
        self.value_stack.setFixedHeight(self.value_text.sizeHint().height())
        form.add("value", "&Result:", self.value_stack)
        self.value_text.setAccessibleName("Result")
        self.value_grade.setAccessibleName("Result grade")
        self.side: EnumCombo[Side] = EnumCombo([Side.LEFT, Side.RIGHT], blank="—")
        form.add("side", "Si&de:", self.side)
        self.region: EnumCombo[Region] = EnumCombo(Region, blank="—")
        form.add("region", "Re&gion:", self.region)
        self.measured_on = date_edit(optional=False, today=today)
        form.add("measured_on", "D&ate:", self.measured_on)
        self.devices = DevicePicker()
        form.add(
            "devices_used",
            "De&vices used:",
            self.devices,
            hint="Every device used during the test; tick several if several were used",
        )
        self.notes = text_box(notes_height)
        form.add("notes", "N&otes:", self.notes)
        set_date(self.measured_on, today())

    # The measure decides which fields show.

    def set_spec(self, spec: MeasureSpec) -> None:
        self.spec = spec
        timed = spec.trials > 1
        rows = self.form.layout_
        for number, edit in enumerate(self.trials, start=1):
            rows.setRowVisible(holder_of(edit), timed and number <= spec.trials)
            edit.setPlaceholderText(spec.unit)
        self.value_stack.setCurrentWidget(
            self.mean if timed else self.value_grade if spec.is_ordinal else self.value_text
        )
        if spec.is_ordinal:
            self.value_grade.clear()
            self.value_grade.addItems(list(spec.grades))
        self.side.setEnabled(spec.per_side)
        self.region.setEnabled(spec.per_region)
        if not spec.per_side:
            self.side.set_value(None)
        if not spec.per_region:
            self.region.set_value(None)
        self._show_mean()

    def _show_mean(self, *_: object) -> None:
        spec = self.spec
        if spec is None or spec.trials == 1:
            return
        values = self._trial_numbers()
        if values is None:
            self.mean.setText(f"Mean of {spec.trials} trials: type each trial")
        else:
            self.mean.setText(f"Mean: {result_text(spec, spec.mean_of(values))}")

    def _trial_numbers(self) -> list[float] | None:
        spec = self.spec
        assert spec is not None
        try:
            return [spec.parse_value(e.text()) for e in self.trials[: spec.trials]]
        except ValueError:
            return None

    # Reading and filling

    def result(self) -> Result | None:
        """The typed result for the current measure; None (with the message at the field)
        when a number cannot be read."""
        spec = self.spec
        assert spec is not None
        problems = self.form.entry_problems()
        trial_values: tuple[float, ...] | None = None
        if spec.trials > 1:
            trial_list = []
            for number, edit in enumerate(self.trials[: spec.trials], start=1):
                if not edit.text().strip():
                    problems.setdefault(
                        f"trial_{number}", f"Type trial {number} of {spec.name} in {spec.unit}"
                    )
                    continue
                try:
                    trial_list.append(spec.parse_value(edit.text()))
                except ValueError as problem:
                    problems.setdefault(f"trial_{number}", str(problem))
            trial_values = tuple(trial_list)
            value = spec.mean_of(trial_list) if len(trial_list) == spec.trials else 0.0
        else:
            raw = self.value_grade.currentText() if spec.is_ordinal else self.value_text.text()
            value = 0.0
            if not raw.strip():
                problems.setdefault("value", f"Type the {spec.name} result in {spec.unit}")
            else:
                try:
                    value = spec.parse_value(raw)
                except ValueError as problem:
                    problems.setdefault("value", str(problem))
        if problems:
            self.form.show_errors(problems)
            return None
        return Result(
            measure_code=spec.code,
            value=value,
            measured_on=date_value(self.measured_on) or self.today(),
            side=self.side.value() or Side.NONE,
            region=self.region.value(),
            devices_used=self.devices.devices(),
            notes=text_or_none(self.notes),
            trial_values=trial_values,
        )

    def fill(self, m: Measurement) -> None:
        """Show a stored result, to correct it."""
        spec = self.spec
        assert spec is not None
        for edit, trial in zip(self.trials, m.trial_values or (), strict=False):
            edit.setText(f"{trial:.{spec.decimals}f}")
        if spec.is_ordinal:
            self.value_grade.setCurrentIndex(int(round(m.value)))
        elif spec.trials == 1 or not m.trial_values:
            self.value_text.setText(f"{m.value:.{spec.decimals}f}")
        self.side.set_value(m.side if m.side is not Side.NONE else None)
        self.region.set_value(m.region)
        set_date(self.measured_on, m.measured_on)
        self.devices.set_devices(m.devices_used)
        self.notes.setPlainText(m.notes or "")

    def has_typing(self) -> bool:
        return bool(
            self.value_text.text().strip()
            or any(e.text().strip() for e in self.trials)
            or self.notes.toPlainText().strip()
        )

    def clear_typing(self) -> None:
        """Ready for the next result: the typed figures and notes go; the rest stays."""
        self.value_text.clear()
        for edit in self.trials:
            edit.clear()
        self.notes.clear()


def holder_of(widget: QWidget) -> QWidget:
    parent = widget.parentWidget()
    assert parent is not None
    return parent
