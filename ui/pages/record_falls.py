"""Falls: log a fall as the client tells it, see every fall logged, and the count per
month over the past year (a fall in the past year is the best predictor of the next)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from therapy_desk.domain import Fall
from therapy_desk.domain.vocabulary import DeviceKind
from therapy_desk.services.falls import FallDetails, falls_per_month, log_fall
from therapy_desk.services.record_view import ClientRecord
from ui.desk import Desk
from ui.forms import Form, date_edit, date_value, set_date, text_box, text_or_none
from ui.pages.record_tab import RecordTab
from ui.widgets.choices import EnumCombo

#: The falls table's columns, left to right.
COLUMNS = ("Date", "Where", "What happened", "Injury", "Action taken", "Device in use")
#: How the falls table shares its width after the date column: what happened gets most.
COLUMN_SHARES = (0, 2, 4, 2, 3, 3)
#: How many months the per-month count covers, this month included.
MONTHS_SHOWN = 12


def last_months(today: date, count: int = MONTHS_SHOWN) -> list[tuple[int, int]]:
    """(year, month) for the `count` months ending with today's, oldest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def month_name(year: int, month: int, *, long: bool = False) -> str:
    return f"{date(year, month, 1):%B %Y}" if long else f"{date(year, month, 1):%b}"


def falls_sentence(total: int) -> str:
    if total == 0:
        return "No falls in the past 12 months."
    noun = "fall" if total == 1 else "falls"
    return f"{total} {noun} in the past 12 months — a fall in the past year predicts more."


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


class MonthBars(QWidget):
    """Falls per month as bars, each with its count written above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts: list[tuple[int, int, int]] = []
        self.setAccessibleName("Falls per month")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_counts(self, counts: list[tuple[int, int, int]]) -> None:
        """(year, month, falls) for each month to draw, oldest first."""
        self._counts = counts
        words = ", ".join(f"{month_name(y, m, long=True)}: {n}" for y, m, n in counts)
        self.setAccessibleDescription(words)
        self.setToolTip(words.replace(", ", "\n"))
        self.update()

    def counts(self) -> list[tuple[int, int, int]]:
        return list(self._counts)

    def sizeHint(self) -> QSize:
        return QSize(480, self.fontMetrics().height() * 6)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.fontMetrics().height() * 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._counts:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        line = self.fontMetrics().height()
        top, bottom = line + 4, self.height() - line - 4
        slot = self.width() / len(self._counts)
        tallest = max(3, max(n for _, _, n in self._counts))
        painter.setPen(palette.mid().color())
        painter.drawLine(0, bottom, self.width(), bottom)
        for index, (year, month, falls) in enumerate(self._counts):
            left = index * slot
            height = (bottom - top) * falls / tallest
            bar = QRectF(left + slot * 0.2, bottom - height, slot * 0.6, height)
            if falls:
                painter.fillRect(bar, palette.highlight())
            painter.setPen(palette.windowText().color() if falls else palette.mid().color())
            count_box = QRectF(left, bar.top() - line - 2, slot, line)
            painter.drawText(count_box, Qt.AlignmentFlag.AlignCenter, str(falls))
            painter.setPen(palette.windowText().color())
            label_box = QRectF(left, bottom + 2, slot, line)
            painter.drawText(label_box, Qt.AlignmentFlag.AlignCenter, month_name(year, month))
        if self.hasFocus():
            painter.setPen(palette.highlight().color())
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class FallsTab(RecordTab):
    title = "&Falls"

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)

        self.form = Form(self)
        self.fell_on = date_edit(optional=False)
        self.fell_on.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.place = QLineEdit()
        self.place.setPlaceholderText("e.g. Bathroom, getting out of the shower")
        self.what_happened = text_box(72)
        self.what_happened.setPlaceholderText("e.g. Toe caught on the rug when tired")
        self.injury = text_box(48)
        self.injury.setPlaceholderText("e.g. Bruised left hip; none")
        self.action_taken = text_box(48)
        self.device_in_use = EnumCombo(DeviceKind, blank="None")
        self.device_in_use.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.form.add("fell_on", "Fell o&n:", self.fell_on)
        self.form.add("place", "W&here:", self.place)
        self.form.add("what_happened", "Wh&at happened:", self.what_happened)
        self.form.add("injury", "&Injury:", self.injury)
        self.form.add("action_taken", "Action ta&ken:", self.action_taken)
        self.form.add("device_in_use", "De&vice in use:", self.device_in_use)
        self.log_button = QPushButton("&Log fall", self)
        self.log_button.setAccessibleName("Log fall")
        self.log_button.clicked.connect(self.log)
        log_row = QHBoxLayout()
        log_row.addStretch(1)
        log_row.addWidget(self.log_button)
        entry = QGroupBox("Log a fall", self)
        entry_layout = QVBoxLayout(entry)
        entry_layout.addWidget(self.form)
        entry_layout.addLayout(log_row)
        entry_layout.addStretch(1)

        self.summary = QLabel(self)
        self.summary.setObjectName("sectionTitle")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Falls in the past year")
        self.bars_title = QLabel(self)
        self.bars = MonthBars(self)
        self.bars_title.setBuddy(self.bars)
        self.table_title = QLabel("Falls lo&gged", self)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setAccessibleName("Falls logged")
        self.table_title.setBuddy(self.table)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.viewport().installEventFilter(self)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addWidget(self.bars_title)
        right.addWidget(self.bars)
        right.addSpacing(6)
        right.addWidget(self.table_title)
        right.addWidget(self.table, 1)

        entry.setMaximumWidth(self.fontMetrics().averageCharWidth() * 56)
        layout = QHBoxLayout(self)
        layout.addWidget(entry, 2)
        layout.addLayout(right, 3)
        self._clear_form()

    # Showing the record

    def show_record(self, record: ClientRecord) -> None:
        if self.record is not None and self.record.client.id != record.client.id:
            self._clear_form()
        super().show_record(record)
        today = self.desk.today()
        falls = sorted(record.client.falls, key=lambda f: (f.fell_on, f.created_at), reverse=True)
        self._fill_table(falls)
        per_month = {
            (year, month): n
            for year, month, n in self.desk.read(falls_per_month, client_id=record.client.id)
        }
        months = last_months(today)
        counts = [(year, month, per_month.get((year, month), 0)) for year, month in months]
        self.bars.set_counts(counts)
        first, last = months[0], months[-1]
        self.bars_title.setText(
            f"Falls per month, {month_name(*first, long=True)} to {month_name(*last, long=True)}"
        )
        self.summary.setText(falls_sentence(sum(n for _, _, n in counts)))

    def _fill_table(self, falls: list[Fall]) -> None:
        self.table.setRowCount(len(falls))
        for row, fall in enumerate(falls):
            cells = (
                _day(fall.fell_on),
                fall.place or "",
                fall.what_happened or "",
                fall.injury or "",
                fall.action_taken or "",
                fall.device_in_use.label if fall.device_in_use else "None",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, fall.id)
                if text:
                    item.setToolTip(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """The date column fits a date; the others share the rest, text columns most."""
        metrics = self.table.fontMetrics()
        date_width = metrics.horizontalAdvance("28 Sep 2026") + 24
        spare = max(self.table.viewport().width() - date_width, 0)
        self.table.setColumnWidth(0, date_width)
        for column, share in enumerate(COLUMN_SHARES):
            if share:
                self.table.setColumnWidth(column, spare * share // sum(COLUMN_SHARES))
        self.table.resizeRowsToContents()

    # The inline form is a draft until logged.

    def details(self) -> FallDetails:
        fell_on = date_value(self.fell_on)
        assert fell_on is not None
        return FallDetails(
            fell_on=fell_on,
            place=text_or_none(self.place),
            what_happened=text_or_none(self.what_happened),
            injury=text_or_none(self.injury),
            action_taken=text_or_none(self.action_taken),
            device_in_use=self.device_in_use.value(),
        )

    def has_unsaved_changes(self) -> bool:
        details = self.details()
        return any(
            (
                details.place,
                details.what_happened,
                details.injury,
                details.action_taken,
                details.device_in_use,
            )
        )

    def save(self) -> bool:
        return self.log()

    def discard(self) -> None:
        self._clear_form()

    def log(self) -> bool:
        """Log the fall in the form: one service call; problems show at their field."""
        if self.record is None:
            return False
        saved = self.act(
            log_fall,
            changed="falls",
            form=self.form,
            client_id=self.client_id,
            details=self.details(),
            today=self.desk.today(),
        )
        if saved is None:
            return False
        self._clear_form()
        return True

    def _clear_form(self) -> None:
        set_date(self.fell_on, self.desk.today())
        for box in (self.place, self.what_happened, self.injury, self.action_taken):
            box.clear()
        self.device_in_use.setCurrentIndex(0)
        self.form.clear_errors()
