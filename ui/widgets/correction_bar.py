"""Correct…, Strike out… and "Show corrections" for a list of records that can be
corrected (measure results, falls), with the same choices on the list's context menu and
the chosen record's history in words beneath the list."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QWidget,
)


class CorrectionBar(QWidget):
    """The buttons and toggle, in a row; `history_text` is for the tab to place."""

    def __init__(
        self,
        parent: QWidget,
        *,
        what: str,
        things: str,
        made_in_error: str,
        strike_text: str,
        show_text: str,
        history_name: str,
        correct: Callable[[], None],
        strike_out: Callable[[], None],
        show_changed: Callable[[], None],
    ) -> None:
        """`what` names one record ("fall"), `things` several ("falls"); `made_in_error`
        says how a wrong one came about ("logged in error"). `strike_text` and
        `show_text` carry each tab's own mnemonics."""
        super().__init__(parent)
        self.correct_button = QPushButton("&Correct…", self)
        self.correct_button.setToolTip(f"Correct the chosen {what}, with a reason")
        self.correct_button.clicked.connect(lambda: correct())
        self.strike_button = QPushButton(strike_text, self)
        self.strike_button.setToolTip(
            f"Strike out the chosen {what} ({made_in_error}), with a reason"
        )
        self.strike_button.clicked.connect(lambda: strike_out())
        self.show_history = QCheckBox(show_text, self)
        self.show_history.setToolTip(f"Also list {things} corrected since or struck out")
        self.show_history.toggled.connect(lambda _on: show_changed())
        self.history_text = QLabel(parent)
        self.history_text.setWordWrap(True)
        self.history_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history_text.setAccessibleName(history_name)
        self._correct = correct
        self._strike_out = strike_out
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.show_history)
        row.addWidget(self.correct_button)
        row.addWidget(self.strike_button)

    def show_chosen(self, *, can_change: bool, history: str) -> None:
        """Offer Correct… and Strike out… only for a current record; show its history."""
        self.correct_button.setEnabled(can_change)
        self.strike_button.setEnabled(can_change)
        self.history_text.setText(history)

    def offer_menu(self, view: QAbstractItemView, where: QPoint, *, can_change: bool) -> None:
        """The context menu at `where` in the list's viewport, once its row is chosen."""
        menu = QMenu(view)
        correct = menu.addAction(self.correct_button.text(), self._correct)
        strike = menu.addAction(self.strike_button.text(), self._strike_out)
        correct.setEnabled(can_change)
        strike.setEnabled(can_change)
        menu.exec(view.viewport().mapToGlobal(where))
