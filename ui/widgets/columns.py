"""Column widths in characters, so tables stay readable when the text gets larger."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTableView,
    QTreeView,
    QWidget,
)

#: Pixels beyond a label's text and margins, so it never touches the next column's edge.
LABEL_SLACK = 4


def fit_columns(
    view: QTableView | QTreeView,
    characters: Sequence[int],
    labels: Sequence[str] | None = None,
) -> None:
    """Set each column to about that many average characters of the view's font, and
    never narrower than its label (columns past `characters` are sized to their label).

    Give `labels` when they are known: asking the model for them names Qt's enums, and
    the first such use builds PySide's whole `Qt` namespace (12 ms), which start-up
    leaves until after the caseload paints (tests/ui/test_startup.py)."""
    width = view.fontMetrics().averageCharWidth()
    header = _header(view)
    for column, count in enumerate(characters):
        text = labels[column] if labels is not None else None
        header.resizeSection(column, max(count * width + 16, label_width(header, column, text)))
    if labels is None:
        fit_labels(view, start=len(characters))
    else:
        for column in range(len(characters), len(labels)):
            needed = label_width(header, column, labels[column])
            if header.sectionSize(column) < needed:
                header.resizeSection(column, needed)


def fit_labels(view: QTableView | QTreeView, *, start: int = 0) -> None:
    """Widen each column from `start` on that is narrower than its label, at the
    header's font now (call it again after the font changes: see `refit_later`)."""
    header = _header(view)
    for column in range(start, header.count()):
        needed = label_width(header, column)
        if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
            # It takes what the others leave, whenever they change: never less than this.
            if header.minimumSectionSize() < needed:
                header.setMinimumSectionSize(needed)
        elif header.sectionSize(column) < needed:
            header.resizeSection(column, needed)


def labels_whole_later(root: QWidget) -> None:
    """After the text size changes: widen every column under `root` that has become
    narrower than its label (once the views have heard of the new font)."""

    def widen() -> None:
        for view in root.findChildren(QAbstractItemView):
            if isinstance(view, QTableView | QTreeView):
                fit_labels(view)

    QTimer.singleShot(0, root, widen)


def label_width(header: QHeaderView, column: int, text: str | None = None) -> int:
    """The width a column needs to show its whole label: the text at the header's font,
    the style's margins either side, and room for a sort arrow where one can show."""
    if text is None:
        model = header.model()
        text = model.headerData(column, header.orientation()) if model is not None else None
    if not text:
        return 0
    metrics = header.fontMetrics()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    width = max(metrics.horizontalAdvance(line) for line in str(text).splitlines())
    arrow = metrics.height() if header.isSortIndicatorShown() else 0
    return width + 2 * margin + arrow + LABEL_SLACK


def _header(view: QTableView | QTreeView) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


def refit_later(view: QTableView | QTreeView, characters: Sequence[int]) -> None:
    """After a font change: the view (and its header) hear of the new font after its
    parent does."""
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
