"""Correct or strike out a measure result or a fall typed wrong, with a reason.

A correction opens prefilled with what was recorded; saving puts the corrected record
in its place and keeps the earlier one in the history. A strike-out keeps the record,
marked struck out. Either way the reason is required and shown in the history.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from therapy_desk.domain import Fall, Measurement
from therapy_desk.domain.vocabulary import DeviceKind
from therapy_desk.library.catalogue import MeasureSpec
from therapy_desk.services.falls import FallDetails, correct_fall
from therapy_desk.services.measures import correct_measurement
from ui.desk import Changes, Desk
from ui.forms import Form, date_edit, date_value, set_date, text_box, text_or_none
from ui.pages.record_tab import run_action
from ui.widgets.choices import EnumCombo
from ui.widgets.result_fields import ResultFields

REASON_HINT = "Why it was wrong, e.g. 'typed the wrong trial'; kept in the record's history"


def _frame(dialog: QDialog, about: str, form: Form, action_text: str) -> QDialogButtonBox:
    """The dialog's layout: what it does, the form (scrolling if the screen is short), and
    its buttons."""
    intro = QLabel(about, dialog)
    intro.setWordWrap(True)
    scroll = QScrollArea(dialog)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(form)
    buttons = QDialogButtonBox(dialog)
    save = buttons.addButton(action_text, QDialogButtonBox.ButtonRole.AcceptRole)
    save.setDefault(True)
    buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(intro)
    layout.addWidget(scroll, 1)
    layout.addWidget(buttons)
    return buttons


def _reason(form: Form, label: str) -> QPlainTextEdit:
    box = text_box(60)
    form.add("reason", label, box, hint=REASON_HINT)
    box.setPlaceholderText("e.g. typed the wrong trial")
    return box


class CorrectMeasureDialog(QDialog):
    """A result, prefilled, to correct; the measure stays the same."""

    def __init__(
        self,
        desk: Desk,
        *,
        spec: MeasureSpec,
        measurement: Measurement,
        client_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.measurement = measurement
        self.client_id = client_id
        self.setWindowTitle(f"Correct a result: {spec.name}")
        self.form = Form(self)
        self.fields = ResultFields(self.form, today=desk.today, notes_height=48)
        self.fields.set_spec(spec)
        self.fields.fill(measurement)
        self.reason = _reason(self.form, "&Why correct it:")
        buttons = _frame(
            self,
            "Change what was typed wrong. The corrected result takes its place in the chart "
            "and figures; what was recorded before stays in the history, with your reason.",
            self.form,
            "Save &correction",
        )
        buttons.accepted.connect(self.save)
        self.save_button = buttons.buttons()[0]

    def save(self) -> None:
        result = self.fields.result()
        if result is None:
            return
        saved = run_action(
            self,
            self.desk,
            correct_measurement,
            Changes(self.client_id, "measure"),
            self.form,
            measurement_id=self.measurement.id,
            result=result,
            reason=self.reason.toPlainText(),
            by=self.desk.user,
            now=self.desk.now(),
            today=self.desk.today(),
            expected_version=self.measurement.version,
        )
        if saved is not None:
            self.accept()


class CorrectFallDialog(QDialog):
    """A fall, prefilled, to correct."""

    def __init__(
        self, desk: Desk, *, fall: Fall, client_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.fall = fall
        self.client_id = client_id
        self.setWindowTitle("Correct a fall")
        self.form = f = Form(self)
        self.fell_on = date_edit(optional=False, today=desk.today)
        self.place = QLineEdit()
        self.what_happened = text_box(56)
        self.injury = text_box(40)
        self.action_taken = text_box(40)
        self.device_in_use: EnumCombo[DeviceKind] = EnumCombo(DeviceKind, blank="None")
        f.add("fell_on", "Fell o&n:", self.fell_on)
        f.add("place", "W&here:", self.place)
        f.add("what_happened", "Wh&at happened:", self.what_happened)
        f.add("injury", "&Injury:", self.injury)
        f.add("action_taken", "Action ta&ken:", self.action_taken)
        f.add("device_in_use", "De&vice in use:", self.device_in_use)
        set_date(self.fell_on, fall.fell_on)
        self.place.setText(fall.place or "")
        self.what_happened.setPlainText(fall.what_happened or "")
        self.injury.setPlainText(fall.injury or "")
        self.action_taken.setPlainText(fall.action_taken or "")
        self.device_in_use.set_value(fall.device_in_use)
        self.reason = _reason(f, "&Why correct it:")
        buttons = _frame(
            self,
            "Change what was logged wrong. The corrected fall takes its place in the diary "
            "and the counts; what was logged before stays in the history, with your reason.",
            f,
            "Save &correction",
        )
        buttons.accepted.connect(self.save)
        self.save_button = buttons.buttons()[0]

    def details(self) -> FallDetails:
        return FallDetails(
            fell_on=date_value(self.fell_on) or self.fall.fell_on,
            place=text_or_none(self.place),
            what_happened=text_or_none(self.what_happened),
            injury=text_or_none(self.injury),
            action_taken=text_or_none(self.action_taken),
            device_in_use=self.device_in_use.value(),
        )

    def save(self) -> None:
        problems = self.form.entry_problems()
        if problems:
            self.form.show_errors(problems)
            return
        saved = run_action(
            self,
            self.desk,
            correct_fall,
            Changes(self.client_id, "falls"),
            self.form,
            fall_id=self.fall.id,
            details=self.details(),
            reason=self.reason.toPlainText(),
            by=self.desk.user,
            now=self.desk.now(),
            today=self.desk.today(),
            expected_version=self.fall.version,
        )
        if saved is not None:
            self.accept()


class StrikeOutDialog(QDialog):
    """Strike out one record made in error: what it is, and why (required)."""

    def __init__(
        self,
        desk: Desk,
        *,
        title: str,
        describing: str,
        action: Callable[..., Any],
        changes: Changes,
        parent: QWidget | None = None,
        **ids: Any,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.action = action
        self.changes = changes
        self.ids = ids
        self.setWindowTitle(title)
        self.form = Form(self)
        self.reason = _reason(self.form, "&Why strike it out:")
        self.reason.setPlaceholderText("e.g. entered for the wrong client")
        buttons = _frame(
            self,
            f"{describing}\n\nIt leaves the charts, counts and advisories, and stays in the "
            "history marked struck out, with your name and reason.",
            self.form,
            "&Strike out",
        )
        buttons.accepted.connect(self.save)
        self.save_button = buttons.buttons()[0]

    def save(self) -> None:
        saved = run_action(
            self,
            self.desk,
            self.action,
            self.changes,
            self.form,
            reason=self.reason.toPlainText(),
            by=self.desk.user,
            now=self.desk.now(),
            **self.ids,
        )
        if saved is not None:
            self.accept()
