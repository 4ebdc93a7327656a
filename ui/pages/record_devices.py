"""Devices: the client's assistive devices from trial to return, each with its history
and the catalogue's guide to what it is for and how to use it safely."""

from __future__ import annotations

import uuid
from datetime import date
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
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

from therapy_desk import words
from therapy_desk.domain import DeviceAssignment, Trial
from therapy_desk.domain.vocabulary import DEVICE_TRANSITIONS, DeviceStatus, Side
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
from ui.widgets.columns import fit_labels

#: The table's columns, left to right.
COLUMNS = (
    "Device",
    "Side",
    "Status",
    "Started",
    "Ended",
    "Review",
    "Trial",
    "Size / settings",
    "Training given",
)
REVIEW_COLUMN = COLUMNS.index("Review")
TRIAL_COLUMN = COLUMNS.index("Trial")
#: What the panels below the table say before a device is chosen.
NOTHING_CHOSEN = "Choose a device in the table to see its history and guide."


def device_order(devices: list[DeviceAssignment]) -> list[DeviceAssignment]:
    """Devices the client holds first, then given-back ones; newest first within each."""
    newest = sorted(devices, key=lambda d: (d.started_on, d.created_at), reverse=True)
    return sorted(newest, key=lambda d: not d.is_held)


def review_overdue(device: DeviceAssignment, today: date) -> bool:
    return device.is_held and device.review_on is not None and device.review_on < today


def device_trial(trials: list[Trial], device: DeviceAssignment) -> Trial | None:
    """The trial a device's row links to: its open trial, else its latest."""
    mine = [t for t in trials if t.device_assignment_id == device.id]
    mine.sort(key=lambda t: (t.outcome is None, t.started_on, t.created_at))
    return mine[-1] if mine else None


def trial_state(trial: Trial | None, device: DeviceAssignment, today: date) -> str:
    """The Trial column: where the device's trial stands, in a word or two (its review
    date only when it is not the device's own, shown beside)."""
    if trial is None:
        return "None yet" if device.status is DeviceStatus.TRIAL else ""
    if trial.outcome is None:
        if trial.review_on < today:
            return "Overdue"
        if trial.review_on != device.review_on:
            return f"Open, review {words.short_day(trial.review_on)}"
        return "Open"
    if trial.decision is None:
        return "To decide"
    return trial.decision.label


def trial_link(trial: Trial | None, device: DeviceAssignment) -> str:
    """The line above the chosen device's history that links it to its trial (rich text)."""
    if trial is None:
        if device.status is not DeviceStatus.TRIAL:
            return ""
        return "On trial, with no trial written down — <a href='open'>open its trial</a>"
    if trial.outcome is None:
        return f"Trial: review {words.day(trial.review_on)} — <a href='show'>open trial</a>"
    if trial.decision is None or trial.decided_on is None:
        return (
            f"Trial: {escape(words.mid_sentence(trial.outcome.label))}, decision to make — "
            "<a href='show'>open trial</a>"
        )
    return (
        f"Trial: {escape(words.mid_sentence(trial.outcome.label))}, "
        f"{escape(words.mid_sentence(trial.decision.label))} ({words.day(trial.decided_on)}) — "
        "<a href='show'>open trial</a>"
    )


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


class DevicesTab(RecordTab):
    title = "&Devices"
    #: Show this trial (its id) on the Trials tab.
    trial_chosen = Signal(object)
    #: Open the trial of this device (its id), prefilled from it, on the Trials tab.
    trial_wanted = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self._devices: list[DeviceAssignment] = []
        self._trials: list[Trial] = []
        #: The device the Add dialog saved last.
        self._added: uuid.UUID | None = None

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
        self.trial_button = QPushButton("Go to tria&l", self)
        self.trial_button.setAccessibleName("The chosen device's trial")
        self.trial_button.clicked.connect(self.to_trial)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for button in (self.add_button, self.status_button, self.edit_button, self.trial_button):
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
        self.trial_line = QLabel(self)
        self.trial_line.setWordWrap(True)
        self.trial_line.setAccessibleName("The device's trial")
        self.trial_line.setTextFormat(Qt.TextFormat.RichText)
        self.trial_line.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.trial_line.linkActivated.connect(lambda _: self.to_trial())
        self.trial_line.hide()

        self.guide_title = QLabel("G&uide", self)
        self.guide_title.setObjectName("sectionTitle")
        self.guide = QTextBrowser(self)
        self.guide.setAccessibleName("Device guide")
        self.guide.setOpenLinks(False)
        self.guide_title.setBuddy(self.guide)

        below = QSplitter(Qt.Orientation.Horizontal, self)
        below.setChildrenCollapsible(False)
        below.addWidget(_column(self.history_title, self.trial_line, self.notes, self.history))
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
        self._trials = list(record.client.trials)
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
            (trial_state(device_trial(self._trials, device), device, today), None),
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
        for column in range(TRIAL_COLUMN + 1):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 12)
        used = sum(self.table.columnWidth(c) for c in range(TRIAL_COLUMN + 1))
        spare = self.table.viewport().width() - used
        minimum = self.table.fontMetrics().horizontalAdvance("Size / settings") + 24
        self.table.setColumnWidth(TRIAL_COLUMN + 1, max(spare // 2, minimum))
        fit_labels(self.table)  # no column narrower than its header's words

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
            parts.append(f"{words.count(overdue, 'review')} overdue")
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
        trial = device_trial(self._trials, device) if device is not None else None
        link = trial_link(trial, device) if device is not None else ""
        self.trial_line.setText(link)
        self.trial_line.setVisible(bool(link))
        self.trial_button.setText("Go to tria&l" if trial is not None else "Open tria&l…")
        self.trial_button.setEnabled(bool(link))
        self.trial_button.setToolTip(
            "Show this device's trial on the Trials tab"
            if trial is not None
            else "Write the trial of this device on trial: why, how success will be judged"
            if link
            else "Choose a device on trial, or one that was tried"
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
        self.history_title.setText(f"&History of {words.mid_sentence(device_name(device))}")
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
        dialog.accepted.connect(lambda: self._offer_trial(dialog))
        dialog.exec()

    def _offer_trial(self, dialog: AddDeviceDialog) -> None:
        """Saving the device was one action; its trial, offered on the form, is the next:
        the trial dialog opens prefilled from the saved device, linked to it."""
        if self._added is not None and dialog.wants_trial():
            self.trial_wanted.emit(self._added)

    def to_trial(self) -> None:
        """Go to the chosen device's trial, or open one for a device on trial without."""
        device = self.selected()
        if device is None:
            return
        trial = device_trial(self._trials, device)
        if trial is not None:
            self.trial_chosen.emit(trial.id)
        elif device.status is DeviceStatus.TRIAL:
            self.trial_wanted.emit(device.id)

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
        self._added = saved.id
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
