"""Falls: log a fall as the client tells it, see every fall logged, and the count per
month over the past year (a fall in the past year is the best predictor of the next).
A fall logged wrong is corrected or struck out with a reason; the earlier entry stays
in the history."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QEvent, QObject, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QFont, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.domain import Fall
from therapy_desk.domain.vocabulary import DeviceKind
from therapy_desk.services.falls import (
    FallDetails,
    FallRow,
    fall_rows,
    falls_per_month,
    log_fall,
    strike_out_fall,
)
from therapy_desk.services.record_view import ClientRecord
from ui.desk import Changes, Desk
from ui.dialogs.correct_record import CorrectFallDialog, StrikeOutDialog
from ui.forms import Form, date_edit, date_value, set_date, text_box, text_or_none
from ui.pages.record_tab import RecordTab
from ui.widgets.choices import EnumCombo
from ui.widgets.correction_bar import CorrectionBar

#: The falls table's columns, left to right.
COLUMNS = ("Date", "Where", "What happened", "Injury", "Action taken", "Device in use", "History")
#: How the falls table shares its width after the date column: what happened gets most.
COLUMN_SHARES = (0, 2, 4, 2, 3, 3, 3)
#: Narrower than this many average characters, the month counts go under the form.
SIDE_BY_SIDE_CHARS = 100
#: The narrowest a text column gets, in average characters: room for a word or two, so a
#: cell never shrinks to "B… g… up at ni…" (the table scrolls sideways instead).
MIN_COLUMN_CHARS = 10
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
    first = date(year, month, 1)
    return words.month_year(first, long=True) if long else words.month(first)


def falls_sentence(total: int) -> str:
    if total == 0:
        return "No falls in the past 12 months."
    falls = words.count(total, "fall")
    return f"{falls} in the past 12 months — a fall in the past year predicts more."


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
        said = ", ".join(f"{month_name(y, m, long=True)}: {n}" for y, m, n in counts)
        self.setAccessibleDescription(said)
        self.setToolTip(said.replace(", ", "\n"))
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
        self.fell_on = date_edit(optional=False, today=desk.today)
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
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setMinimumHeight(self.fontMetrics().height() * 10)
        self.table.viewport().installEventFilter(self)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.itemSelectionChanged.connect(self._fall_chosen)
        self.table.itemDoubleClicked.connect(lambda *_: self.correct())
        self.corrections = CorrectionBar(
            self,
            what="fall",
            things="falls",
            made_in_error="logged in error",
            strike_text="Strike &out…",
            show_text="Show co&rrections",
            history_name="History of the chosen fall",
            correct=self.correct,
            strike_out=self.strike_out,
            show_changed=self._refill,
        )
        self.correct_button = self.corrections.correct_button
        self.strike_button = self.corrections.strike_button
        self.show_history = self.corrections.show_history
        self.history_text = self.corrections.history_text
        self.rows: list[FallRow] = []
        self.by_id: dict[uuid.UUID, Fall] = {}
        actions = QHBoxLayout()
        actions.addWidget(self.table_title)
        actions.addStretch(1)
        actions.addWidget(self.corrections)
        right_widget = QWidget(self)
        right = QVBoxLayout(right_widget)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.summary)
        right.addWidget(self.bars_title)
        right.addWidget(self.bars)
        right.addStretch(1)

        entry.setMaximumWidth(self.fontMetrics().averageCharWidth() * 62)
        # The page scrolls when the screen is short (1280×720 with larger text).
        page = QWidget(self)
        self.columns = columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        columns.addWidget(entry, 2)
        columns.addWidget(right_widget, 3)
        # Below both, the falls logged across the tab's whole width: room for every column.
        whole = QVBoxLayout(page)
        whole.addLayout(columns)
        whole.addSpacing(6)
        whole.addLayout(actions)
        whole.addWidget(self.table, 1)
        whole.addWidget(self.history_text)
        self.page_scroll = QScrollArea(self)
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.page_scroll.setWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.page_scroll)
        self._clear_form()
        self._fall_chosen()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        """The form beside the month counts when there is room; above them when the text
        is large for the width (larger text at 1280x720), so neither is cut off."""
        super().resizeEvent(event)
        wide = self.width() >= self.fontMetrics().averageCharWidth() * SIDE_BY_SIDE_CHARS
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)

    # Showing the record

    def show_record(self, record: ClientRecord) -> None:
        if self.record is not None and self.record.client.id != record.client.id:
            self._clear_form()
        super().show_record(record)
        today = self.desk.today()
        self.by_id = {f.id: f for f in record.client.falls}
        self.rows = fall_rows(record.client.falls)
        self._refill()
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

    def _refill(self) -> None:
        """The falls logged, newest first; with "Show corrections", the history rows too."""
        shown = [r for r in self.rows if r.current or self.show_history.isChecked()]
        self._fill_table(shown)

    def _fill_table(self, falls: list[FallRow]) -> None:
        self.table.setRowCount(len(falls))
        grey = QBrush(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        struck = QFont(self.table.font())
        struck.setStrikeOut(True)
        for row, fall in enumerate(falls):
            history = "; ".join(fall.history)
            cells = (
                words.day(fall.fell_on),
                fall.place,
                fall.what_happened,
                fall.injury,
                fall.action_taken,
                fall.device,
                history,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, fall.id)
                if text:
                    item.setToolTip(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                if not fall.current:
                    item.setForeground(grey)
                    if column < len(cells) - 1:
                        item.setFont(struck)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self._fall_chosen()

    # The chosen fall: correct it or strike it out

    def chosen(self) -> Fall | None:
        """The current fall chosen in the table, if any."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        fall = self.by_id.get(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
        return fall if fall is not None and fall.is_current else None

    def _fall_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        history = self.table.item(rows[0].row(), len(COLUMNS) - 1) if rows else None
        self.corrections.show_chosen(
            can_change=self.chosen() is not None,
            history=history.text() if history is not None else "",
        )

    def _table_menu(self, where: QPoint) -> None:
        index = self.table.indexAt(where)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        self.corrections.offer_menu(self.table, where, can_change=self.chosen() is not None)

    def correct_dialog(self) -> CorrectFallDialog | None:
        fall = self.chosen()
        if fall is None:
            return None
        return CorrectFallDialog(self.desk, fall=fall, client_id=self.client_id, parent=self)

    def correct(self) -> None:
        dialog = self.correct_dialog()
        if dialog is not None:
            dialog.exec()

    def strike_dialog(self) -> StrikeOutDialog | None:
        fall = self.chosen()
        if fall is None:
            return None
        where = f" — {fall.place}" if fall.place else ""
        return StrikeOutDialog(
            self.desk,
            title="Strike out a fall",
            describing=f"The fall on {words.day(fall.fell_on)}{where}.",
            action=strike_out_fall,
            changes=Changes(self.client_id, "falls"),
            parent=self,
            fall_id=fall.id,
            expected_version=fall.version,
        )

    def strike_out(self) -> None:
        dialog = self.strike_dialog()
        if dialog is not None:
            dialog.exec()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """The date column fits a date; the others share the rest, text columns most, none
        narrower than its header or a word or two (then the table scrolls sideways)."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader().fontMetrics()
        date_width = max(metrics.horizontalAdvance("28 Sep 2026"), header.horizontalAdvance("Date"))
        self.table.setColumnWidth(0, date_width + 24)
        spare = max(self.table.viewport().width() - date_width - 24, 0)
        for column, share in enumerate(COLUMN_SHARES):
            if share:
                least = max(
                    header.horizontalAdvance(COLUMNS[column]) + 24,
                    metrics.averageCharWidth() * MIN_COLUMN_CHARS,
                )
                self.table.setColumnWidth(column, max(spare * share // sum(COLUMN_SHARES), least))
        self.table.resizeRowsToContents()

    # The inline form is a draft until logged.

    def details(self) -> FallDetails:
        # A date that cannot be read stops the save at the field first (Form.entry_problems).
        fell_on = date_value(self.fell_on) or self.desk.today()
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
