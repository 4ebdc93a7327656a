"""A check box for each kind of handout, with why a kind cannot be printed when it cannot."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from therapy_desk.domain.vocabulary import HandoutKind

_KEYS = {
    HandoutKind.PROGRAMME: "&Home exercise programme",
    HandoutKind.DEVICES: "&Device guide",
    HandoutKind.HOME_SAFETY: "Home &safety and falls checklist",
    HandoutKind.ENERGY: "&Energy, heat and daily routine",
    HandoutKind.WEAKNESS: "&Why your muscles are weak, and what helps",
    HandoutKind.FOLLOW_UP: "&Follow-up plan",
}


class HandoutKindChecks(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[HandoutKind, QCheckBox] = {}
        self.reasons: dict[HandoutKind, QLabel] = {}
        for kind in HandoutKind:
            box = QCheckBox(_KEYS[kind], self)
            box.setAccessibleName(kind.label)
            box.toggled.connect(lambda _on: self.changed.emit())
            reason = QLabel(self)
            reason.setWordWrap(True)
            reason.setIndent(24)
            reason.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            reason.hide()
            layout.addWidget(box)
            layout.addWidget(reason)
            self.boxes[kind] = box
            self.reasons[kind] = reason

    def chosen(self) -> list[HandoutKind]:
        return [kind for kind, box in self.boxes.items() if box.isChecked() and box.isEnabled()]

    def set_chosen(self, kinds: Iterable[HandoutKind]) -> None:
        wanted = set(kinds)
        self.blockSignals(True)
        for kind, box in self.boxes.items():
            box.setChecked(kind in wanted and box.isEnabled())
        self.blockSignals(False)
        self.changed.emit()

    def set_unavailable(self, reasons: Mapping[HandoutKind, str]) -> None:
        """Grey out kinds that cannot print for this client, saying why under each."""
        for kind, box in self.boxes.items():
            reason = reasons.get(kind)
            box.setEnabled(reason is None)
            label = self.reasons[kind]
            label.setText(reason or "")
            label.setVisible(reason is not None)
            box.setToolTip(reason or "")
