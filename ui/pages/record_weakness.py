"""Weakness: the findings table beside a body map coloured by source and side."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.domain import WeaknessFinding
from therapy_desk.domain.vocabulary import Side
from therapy_desk.services.findings import remove_finding
from therapy_desk.services.record_view import ClientRecord
from ui.desk import Desk
from ui.dialogs.finding import FindingDialog
from ui.pages.record_tab import RecordTab
from ui.widgets.body_map import BodyMapWidget
from ui.widgets.columns import fit_columns, refit_later

#: Region, side, source, MRC, fatigue, relapse, onset, resolved.
FINDING_COLUMN_CHARACTERS = (16, 6, 24, 4, 7, 7, 11, 11)


def _finding_order(f: WeaknessFinding) -> tuple[bool, str, str]:
    return (f.resolved_on is not None, f.region.value, f.side.value)


class WeaknessTab(RecordTab):
    title = "&Weakness"

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.table = QTreeWidget(self)
        self.table.setAccessibleName("Weakness findings")
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHeaderLabels(
            ["Region", "Side", "Source", "MRC", "Fatigue", "Relapse", "Onset", "Resolved", "Notes"]
        )
        fit_columns(self.table, FINDING_COLUMN_CHARACTERS)
        self.table.itemActivated.connect(lambda *_: self.edit())
        self.table.itemSelectionChanged.connect(self._enable)
        self.add_button = QPushButton("&Add finding…", self)
        self.edit_button = QPushButton("Ed&it…", self)
        self.remove_button = QPushButton("Re&move", self)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.remove_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.body_map = BodyMapWidget(self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(buttons)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(self.body_map)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self._findings: list[WeaknessFinding] = []
        self._enable()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            refit_later(self.table, FINDING_COLUMN_CHARACTERS)

    def show_record(self, record: ClientRecord) -> None:
        super().show_record(record)
        self._findings = sorted(record.client.findings, key=_finding_order)
        self.table.clear()
        for f in self._findings:
            item = QTreeWidgetItem(
                [
                    f.region.label,
                    "" if f.side is Side.NONE else f.side.label,
                    f.cause.label,
                    "" if f.strength_grade is None else str(f.strength_grade),
                    "Yes" if f.fatigue_linked else "",
                    "Yes" if f.during_relapse else "",
                    words.day_or(f.onset_on, ""),
                    words.day_or(f.resolved_on, "open"),
                    f.notes or "",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, f.id)
            if f.resolved_on is not None:
                for column in range(item.columnCount()):
                    item.setForeground(column, self.palette().placeholderText())
            self.table.addTopLevelItem(item)
        self.body_map.set_findings(record.client.findings)
        self._enable()

    def selected(self) -> WeaknessFinding | None:
        items = self.table.selectedItems()
        if not items:
            return None
        wanted = items[0].data(0, Qt.ItemDataRole.UserRole)
        return next((f for f in self._findings if f.id == wanted), None)

    def _enable(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def add(self) -> None:
        FindingDialog(self.desk, client_id=self.client_id, parent=self).exec()

    def edit(self) -> None:
        finding = self.selected()
        if finding is not None:
            FindingDialog(self.desk, client_id=self.client_id, finding=finding, parent=self).exec()

    def remove(self) -> None:
        finding = self.selected()
        if finding is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove finding",
            "Remove this finding? If the weakness has gone, Edit and set a resolved date "
            "instead: that keeps it in the history.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.act(
                remove_finding,
                changed="finding",
                finding_id=finding.id,
                expected_version=finding.version,
            )
