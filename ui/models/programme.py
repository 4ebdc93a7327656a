"""A programme revision's items as an editable table: the therapist's draft of the next
revision. Doses are edited inline; problems from the service are shown on their cell."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from therapy_desk.domain.vocabulary import Band, Side
from therapy_desk.services.programmes import ItemSpec

_Index = QModelIndex | QPersistentModelIndex

#: (header, ItemSpec field) per column; the first column is the exercise itself.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Exercise", "exercise"),
    ("Sets", "sets"),
    ("Reps", "reps"),
    ("Hold (s)", "hold_seconds"),
    ("Minutes", "duration_minutes"),
    ("Load (kg)", "load_kg"),
    ("Band", "band"),
    ("Side", "side"),
    ("Days a week", "days_per_week"),
    ("Personal cue", "cue"),
)
FIELDS = [field for _, field in COLUMNS]
ENUM_FIELDS: dict[str, type[Enum]] = {"band": Band, "side": Side}
_WHOLE = {"sets", "reps", "hold_seconds", "duration_minutes", "days_per_week"}
_PROBLEM = re.compile(r"^items\[(\d+)\]\.(\w+)$")


class ProgrammeItemsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[ItemSpec] = []
        self._names: dict[str, str] = {}
        self._editable = True
        self._problems: dict[tuple[int, str], str] = {}

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable and index.isValid() and index.column() > 0:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        field = FIELDS[index.column()]
        problem = self._problems.get((index.row(), field))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if field == "exercise":
                return self._names.get(item.exercise_code, item.exercise_code)
            value = getattr(item, field)
            if value is None:
                return ""
            if isinstance(value, Enum):
                return getattr(value, "label", value.value)
            return f"{value:g}" if isinstance(value, float) else str(value)
        if role == Qt.ItemDataRole.EditRole:
            if field == "exercise":
                return item.exercise_code
            value = getattr(item, field)
            if field in _WHOLE:
                return value or 0
            if field == "load_kg":
                return value or 0.0
            if field in ENUM_FIELDS:
                return value.value if value is not None else ""
            return value or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if problem:
                return problem
            if field in _WHOLE | {"load_kg"}:
                return "0 leaves it empty"
            return None
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            return QBrush(QColor(220, 50, 40, 90))
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() == 0:
            return False
        field = FIELDS[index.column()]
        item = self._items[index.row()]
        new: Any
        if field in _WHOLE:
            new = int(value) if value not in (None, "") else None
            new = None if new == 0 and field != "days_per_week" else new
        elif field == "load_kg":
            new = float(value) if value not in (None, "") else None
            new = None if not new else round(new, 2)
        elif field in ENUM_FIELDS:
            new = ENUM_FIELDS[field](value) if value else None
            if field == "side" and new is None:
                new = Side.BOTH
        else:
            new = str(value).strip() or None
        if getattr(item, field) == new:
            return False
        self._items[index.row()] = replace(item, **{field: new})
        self._problems.pop((index.row(), field), None)
        self.dataChanged.emit(index, index)
        return True

    # Our interface

    def set_items(
        self, items: Sequence[ItemSpec], names: Mapping[str, str], *, editable: bool
    ) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._names = dict(names)
        self._editable = editable
        self._problems = {}
        self.endResetModel()

    def items(self) -> list[ItemSpec]:
        return list(self._items)

    def item(self, row: int) -> ItemSpec:
        return self._items[row]

    def add(self, item: ItemSpec, name: str) -> int:
        row = len(self._items)
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.append(item)
        self._names[item.exercise_code] = name
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row]
        self._problems = {}
        self.endRemoveRows()

    def move(self, row: int, by: int) -> int:
        target = row + by
        if not (0 <= row < len(self._items) and 0 <= target < len(self._items)):
            return row
        self.beginResetModel()
        self._items[row], self._items[target] = self._items[target], self._items[row]
        self._problems = {}
        self.endResetModel()
        return target

    def show_problems(self, errors: Mapping[str, str]) -> list[str]:
        """Mark cells named by the service's items[N].field keys; return the messages
        that belong to no cell, with the row's exercise named in each cell's message."""
        self.beginResetModel()
        self._problems = {}
        general: list[str] = []
        for key, message in errors.items():
            match = _PROBLEM.match(key)
            if match:
                row, field = int(match.group(1)) - 1, match.group(2)
                self._problems[(row, field if field in FIELDS else "exercise")] = message
            else:
                general.append(message)
        self.endResetModel()
        return general

    def problems(self) -> dict[tuple[int, str], str]:
        return dict(self._problems)
