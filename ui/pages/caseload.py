"""The caseload panel: search as you type, filters, sortable columns.

All clients are read once off the GUI thread; searching and filtering then run in
Python over the plain rows, so typing never waits for the database.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
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

from therapy_desk.domain.vocabulary import Cause, ClientStatus, MSCourse, Region
from therapy_desk.services.caseload import CaseloadFilter, CaseloadRow, list_caseload
from ui.background import Background
from ui.desk import Changes, Desk
from ui.models.caseload import NAME, CaseloadTableModel
from ui.widgets.choices import EnumCombo
from ui.widgets.columns import fit_columns, refit_later

#: Name, reference, course, main weakness, follow-up, devices, advisories.
CASELOAD_COLUMN_CHARACTERS = (24, 10, 20, 30, 13, 22, 9)


class CaseloadPanel(QWidget):
    client_chosen = Signal(object)  # uuid.UUID
    loaded = Signal()
    failed = Signal(str)

    def __init__(self, desk: Desk, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.background = background
        self.model = CaseloadTableModel(self)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search by name or reference")
        self.search.setClearButtonEnabled(True)
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

        self.table = QTableView(self)
        self.table.setAccessibleName("Caseload")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
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
        fit_columns(self.table, CASELOAD_COLUMN_CHARACTERS)
        self.table.activated.connect(self._activated)

        self.count = QLabel(self)
        self.count.setAccessibleName("Clients shown")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        desk.changed.connect(self._on_changed)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            refit_later(self.table, CASELOAD_COLUMN_CHARACTERS)
            self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

    def reload(self) -> None:
        """Read every client's row off the GUI thread; the table keeps showing the old rows."""
        today = self.desk.today()
        self.count.setText(self.count.text() or "Loading the caseload…")
        self.background.run(
            "caseload",
            lambda: self.desk.read(list_caseload, filters=CaseloadFilter(status=None), today=today),
            lambda rows: self._show(rows),
            lambda error: self.failed.emit(f"The caseload could not be read: {error}"),
        )

    def _show(self, rows: list[CaseloadRow]) -> None:
        selected = self.selected_client()
        self.model.set_rows(rows, today=self.desk.today())
        if selected is not None:
            self.select(selected)
        self._count()
        self.loaded.emit()

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
        noun = "client" if total == 1 else "clients"
        self.count.setText(
            f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun} shown"
        )

    def _activated(self, index: QModelIndex) -> None:
        self.client_chosen.emit(self.model.row_at(index.row()).id)

    def _open_first(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(0)
            self.client_chosen.emit(self.model.row_at(0).id)

    def _on_changed(self, changes: Changes) -> None:
        self.reload()
