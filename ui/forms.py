"""Forms whose validation messages appear at the field they are about.

Services raise `ValidationError({field: message})`; a `Form` puts each message
under the matching field, marks the field, and moves focus to the first one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

#: Date fields show this when left empty (QDateEdit's minimum date means "not set").
NO_DATE = QDate(1900, 1, 1)


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

    def add(self, key: str, label: str, widget: QWidget, *, hint: str | None = None) -> QWidget:
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
        return widget

    def widget(self, key: str) -> QWidget:
        return self._fields[key][0]

    def error_text(self, key: str) -> str:
        """The message shown at a field ('' when none); what tests and screen readers read."""
        if key not in self._fields:
            return self.banner.text() if self.banner.isVisible() else ""
        error = self._fields[key][1]
        return error.text() if not error.isHidden() else ""

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


def date_edit(*, optional: bool, parent: QWidget | None = None) -> QDateEdit:
    """A calendar-popup date field; an optional one can be left empty."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    if optional:
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("Not set")
        edit.setDate(NO_DATE)
    return edit


def date_value(edit: QDateEdit) -> date | None:
    """The date in an edit, or None for an optional one left 'Not set'."""
    value = edit.date()
    if edit.specialValueText() and value == edit.minimumDate():
        return None
    result = value.toPython()
    assert isinstance(result, date)
    return result


def set_date(edit: QDateEdit, value: date | None) -> None:
    if value is None:
        edit.setDate(edit.minimumDate())
    else:
        edit.setDate(QDate(value.year, value.month, value.day))
