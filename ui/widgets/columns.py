"""Column widths in characters, so tables stay readable when the text gets larger."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QTableView, QTreeView


def fit_columns(view: QTableView | QTreeView, characters: Sequence[int]) -> None:
    """Set each column to about that many average characters of the view's font."""
    width = view.fontMetrics().averageCharWidth()
    header: QHeaderView = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    for column, count in enumerate(characters):
        header.resizeSection(column, count * width + 16)


def refit_later(view: QTableView | QTreeView, characters: Sequence[int]) -> None:
    """After a font change: the view hears of the new font after its parent does."""
    QTimer.singleShot(0, view, lambda: fit_columns(view, characters))


def label_columns(view: QTableView, labels: Sequence[str]) -> None:
    """Give the table's column header a plain Qt model of its labels, so painting it never
    calls into Python: a Python `headerData` is asked for every section and role on every
    header paint, and the first ask makes PySide build its whole `Qt` namespace (12 ms at
    start-up). Call it after `setModel`, which hands the header the view's model (and
    asks that model's `headerData` if it has columns by then)."""
    names = QStandardItemModel(0, len(labels), view)
    names.setHorizontalHeaderLabels(list(labels))
    view.horizontalHeader().setModel(names)
