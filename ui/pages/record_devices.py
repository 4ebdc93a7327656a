"""Devices: the client's assistive devices from trial to return, each with its history
and the catalogue's guide to what it is for and how to use it safely."""

from __future__ import annotations

import uuid
from datetime import date
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from therapy_desk.domain import DeviceAssignment
from therapy_desk.domain.vocabulary import DEVICE_TRANSITIONS, Side
from therapy_desk.library.catalogue import device_guides
from therapy_desk.services.devices import assign_device, change_device_status, update_device
from therapy_desk.services.record_view import ClientRecord
from ui.desk import Desk
from ui.dialogs.device import (
    AddDeviceDialog,
    DeviceStatusDialog,
    EditDeviceDialog,
    day,
    device_name,
)
from ui.pages.record_tab import RecordTab

#: The table's columns, left to right.
COLUMNS = (
    "Device",
    "Side",
    "Status",
    "Started",
    "Ended",
    "Review",
    "Size / settings",
    "Training given",
)
REVIEW_COLUMN = COLUMNS.index("Review")
#: What the panels below the table say before a device is chosen.
NOTHING_CHOSEN = "Choose a device in the table to see its history and guide."


def device_order(devices: list[DeviceAssignment]) -> list[DeviceAssignment]:
    """Devices the client holds first, then given-back ones; newest first within each."""
    newest = sorted(devices, key=lambda d: (d.started_on, d.created_at), reverse=True)
    return sorted(newest, key=lambda d: not d.is_held)


def review_overdue(device: DeviceAssignment, today: date) -> bool:
    return device.is_held and device.review_on is not None and device.review_on < today


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


class DevicesTab(RecordTab):
    title = "&Devices"

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self._devices: list[DeviceAssignment] = []

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Devices summary")

        self.add_button = QPushButton("&Add device…", self)
        self.add_button.setAccessibleName("Add device")
        self.status_button = QPushButton("Change &status…", self)
        self.status_button.setAccessibleName("Change status")
        self.edit_button = QPushButton("Ed&it…", self)
        self.edit_button.setAccessibleName("Edit device")
        self.add_button.clicked.connect(self.add)
        self.status_button.clicked.connect(self.change_status)
        self.edit_button.clicked.connect(self.edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for button in (self.add_button, self.status_button, self.edit_button):
            buttons.addWidget(button)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setAccessibleName("Devices")
        self.table.setAccessibleDescription("Press Enter to edit the chosen device")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.viewport().installEventFilter(self)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.table.doubleClicked.connect(lambda *_: self.edit())
        self.table.installEventFilter(self)

        self.history_title = QLabel("&History", self)
        self.history_title.setObjectName("sectionTitle")
        self.history = QListWidget(self)
        self.history.setAccessibleName("Status history")
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        self.history.setSpacing(2)
        self.history_title.setBuddy(self.history)
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Device notes")
        self.notes.hide()

        self.guide_title = QLabel("G&uide", self)
        self.guide_title.setObjectName("sectionTitle")
        self.guide = QTextBrowser(self)
        self.guide.setAccessibleName("Device guide")
        self.guide.setOpenLinks(False)
        self.guide_title.setBuddy(self.guide)

        below = QSplitter(Qt.Orientation.Horizontal, self)
        below.setChildrenCollapsible(False)
        below.addWidget(_column(self.history_title, self.notes, self.history))
        below.addWidget(_column(self.guide_title, self.guide))
        below.setStretchFactor(0, 2)
        below.setStretchFactor(1, 3)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(below)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        self._chosen()

    # Showing the record

    def show_record(self, record: ClientRecord) -> None:
        same_client = self.record is not None and self.record.client.id == record.client.id
        keep = self.selected_id() if same_client else None
        super().show_record(record)
        today = self.desk.today()
        self._devices = device_order(list(record.client.devices))
        self.table.clearSelection()
        self.table.setRowCount(len(self._devices))
        for row, device in enumerate(self._devices):
            self._fill_row(row, device, today)
        self._say_summary(today)
        self._fit_columns()
        self.select(keep)
        self._chosen()

    def _fill_row(self, row: int, device: DeviceAssignment, today: date) -> None:
        review = day(device.review_on) if device.review_on else ""
        overdue = review_overdue(device, today)
        if overdue:
            review = f"{review} — overdue"
        cells = (
            (device.kind.label, None),
            ("" if device.side is Side.NONE else device.side.label, None),
            (device.status.label, None),
            (day(device.started_on), None),
            (day(device.ended_on) if device.ended_on else "", None),
            (review, None),
            (_one_line(device.size_settings), device.size_settings),
            (_one_line(device.training_given), device.training_given),
        )
        for column, (text, full) in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, device.id)
            if full:
                item.setToolTip(full)
            if not device.is_held:
                item.setForeground(self.palette().placeholderText())
            self.table.setItem(row, column, item)
        if overdue:
            flagged = self.table.item(row, REVIEW_COLUMN)
            font = flagged.font()
            font.setBold(True)
            flagged.setFont(font)
            flagged.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            flagged.setToolTip("The review date has passed: see how the device is working")

    def _fit_columns(self) -> None:
        """Short columns fit their contents; the two free-text columns share what is left."""
        for column in range(REVIEW_COLUMN + 1):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 12)
        used = sum(self.table.columnWidth(c) for c in range(REVIEW_COLUMN + 1))
        spare = self.table.viewport().width() - used
        minimum = self.table.fontMetrics().horizontalAdvance("Size / settings") + 24
        self.table.setColumnWidth(REVIEW_COLUMN + 1, max(spare // 2, minimum))

    def _say_summary(self, today: date) -> None:
        if not self._devices:
            self.summary.setText("No devices recorded yet. Add one to start a trial.")
            return
        held = sum(d.is_held for d in self._devices)
        given_back = len(self._devices) - held
        parts = [f"{held} held" if held else "none held now"]
        if given_back:
            parts.append(f"{given_back} returned or stopped")
        overdue = sum(review_overdue(d, today) for d in self._devices)
        if overdue:
            parts.append(f"{overdue} review{'s' if overdue > 1 else ''} overdue")
        self.summary.setText(" · ".join(parts))

    # The chosen device

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return value if isinstance(value, uuid.UUID) else None

    def selected(self) -> DeviceAssignment | None:
        wanted = self.selected_id()
        return next((d for d in self._devices if d.id == wanted), None)

    def select(self, device_id: uuid.UUID | None) -> None:
        for row, device in enumerate(self._devices):
            if device.id == device_id:
                self.table.selectRow(row)
                self.table.setCurrentCell(row, 0)
                return

    def _chosen(self) -> None:
        device = self.selected()
        self.add_button.setEnabled(self.record is not None)
        self.edit_button.setEnabled(device is not None)
        self.status_button.setEnabled(
            device is not None and bool(DEVICE_TRANSITIONS[device.status])
        )
        self._show_history(device)
        self._show_guide(device)

    def _show_history(self, device: DeviceAssignment | None) -> None:
        self.history.clear()
        notes = device.notes if device is not None else None
        self.notes.setText(f"Notes: {notes}" if notes else "")
        self.notes.setVisible(bool(notes))
        if device is None:
            self.history_title.setText("&History")
            self._placeholder(self.history, NOTHING_CHOSEN)
            return
        self.history_title.setText(f"&History of {device_name(device).lower()}")
        for change in device.history:
            line = f"{day(change.changed_on)} · {change.status.label}"
            if change.changed_by:
                line += f" · by {change.changed_by}"
            if change.note:
                line += f"\n{change.note}"
            self.history.addItem(QListWidgetItem(line))
        if not DEVICE_TRANSITIONS[device.status]:
            self._placeholder(self.history, "No further status: the device has been given back.")

    @staticmethod
    def _placeholder(widget: QListWidget, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setForeground(widget.palette().placeholderText())
        widget.addItem(item)

    def _show_guide(self, device: DeviceAssignment | None) -> None:
        guide = device_guides().get(device.kind) if device is not None else None
        if guide is None:
            self.guide.setHtml(f"<p>{escape(NOTHING_CHOSEN)}</p>" if device is None else "")
            return
        safety = "".join(f"<li>{escape(point)}</li>" for point in guide.safety)
        self.guide.setHtml(
            f"<h3>{escape(guide.name)}</h3><p>{escape(guide.purpose)}</p>"
            f"<p><b>Safety</b></p><ul>{safety}</ul>"
        )

    # Keyboard: Enter on the table edits the chosen device, on every platform.

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.edit()
            return True
        return super().eventFilter(watched, event)

    # Actions: each Save is one service call in one transaction.

    def add(self) -> None:
        if self.record is None:
            return
        dialog = AddDeviceDialog(today=self.desk.today(), on_save=self._save_new, parent=self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.exec()

    def _save_new(self, dialog: AddDeviceDialog) -> bool:
        values = dialog.values()
        saved = self.act(
            assign_device,
            changed="devices",
            form=dialog.form,
            client_id=self.client_id,
            by=self.desk.user,
            **values,
        )
        if saved is None:
            return False
        self.select(saved.id)
        return True

    def change_status(self) -> None:
        device = self.selected()
        if device is None or not DEVICE_TRANSITIONS[device.status]:
            return
        dialog = DeviceStatusDialog(
            device,
            today=self.desk.today(),
            on_save=lambda d: self._save_status(device.id, device.version, d),
            parent=self,
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.exec()

    def _save_status(self, device_id: uuid.UUID, version: int, dialog: DeviceStatusDialog) -> bool:
        saved = self.act(
            change_device_status,
            changed="devices",
            form=dialog.form,
            assignment_id=device_id,
            expected_version=version,
            by=self.desk.user,
            **dialog.values(),
        )
        return saved is not None

    def edit(self) -> None:
        device = self.selected()
        if device is None:
            return
        dialog = EditDeviceDialog(
            device, on_save=lambda d: self._save_edit(device.id, device.version, d), parent=self
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.exec()

    def _save_edit(self, device_id: uuid.UUID, version: int, dialog: EditDeviceDialog) -> bool:
        saved = self.act(
            update_device,
            changed="devices",
            form=dialog.form,
            assignment_id=device_id,
            expected_version=version,
            **dialog.values(),
        )
        return saved is not None


def _column(*widgets: QWidget) -> QWidget:
    """Widgets stacked in a column; the last one takes the spare height."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    for widget in widgets[:-1]:
        column.addWidget(widget)
    column.addWidget(widgets[-1], 1)
    return holder
