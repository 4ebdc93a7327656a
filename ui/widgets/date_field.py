"""A date field people type into: "14/3/1968", "14 Mar 1968", "1968-03-14", "today".

What is typed is read by the core (`therapy_desk.typed_dates`) as it is typed, and the
label beside the field says what was understood ("Thu 14 Mar 1968") or what is wrong.
Leaving the field writes a readable date back the way every screen shows it
(`words.day`). An optional field left empty means "not set"; a required one says so.
The calendar button (or Alt+Down, or F4) opens a calendar at the date in the field, or at
today — a date of birth around 60 years back. Up and Down step a day.

`value()` is the date in the field now, or None when it is empty or cannot be read;
`problem()` says why it cannot. Saving checks `problem()` first (`Form.entry_problems`),
so a date that cannot be read is never saved as "not set".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import (
    QDate,
    QDynamicPropertyChangeEvent,
    QEvent,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.typed_dates import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    DateKind,
    TypedDate,
    numeric,
    read_date,
)
from ui.widgets.text_lines import wrap_words

#: How far back a date-of-birth calendar opens when the field is empty.
BIRTH_YEARS_BACK = 60
#: What the label beside an empty optional field says.
NOT_SET = "Not set"


class DateField(QWidget):
    """A line to type a date in, a calendar button, and what was understood beside them."""

    #: The date the field holds changed (a date, or None when emptied or unreadable): on
    #: leaving the field, on a pick from the calendar, and when the program sets it.
    dateChanged = Signal(object)

    def __init__(
        self,
        *,
        optional: bool,
        kind: DateKind = DateKind.ANY,
        today: Callable[[], date] = date.today,
        earliest: date | None = None,
        latest: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        self.kind = kind
        self._today = today
        self.earliest = earliest
        self.latest = latest
        self._committed: date | None = None
        #: The text is as the program or the last commit left it, not yet edited.
        self._pristine = True
        self._calendar: QCalendarWidget | None = None

        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(f"e.g. {numeric(date(1968, 3, 14), words.numeric_order())}")
        self.edit.setMaxLength(40)
        width = self.edit.fontMetrics().horizontalAdvance("28 Sept 2026")
        self.edit.setMinimumWidth(width + 24)
        self.edit.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip("Choose from a calendar (Alt+Down)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)
        # Beside the field: the date as read, short enough never to wrap. Under it, across
        # the row: what is wrong, which needs the room.
        self.reading_label = QLabel(self)
        self.reading_label.setObjectName("dateReading")
        self.reading_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("fieldError")
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.problem_label.hide()
        self._problem = ""
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.edit)
        row.addWidget(self.button)
        row.addSpacing(4)
        row.addWidget(self.reading_label, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.problem_label)
        self.setFocusProxy(self.edit)
        self.edit.installEventFilter(self)
        self.edit.textChanged.connect(self._show_reading)
        self.edit.editingFinished.connect(self.commit)
        self.edit.textEdited.connect(self._edited)
        self.setAccessibleName("Date")
        self._show_reading()

    # --- what the field holds ------------------------------------------------------------

    def typed(self) -> TypedDate:
        """What the text in the field reads as now."""
        return read_date(
            self.edit.text(),
            today=self._today(),
            kind=self.kind,
            required=not self.optional,
            earliest=self.earliest,
            latest=self.latest,
        )

    def value(self) -> date | None:
        """The date typed, or None (empty, or not a date: see `problem`)."""
        return self.typed().value

    def problem(self) -> str | None:
        """Why the text is not a date this field takes; None when it is (or may be empty)."""
        return self.typed().problem

    def set_value(self, value: date | None) -> None:
        """Show `value` (None empties the field); dateChanged when it differs."""
        self.edit.setText(words.day(value) if value is not None else "")
        self.commit()

    def clear(self) -> None:
        self.set_value(None)

    def set_range(self, earliest: date | None, latest: date | None) -> None:
        """The dates the field takes; others get a message saying which to type."""
        self.earliest, self.latest = earliest, latest
        self._show_reading()

    def _edited(self) -> None:
        self._pristine = False

    def commit(self) -> None:
        """Write a readable date back as the screens show it; tell listeners of a change."""
        self._pristine = True
        reading = self.typed()
        if reading.value is not None:
            shown = words.day(reading.value)
            if self.edit.text() != shown:
                self.edit.setText(shown)
        if reading.value != self._committed:
            # None also when the text cannot be read: the field holds no date then.
            self._committed = reading.value
            self.dateChanged.emit(reading.value)

    def _show_reading(self) -> None:
        reading = self.typed()
        if reading.value is not None:
            self.reading_label.setText(words.day_with_weekday(reading.value))
        else:
            self.reading_label.setText(NOT_SET if reading.problem is None else "")
        # Once the form shows the message under the field, once is enough.
        problem = None if self.property("invalid") else reading.problem
        self._problem = problem or ""
        self.problem_label.setVisible(problem is not None)
        self._wrap_problem()

    def _wrap_problem(self) -> None:
        """Break the message into lines that fit the field's width. Done here, not by the
        label's word wrap: a window does not grow for a label's height-for-width, and a
        message that wraps itself would be cut off in a dialog sized before it came."""
        lines = wrap_words(self._problem, self.problem_label.fontMetrics(), max(self.width(), 120))
        text = "\n".join(lines)
        if text != self.problem_label.text():
            self.problem_label.setText(text)
            self.problem_label.setToolTip(self._problem)
            QTimer.singleShot(0, self, self._grow_dialog)

    def _grow_dialog(self) -> None:
        """A dialog grows to show the message; it never shrinks under the user."""
        dialog = self.window()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            return
        layout = dialog.layout()
        if layout is not None:
            layout.activate()
        wanted = dialog.sizeHint().height()
        if wanted > dialog.height():
            dialog.resize(dialog.width(), wanted)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._wrap_problem()

    # --- the calendar --------------------------------------------------------------------

    def calendar(self) -> QCalendarWidget:
        """The calendar popup (made on first use)."""
        if self._calendar is None:
            # A framed popup, so the calendar stands out from the form behind it.
            popup = QFrame(self, Qt.WindowType.Popup)
            popup.setFrameShape(QFrame.Shape.Box)
            popup.setLineWidth(1)
            calendar = QCalendarWidget(popup)
            frame = QVBoxLayout(popup)
            frame.setContentsMargins(1, 1, 1, 1)
            frame.addWidget(calendar)
            calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
            calendar.setAccessibleName(f"{self.accessibleName()}: calendar")
            calendar.activated.connect(self._picked)
            calendar.clicked.connect(self._picked)
            self._calendar = calendar
        return self._calendar

    def calendar_start(self) -> date:
        """Where the calendar opens: the date in the field, else today (or, for a date of
        birth, around 60 years back), inside the field's range."""
        today = self._today()
        start = self.value()
        if start is None:
            start = _years_before(today, BIRTH_YEARS_BACK) if self.kind is DateKind.BIRTH else today
        if self.earliest is not None:
            start = max(start, self.earliest)
        if self.latest is not None:
            start = min(start, self.latest)
        return start

    def open_calendar(self) -> None:
        if not self.isEnabled():
            return
        calendar = self.calendar()
        low = self.earliest or date(EARLIEST_YEAR, 1, 1)
        high = self.latest or (self._today() if self.kind is DateKind.BIRTH else None)
        calendar.setDateRange(_qdate(low), _qdate(high or date(LATEST_YEAR, 12, 31)))
        calendar.setSelectedDate(_qdate(self.calendar_start()))
        popup = calendar.window()
        popup.adjustSize()
        popup.move(self._calendar_position(popup))
        popup.show()
        calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def close_calendar(self) -> None:
        if self._calendar is not None:
            self._calendar.window().hide()

    def _calendar_position(self, calendar: QWidget) -> QPoint:
        below = self.edit.mapToGlobal(QPoint(0, self.edit.height()))
        screen = self.screen().availableGeometry()
        x = min(below.x(), screen.right() - calendar.width())
        y = below.y()
        if y + calendar.height() > screen.bottom():
            y = self.edit.mapToGlobal(QPoint(0, 0)).y() - calendar.height()
        return QPoint(max(x, screen.left()), max(y, screen.top()))

    def _picked(self, picked: QDate) -> None:
        value = picked.toPython()
        assert isinstance(value, date)
        self.close_calendar()
        self.set_value(value)
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

    # --- keys and focus ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit:
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self._key(event)
            # Typing over a date replaces it whole, never splices into it: coming into
            # the field, or clicking in it before it has been edited, selects it all.
            if event.type() == QEvent.Type.FocusIn or (
                event.type() == QEvent.Type.MouseButtonRelease
                and self._pristine
                and not self.edit.hasSelectedText()
            ):
                QTimer.singleShot(0, self.edit, self.edit.selectAll)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key, modifiers = event.key(), event.modifiers()
        alt = modifiers & Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and alt):
            self.open_calendar()
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not modifiers:
            start = self.value() or self._today()
            self.set_value(
                date.fromordinal(start.toordinal() + (1 if key == Qt.Key.Key_Up else -1))
            )
            self.edit.selectAll()
            return True
        return False

    def event(self, event: QEvent) -> bool:
        # Form marks a field it has a message for with the "invalid" property; the line is
        # what shows it.
        if (
            event.type() == QEvent.Type.DynamicPropertyChange
            and isinstance(event, QDynamicPropertyChangeEvent)
            and bytes(event.propertyName().data()) == b"invalid"
        ):
            self.edit.setProperty("invalid", self.property("invalid"))
            _repolish(self.edit)
            self._show_reading()
        return super().event(event)

    # --- names for screen readers --------------------------------------------------------

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)
        self.button.setAccessibleName(f"{name}: choose from a calendar")
        self.reading_label.setAccessibleName(f"{name}: as read")
        self.problem_label.setAccessibleName(f"{name}: what is wrong")
        if self._calendar is not None:
            self._calendar.setAccessibleName(f"{name}: calendar")

    def setAccessibleDescription(self, description: str) -> None:
        super().setAccessibleDescription(description)
        self.edit.setAccessibleDescription(description)

    def setToolTip(self, tip: str) -> None:
        super().setToolTip(tip)
        self.edit.setToolTip(tip)


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
