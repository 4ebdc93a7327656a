"""The outcome-measure catalogue: each measure's range, its meaningful-change threshold
(what kind of figure it is, and whether it is provisional), its fall-risk cut-off and
ceiling, and the published sources behind them."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from therapy_desk.domain.vocabulary import Better
from therapy_desk.library.catalogue import MeasureSpec, measures
from ui.screen_fit import size_dialog
from ui.widgets.measure_chart import change_band, format_amount, threshold_label


def threshold_text(spec: MeasureSpec) -> str:
    """The meaningful-change threshold in words, e.g. '23% better or 31% worse'."""
    if spec.change_percent is not None:
        return f"{spec.change_percent:g}% either way"
    if spec.change_points is not None:
        return f"{format_amount(spec, spec.change_points, exact=True)} either way"
    if spec.change_improve_percent is not None and spec.change_decline_percent is not None:
        return f"{spec.change_improve_percent:g}% better or {spec.change_decline_percent:g}% worse"
    return change_band(spec, spec.min).text


def measure_html(spec: MeasureSpec) -> str:
    """The catalogue entry as the therapist reads it before choosing a measure."""
    better = "lower" if spec.better is Better.LOWER else "higher"
    scale = (
        f"graded {', '.join(spec.grades)}"
        if spec.is_ordinal
        else f"{spec.format_value(spec.min)} to {spec.format_value(spec.max)}"
    )
    extras = []
    if spec.per_side:
        extras.append("recorded for each side")
    if spec.per_region:
        extras.append("recorded for each body region")
    lines = [
        f"<h3>{escape(spec.name)} ({escape(spec.short_name)})</h3>",
        f"<p><b>Range:</b> {escape(scale)}; {better} is better"
        + (f"; {', '.join(extras)}" if extras else "")
        + "</p>",
        f"<p><b>Meaningful change:</b> {escape(threshold_text(spec))} "
        f"({escape(threshold_label(spec).lower())})</p>",
    ]
    if spec.is_provisional:
        lines.append(f"<p><b>Provisional:</b> {escape(spec.provisional_reason)}</p>")
    if spec.fall_risk_at is not None:
        past = "or below" if spec.better is Better.HIGHER else "or above"
        lines.append(
            f"<p><b>Fall risk:</b> a result at {past} "
            f"{escape(spec.format_value(spec.fall_risk_at))}</p>"
        )
    if spec.ceiling_note:
        lines.append(f"<p><b>Ceiling:</b> {escape(spec.ceiling_note)}</p>")
    sources = "".join(
        f"<li>{escape(s.cite)}<br><i>{escape(s.supports)}</i>"
        + (f'<br><a href="{escape(s.url)}">{escape(s.url)}</a>' if s.url else "")
        + "</li>"
        for s in spec.sources
    )
    lines.append(f"<p><b>Sources</b></p><ol>{sources}</ol>")
    return "".join(lines)


class MeasureCatalogue(QDialog):
    """Read-only: pick a measure on the left, read its entry on the right."""

    def __init__(self, parent: QWidget | None = None, *, code: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Outcome measures")
        self.specs = measures()
        self.list = QListWidget(self)
        self.list.setAccessibleName("Outcome measures")
        for spec in sorted(self.specs.values(), key=lambda s: s.name):
            label = spec.name + ("  ·  provisional threshold" if spec.is_provisional else "")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, spec.code)
            self.list.addItem(item)
        self.details = QTextBrowser(self)
        self.details.setAccessibleName("Measure details")
        self.details.setOpenExternalLinks(True)
        self.list.currentItemChanged.connect(self._show_current)
        split = QSplitter(self)
        split.addWidget(self.list)
        split.addWidget(self.details)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        size_dialog(self, 900, 600)
        self.list.setCurrentRow(0)
        if code is not None:
            self.select(code)

    def select(self, code: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == code:
                self.list.setCurrentRow(row)
                return

    def current(self) -> MeasureSpec | None:
        item = self.list.currentItem()
        return self.specs.get(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _show_current(self, *_: object) -> None:
        spec = self.current()
        self.details.setHtml(measure_html(spec) if spec else "")
