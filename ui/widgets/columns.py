"""Column widths in characters, so tables stay readable when the text gets larger."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer
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
