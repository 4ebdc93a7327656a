"""The caseload panel: search as you type, filters, sortable columns.

All clients are read off the GUI thread; searching and filtering then run in Python
over the plain rows, so typing never waits for the database. At start-up the panel
paints the first screenful it is handed, then reads everyone, then counts advisories
(the slow part: the guidance rules run over every record). After a save only that
client's row is read again.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.domain.vocabulary import Cause, ClientStatus, MSCourse, Region
from therapy_desk.services.caseload import (
    CaseloadRow,
    caseload_rows,
    client_row,
    count_advisories,
)
from ui.background import Background
from ui.desk import Changes, Desk
from ui.models.caseload import HEADER_LABELS, NAME, CaseloadTableModel
from ui.widgets.choices import EnumCombo
from ui.widgets.columns import fit_columns, label_columns, refit_later

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

_settled = False


def _settle_memory() -> None:
    """Once the whole caseload is in, take what exists so far out of the cycle
    collector's sight (once per run).

    The libraries and every client's row live as long as the window, and a full
    collection walked them all: about 100 ms at 5,000 clients, a stall when it fell
    on opening a record. Frozen, a collection looks only at what was made since. Frozen
    objects are still freed by reference counting when let go (the rows hold no cycles;
    the full collections here never found any garbage among them)."""
    global _settled
    if not _settled:
        _settled = True
        gc.freeze()


#: Name, reference, course, main weakness, follow-up, devices, advisories.
CASELOAD_COLUMN_CHARACTERS = (24, 10, 20, 30, 13, 22, 9)


class CaseloadTable(QTableView):
    """The caseload's table, which can say when it has painted: watching its viewport
    instead would cost start-up several milliseconds (PySide works out the viewport's
    Python type on first use)."""

    #: The rows asked about are on screen.
    rows_painted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._waiting = False

    def tell_when_painted(self) -> None:
        self._waiting = True

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._waiting:
            self._waiting = False
            # Emitted once this paint is done, so whoever listens sees it on screen.
            QTimer.singleShot(0, self.rows_painted.emit)


class CaseloadPanel(QWidget):
    client_chosen = Signal(object)  # uuid.UUID
    #: Every client's row is in (advisories may still be being counted).
    loaded = Signal()
    #: Every client's advisories are counted.
    counted = Signal()
    #: The table has painted rows for the first time (once).
    painted = Signal()
    failed = Signal(str)

    def __init__(self, desk: Desk, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.background = background
        self.model = CaseloadTableModel(self)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search by name or reference")
        self.search.setAccessibleName("Search clients")
        self.search.textChanged.connect(self.model.set_search)
        self.search.textChanged.connect(self._count)
        self.search.returnPressed.connect(self._open_first)

        self.status = EnumCombo(ClientStatus, blank="All clients", parent=self)
        self.status.setItemText(1, "Active")
        self.status.setItemText(2, "Discharged")
        self.status.set_value(ClientStatus.ACTIVE)
        self.course = EnumCombo(MSCourse, blank="Any MS course", parent=self)
        self.region = EnumCombo(Region, blank="Any region", parent=self)
        self.cause = EnumCombo(Cause, blank="Any source", parent=self)
        self.due = QCheckBox("Follow-up due this week", self)
        self.overdue = QCheckBox("Overdue trials", self)
        self.advisories = QCheckBox("Has advisories", self)
        for combo, name in (
            (self.status, "Status filter"),
            (self.course, "MS course filter"),
            (self.region, "Region filter"),
            (self.cause, "Source of weakness filter"),
        ):
            combo.setAccessibleName(name)
            combo.currentIndexChanged.connect(self._refilter)
        for box in (self.due, self.overdue, self.advisories):
            box.toggled.connect(self._refilter)

        filters = QGridLayout()
        filters.addWidget(self.status, 0, 0)
        filters.addWidget(self.course, 0, 1)
        filters.addWidget(self.region, 1, 0)
        filters.addWidget(self.cause, 1, 1)
        filters.addWidget(self.due, 2, 0)
        filters.addWidget(self.overdue, 2, 1)
        filters.addWidget(self.advisories, 3, 0)

        self.table = CaseloadTable(self)
        self.table.setAccessibleName("Caseload")
        self.table.setModel(self.model)
        label_columns(self.table, HEADER_LABELS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        fit_columns(self.table, CASELOAD_COLUMN_CHARACTERS, HEADER_LABELS)
        self.table.activated.connect(self._activated)
        self.table.rows_painted.connect(self.painted)
        self._rows_arrived = False
        #: Clients in all while only the first screenful is shown (None: all are shown).
        self._reading_total: int | None = None

        self.count = QLabel(self)
        self.count.setAccessibleName("Clients shown")
        #: Stands in for the table when search or the filters leave no client to show.
        self.empty = QLabel(self)
        self.empty.setAccessibleName("No clients shown")
        self.empty.setWordWrap(True)
        self.empty.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.count)

        desk.changed.connect(self._on_changed)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            refit_later(self.table, CASELOAD_COLUMN_CHARACTERS)
            self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

    def finish(self) -> None:
        """What can wait until the first rows are on screen."""
        # Its icon costs a few milliseconds, and it only shows once there is text.
        self.search.setClearButtonEnabled(True)
        # Sorting names PySide's `Qt` namespace, which costs 12 ms to build. The order
        # restored with the window's layout wins; the rows so far are in name order.
        header = self.table.horizontalHeader()
        if not header.isSortIndicatorShown():
            header.setSortIndicator(NAME, QtCore.Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

    def show_first(self, rows: list[CaseloadRow], *, total: int) -> None:
        """Paint the first clients now; `reload` brings the rest."""
        self._reading_total = total if total > len(rows) else None
        self.model.set_rows(rows, today=self.desk.today())
        self._count()
        self._expect_paint()

    def reload(self) -> None:
        """Read every client's row off the GUI thread, then count their advisories; the
        table keeps showing the old rows meanwhile."""
        today = self.desk.today()
        self.count.setText(self.count.text() or "Reading the caseload…")
        self.background.run(
            "caseload",
            lambda: self.desk.read(caseload_rows, today=today),
            self._show,
            lambda error: self.failed.emit(f"The caseload could not be read: {error}"),
            doing="reading the caseload",
        )

    def _show(self, rows: list[CaseloadRow]) -> None:
        self._reading_total = None
        self._keep_selection(lambda: self.model.set_rows(rows, today=self.desk.today()))
        self._expect_paint()
        self.loaded.emit()
        today = self.desk.today()
        self.background.run(
            "advisories",
            lambda: self.desk.read(count_advisories, client_ids=None, today=today),
            self._show_advisories,
            lambda error: self.failed.emit(f"Advisories could not be counted: {error}"),
            doing="counting the caseload's advisories",
        )

    def _expect_paint(self) -> None:
        if not self._rows_arrived:
            self._rows_arrived = True
            self.table.tell_when_painted()

    def _show_advisories(self, counts: dict[uuid.UUID, int]) -> None:
        self._keep_selection(lambda: self.model.set_advisories(counts))
        _settle_memory()
        self.counted.emit()

    def refresh_client(self, client_id: uuid.UUID) -> None:
        """Read one client's row again after a change to their record."""
        today = self.desk.today()
        self.background.run(
            f"caseload-row-{client_id}",
            lambda: self.desk.read(client_row, client_id=client_id, today=today),
            lambda row: self._keep_selection(lambda: self.model.put_row(client_id, row)),
            lambda error: self.failed.emit(f"The caseload could not be read: {error}"),
            doing="reading the caseload",
        )

    def _keep_selection(self, change: Callable[[], None]) -> None:
        selected = self.selected_client()
        change()
        if selected is not None and selected != self.selected_client():
            self.select(selected)
        self._count()

    def selected_client(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(rows[0].row()).id

    def select(self, client_id: uuid.UUID) -> None:
        row = self.model.row_of(client_id)
        if row is not None:
            self.table.selectRow(row)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _refilter(self) -> None:
        today = self.desk.today()
        filters = replace(
            self.model.filters,
            status=self.status.value(),
            course=self.course.value(),
            region=self.region.value(),
            cause=self.cause.value(),
            due_by=today + timedelta(days=7) if self.due.isChecked() else None,
            overdue_trials=self.overdue.isChecked(),
            has_advisories=self.advisories.isChecked(),
        )
        self.model.set_filter(filters)
        self._count()

    def _count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        self._say_when_empty(shown, total)
        if self._reading_total is not None:
            self.count.setText(
                f"Showing the first {words.number(total)} of "
                f"{words.count(self._reading_total, 'client')}; reading the rest…"
            )
            return
        everyone = words.count(total, "client")
        text = everyone if shown == total else f"{words.number(shown)} of {everyone} shown"
        if total and not self.model.counted():
            text += " · counting advisories…"
        self.count.setText(text)

    def _say_when_empty(self, shown: int, total: int) -> None:
        """Put a sentence in the table's place when there are clients but none pass, so an
        empty search result does not look like an empty clinic."""
        nothing = total > 0 and shown == 0
        if nothing:
            # Aligned here, not at start-up: naming `Qt` costs 12 ms before the first paint.
            self.empty.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            typed = self.search.text().strip()
            self.empty.setText(
                f"No client matches “{typed}”" if typed else "No client matches these filters"
            )
        if nothing == self.empty.isHidden():
            self.table.setVisible(not nothing)
            self.empty.setVisible(nothing)

    def _activated(self, index: QModelIndex) -> None:
        self.client_chosen.emit(self.model.row_at(index.row()).id)

    def _open_first(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(0)
            self.client_chosen.emit(self.model.row_at(0).id)

    def _on_changed(self, changes: Changes) -> None:
        if changes.client_id is None:
            self.reload()
        else:
            self.refresh_client(changes.client_id)
