"""The home view: this week's follow-ups, trials past their review date, recent falls."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.services.this_week import ThisWeek, WeekItem, this_week
from ui.background import Background
from ui.desk import Changes, Desk


class ThisWeekPage(QWidget):
    client_chosen = Signal(object)  # uuid.UUID

    def __init__(self, desk: Desk, background: Background, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.background = background
        self.title = QLabel("This week", self)
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel(self)
        columns = QHBoxLayout()
        self.follow_ups = self._list("Follow-ups due", columns)
        self.trials = self._list("Trials past their review date", columns)
        self.falls = self._list("Falls in the last 30 days", columns)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(columns, 1)
        desk.changed.connect(self._on_changed)

    def _list(self, heading: str, columns: QHBoxLayout) -> QListWidget:
        label = QLabel(heading, self)
        label.setObjectName("sectionTitle")
        widget = QListWidget(self)
        widget.setAccessibleName(heading)
        widget.setWordWrap(True)
        widget.setAlternatingRowColors(True)
        label.setBuddy(widget)
        widget.itemActivated.connect(self._activated)
        column = QVBoxLayout()
        column.addWidget(label)
        column.addWidget(widget, 1)
        columns.addLayout(column, 1)
        return widget

    def reload(self) -> None:
        today = self.desk.today()
        self.background.run(
            "this-week",
            lambda: self.desk.read(this_week, today=today),
            self._show,
            lambda error: self.subtitle.setText(f"The week's list could not be read: {error}"),
            doing="reading this week's follow-ups, trials and falls",
        )

    def _show(self, week: ThisWeek) -> None:
        today = self.desk.today()
        self.subtitle.setText(
            f"{words.long_day_with_weekday(today)} · "
            f"{words.count(len(week.follow_ups), 'follow-up due', 'follow-ups due')}, "
            f"{words.count(len(week.trials_past_review), 'trial to review', 'trials to review')}, "
            f"{words.count(len(week.recent_falls), 'recent fall')}"
        )
        # A follow-up's line carries its one date in `what` ("Thu 3 Dec", "Tomorrow").
        _fill(self.follow_ups, week.follow_ups, "No follow-ups due this week", dated=False)
        _fill(self.trials, week.trials_past_review, "No trials are past their review date")
        _fill(self.falls, week.recent_falls, "No falls logged in the last 30 days")

    def _activated(self, item: QListWidgetItem) -> None:
        client_id = item.data(Qt.ItemDataRole.UserRole)
        if client_id is not None:
            self.client_chosen.emit(client_id)

    def _on_changed(self, changes: Changes) -> None:
        self.reload()


def _fill(widget: QListWidget, items: list[WeekItem], empty: str, *, dated: bool = True) -> None:
    widget.clear()
    if not items:
        placeholder = QListWidgetItem(empty)
        placeholder.setFlags(Qt.ItemFlag.ItemIsEnabled)
        widget.addItem(placeholder)
        return
    for entry in items:
        when = f"{words.day(entry.on)} · {entry.what}" if dated else entry.what
        item = QListWidgetItem(f"{entry.name}  ({entry.reference})\n{when}")
        item.setData(Qt.ItemDataRole.UserRole, entry.client_id)
        widget.addItem(item)
