"""The caseload table: plain rows, filtered and sorted in Python (a proxy would call
`data()` per comparison; see PERFORMANCE-NOTES)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from therapy_desk.services.caseload import CaseloadFilter, CaseloadRow, matches

#: The role that carries a row's client id.
CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


def _devices(row: CaseloadRow) -> str:
    return ", ".join(kind.label for kind in row.devices)


def _follow_up(row: CaseloadRow) -> str:
    return f"{row.next_follow_up:%d %b %Y}" if row.next_follow_up else ""


#: (header, text shown, sort key) per column.
COLUMNS: tuple[tuple[str, Callable[[CaseloadRow], str], Callable[[CaseloadRow], Any]], ...] = (
    ("Name", lambda r: r.name, lambda r: (r.name.casefold(), r.reference)),
    ("Reference", lambda r: r.reference, lambda r: r.reference.casefold()),
    ("MS course", lambda r: r.ms_course.label, lambda r: r.ms_course.label),
    (
        "Main weakness",
        lambda r: r.main_weakness or "",
        lambda r: (r.main_weakness is None, r.main_weakness or ""),
    ),
    (
        "Next follow-up",
        _follow_up,
        lambda r: (r.next_follow_up is None, r.next_follow_up or date.min),
    ),
    ("Devices", _devices, lambda r: (len(r.devices), _devices(r))),
    ("Advisories", lambda r: str(r.advisories) if r.advisories else "", lambda r: r.advisories),
)
NAME, REFERENCE, COURSE, WEAKNESS, FOLLOW_UP, DEVICES, ADVISORIES = range(len(COLUMNS))


class CaseloadTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[CaseloadRow] = []
        self._shown: list[CaseloadRow] = []
        self._filter = CaseloadFilter()
        self._today = date.today()
        self._sort: tuple[int, Qt.SortOrder] = (NAME, Qt.SortOrder.AscendingOrder)

    # Qt model interface

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._shown)):
            return None
        row = self._shown[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return COLUMNS[column][1](row)
        if role == CLIENT_ID_ROLE:
            return str(row.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == ADVISORIES and row.advisories:
                return f"{row.advisories} open advisories: open the record to read them"
            if column == FOLLOW_UP and row.next_follow_up and row.next_follow_up < self._today:
                return "Follow-up is overdue"
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ADVISORIES:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][0]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._order(self._shown)
        self.layoutChanged.emit()

    # Our interface

    def set_rows(self, rows: Sequence[CaseloadRow], *, today: date) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._today = today
        self._shown = self._apply()
        self.endResetModel()

    def set_filter(self, filters: CaseloadFilter) -> None:
        if filters == self._filter:
            return
        self.beginResetModel()
        self._filter = filters
        self._shown = self._apply()
        self.endResetModel()

    def set_search(self, text: str) -> None:
        self.set_filter(replace(self._filter, search=text))

    @property
    def filters(self) -> CaseloadFilter:
        return self._filter

    def total(self) -> int:
        return len(self._all)

    def row_at(self, row: int) -> CaseloadRow:
        return self._shown[row]

    def row_of(self, client_id: uuid.UUID) -> int | None:
        for number, row in enumerate(self._shown):
            if row.id == client_id:
                return number
        return None

    def _apply(self) -> list[CaseloadRow]:
        shown = [r for r in self._all if matches(r, self._filter)]
        self._order(shown)
        return shown

    def _order(self, rows: list[CaseloadRow]) -> None:
        column, order = self._sort
        rows.sort(key=COLUMNS[column][2], reverse=order == Qt.SortOrder.DescendingOrder)
