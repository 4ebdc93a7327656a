"""The caseload table: plain rows, filtered and sorted in Python (a proxy would call
`data()` per comparison; see docs/performance.md)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

from therapy_desk import words
from therapy_desk.services.caseload import CaseloadFilter, CaseloadRow, matches
from therapy_desk.services.search_text import haystack, needle

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

# Qt's item data roles, and the alignment this model answers with, as the numbers Qt
# fixes them at (Qt::ItemDataRole, Qt::AlignCenter). Naming them through PySide's `Qt`
# namespace would build all of its enums (12 ms) before the caseload's first paint;
# tests/ui/test_caseload_model.py checks these against Qt's own.
DISPLAY_ROLE = 0
TOOL_TIP_ROLE = 3
TEXT_ALIGNMENT_ROLE = 7
ACCESSIBLE_TEXT_ROLE = 11
ALIGN_CENTER = 0x84
#: The role that carries a row's client id (Qt::UserRole + 1).
CLIENT_ID_ROLE = 0x100 + 1

_Index = QModelIndex | QPersistentModelIndex


def _devices(row: CaseloadRow) -> str:
    return ", ".join(kind.label for kind in row.devices)


def _follow_up(row: CaseloadRow) -> str:
    return words.day_or(row.next_follow_up, "")


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
    (
        "Advisories",
        lambda r: str(r.advisories) if r.advisories else "",
        lambda r: r.advisories or 0,
    ),
)
NAME, REFERENCE, COURSE, WEAKNESS, FOLLOW_UP, DEVICES, ADVISORIES = range(len(COLUMNS))
HEADER_LABELS = tuple(header for header, _, _ in COLUMNS)


class CaseloadTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[CaseloadRow] = []
        self._haystack: list[str] = []
        self._shown: list[CaseloadRow] = []
        self._filter = CaseloadFilter()
        # No columns until the first rows: the view hands a model with columns to its
        # header, which then asks `headerData` and makes PySide build its `Qt` namespace
        # (12 ms) before the first paint. See `ui.widgets.columns.label_columns`.
        self._columns = 0
        self._today = date.today()
        #: The column sorted on, and whether it runs from the last to the first.
        self._sort: tuple[int, bool] = (NAME, False)

    # Qt model interface

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._columns

    def data(self, index: _Index, role: int = DISPLAY_ROLE) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._shown)):
            return None
        row = self._shown[index.row()]
        column = index.column()
        if role in (DISPLAY_ROLE, ACCESSIBLE_TEXT_ROLE):
            return COLUMNS[column][1](row)
        if role == CLIENT_ID_ROLE:
            return str(row.id)
        if role == TOOL_TIP_ROLE:
            if column == ADVISORIES and row.advisories:
                return f"{row.advisories} open advisories: open the record to read them"
            if column == FOLLOW_UP and row.next_follow_up and row.next_follow_up < self._today:
                return "Follow-up is overdue"
            return None
        if role == TEXT_ALIGNMENT_ROLE and column == ADVISORIES:
            return ALIGN_CENTER
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY_ROLE
    ) -> Any:
        """For whoever asks the model (screen readers do); the table's own header paints
        from `HEADER_LABELS` without calling into Python."""
        if (
            orientation == QtCore.Qt.Orientation.Horizontal
            and role == DISPLAY_ROLE
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][0]
        return None

    def sort(self, column: int, order: Qt.SortOrder | None = None) -> None:
        """Sort on that column (first to last unless told otherwise)."""
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order == QtCore.Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        self._keep(self._all)
        self._shown = self._apply()
        self.layoutChanged.emit()

    # Our interface

    def set_rows(self, rows: Sequence[CaseloadRow], *, today: date) -> None:
        """Show these rows. Advisory counts already shown carry over to rows that come
        without theirs, until `set_advisories` brings fresh ones."""
        counted = {r.id: r.advisories for r in self._all if r.advisories is not None}
        self.beginResetModel()
        self._keep(
            [
                r._replace(advisories=counted[r.id])
                if r.advisories is None and r.id in counted
                else r
                for r in rows
            ]
        )
        self._today = today
        self._shown = self._apply()
        self._columns = len(COLUMNS)
        self.endResetModel()

    def set_advisories(self, counts: dict[uuid.UUID, int]) -> None:
        """Fill in every row's count of open advisories (clients not in counts have none)."""
        self._all = [r._replace(advisories=counts.get(r.id, 0)) for r in self._all]
        if self._filter.has_advisories or self._sort[0] == ADVISORIES:
            self.beginResetModel()
            self._keep(self._all)
            self._shown = self._apply()
            self.endResetModel()
            return
        self._shown = self._apply()  # same rows, same order: only the counts are new
        if self._shown:
            self.dataChanged.emit(
                self.index(0, ADVISORIES), self.index(len(self._shown) - 1, ADVISORIES)
            )

    def counted(self) -> bool:
        """Whether every row's advisories have been counted."""
        return all(r.advisories is not None for r in self._all)

    def put_row(self, client_id: uuid.UUID, row: CaseloadRow | None) -> None:
        """One client's row after a change to their record (None: they are gone)."""
        at = next((n for n, r in enumerate(self._all) if r.id == client_id), None)
        shown = self.row_of(client_id)
        if row is not None and at is not None and shown is not None and self._stays_at(at, row):
            self._all[at] = row
            self._haystack[at] = _haystack(row)
            self._shown[shown] = row
            self.dataChanged.emit(self.index(shown, 0), self.index(shown, len(COLUMNS) - 1))
            return
        others = [r for r in self._all if r.id != client_id]
        self.beginResetModel()
        self._keep(others if row is None else [*others, row])
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

    def _stays_at(self, position: int, row: CaseloadRow) -> bool:
        """Whether the changed row still passes the filter and still sorts between its
        neighbours in the whole list."""
        if not matches(row, self._filter):
            return False
        key = COLUMNS[self._sort[0]][2]
        before, after = self._all[position - 1 : position], self._all[position + 1 : position + 2]
        if self._sort[1]:
            before, after = after, before
        return all(key(r) <= key(row) for r in before) and all(key(row) <= key(r) for r in after)

    def _keep(self, rows: list[CaseloadRow]) -> None:
        """Hold every row in the shown order, with its text to search folded (accents,
        case and punctuation gone): a keystroke then only folds what was typed and
        filters, never sorts or folds the rows. Rows already held keep their folded text."""
        # Before sorting: `rows` may be `self._all` itself, sorted in place.
        known = {
            (r.name, r.reference): text for r, text in zip(self._all, self._haystack, strict=True)
        }
        column, descending = self._sort
        rows.sort(key=COLUMNS[column][2], reverse=descending)
        self._all = rows
        self._haystack = [known.get((r.name, r.reference)) or _haystack(r) for r in rows]

    def _apply(self) -> list[CaseloadRow]:
        wanted = needle(self._filter.search)
        rest = replace(self._filter, search="")
        if wanted:
            found = [r for r, text in zip(self._all, self._haystack, strict=True) if wanted in text]
        else:
            found = self._all
        return [r for r in found if matches(r, rest)]


def _haystack(row: CaseloadRow) -> str:
    """What search looks in: the name and the reference, folded as `matches` does."""
    return haystack(row.name, row.reference)
