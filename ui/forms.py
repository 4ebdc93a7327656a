"""Forms whose validation messages appear at the field they are about.

Services raise `ValidationError({field: message})`; a `Form` puts each message
under the matching field, marks the field, and moves focus to the first one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TypeVar

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from therapy_desk.typed_dates import DateKind
from ui.widgets.date_field import DateField

W = TypeVar("W", bound=QWidget)


class ErrorLabel(QLabel):
    """A message under a field; hidden when there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.hide()

    def say(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))


class Form(QWidget):
    """A QFormLayout of labelled fields, each with its own error line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.banner = ErrorLabel(self)
        self.banner.setObjectName("formError")
        self.layout_.addRow(self.banner)
        self._fields: dict[str, tuple[QWidget, ErrorLabel]] = {}

    def add(self, key: str, label: str, widget: W, *, hint: str | None = None) -> W:
        holder = QWidget(self)
        # The holder takes the row's full width so a message under a narrow field
        # (a date) wraps across the row instead of being cut off.
        holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = ErrorLabel(holder)
        column.addWidget(error)
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        if hint:
            widget.setToolTip(hint)
            widget.setAccessibleDescription(hint)
        self.layout_.addRow(caption, holder)
        self._fields[key] = (widget, error)
        _when_edited(widget, lambda: self.clear_error(key))
        return widget

    def widget(self, key: str) -> QWidget:
        return self._fields[key][0]

    def error_text(self, key: str) -> str:
        """The message shown at a field ('' when none); what tests and screen readers read."""
        if key not in self._fields:
            return self.banner.text() if self.banner.isVisible() else ""
        error = self._fields[key][1]
        return error.text() if not error.isHidden() else ""

    def clear_error(self, key: str) -> None:
        """Take a field's message away: the input it was about has changed."""
        widget, error = self._fields[key]
        if error.isHidden():
            return
        error.say(None)
        widget.setProperty("invalid", False)
        _repolish(widget)

    def entry_problems(self) -> dict[str, str]:
        """Messages for fields whose text cannot be read (a date typed wrong): checked
        before anything is saved, so such a field is never saved as empty."""
        return {
            key: problem
            for key, (widget, _) in self._fields.items()
            if isinstance(widget, DateField)
            and widget.isEnabled()
            and (problem := widget.problem()) is not None
        }

    def clear_errors(self) -> None:
        self.banner.say(None)
        for widget, error in self._fields.values():
            error.say(None)
            widget.setProperty("invalid", False)
            _repolish(widget)

    def show_errors(self, errors: Mapping[str, str]) -> None:
        self.clear_errors()
        first: QWidget | None = None
        stray: list[str] = []
        for key, message in errors.items():
            if key in self._fields:
                widget, error = self._fields[key]
                error.say(message)
                widget.setProperty("invalid", True)
                widget.setAccessibleDescription(message)
                _repolish(widget)
                first = first or widget
            else:
                stray.append(message)
        self.banner.say("\n".join(stray) or None)
        if first is not None:
            first.setFocus()


def _when_edited(widget: QWidget, call: Callable[[], None]) -> None:
    """Call back when the user changes the field (or any input inside it)."""
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QDoubleSpinBox, QSpinBox

    for part in (widget, *widget.findChildren(QWidget)):
        if isinstance(part, QLineEdit):
            part.textEdited.connect(call)
        elif isinstance(part, QPlainTextEdit):
            part.textChanged.connect(call)
        elif isinstance(part, QComboBox):
            part.activated.connect(call)
        elif isinstance(part, QSpinBox | QDoubleSpinBox):
            part.valueChanged.connect(call)
        elif isinstance(part, QAbstractButton):
            part.clicked.connect(call)


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


# Small helpers that read optional values out of plain Qt widgets.


def text_box(height: int = 70, parent: QWidget | None = None) -> QPlainTextEdit:
    """A multi-line field that Tab leaves (a tab character is never what is meant)."""
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def text_or_none(widget: QLineEdit | QPlainTextEdit) -> str | None:
    value = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
    return value.strip() or None


def date_edit(
    *,
    optional: bool,
    kind: DateKind = DateKind.ANY,
    today: Callable[[], date] = date.today,
    earliest: date | None = None,
    latest: date | None = None,
    parent: QWidget | None = None,
) -> DateField:
    """A date field people type into, with a calendar; an optional one can be left empty.
    `kind=DateKind.BIRTH` reads two-digit years into the past and opens its calendar
    around 60 years back; `today` is the desk's today; `earliest`/`latest` bound it."""
    return DateField(
        optional=optional, kind=kind, today=today, earliest=earliest, latest=latest, parent=parent
    )


def date_value(field: DateField) -> date | None:
    """The date in a field, or None for an empty one (or one that cannot be read: saving
    checks `Form.entry_problems` first)."""
    return field.value()


def set_date(field: DateField, value: date | None) -> None:
    field.set_value(value)
