"""A client's record: a header with who they are and what needs attention, then tabs."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from therapy_desk.db.faults import StorageFault
from therapy_desk.domain.vocabulary import ClientStatus
from therapy_desk.services.clients import discharge_client, reactivate_client
from therapy_desk.services.errors import NotFound
from therapy_desk.services.record_view import ClientRecord, read_record
from ui.desk import Changes, Desk
from ui.dialogs.client import ClientDialog
from ui.errors import sentence, warn
from ui.pages.record_devices import DevicesTab
from ui.pages.record_falls import FallsTab
from ui.pages.record_measures import MeasuresTab
from ui.pages.record_overview import OverviewTab
from ui.pages.record_programme import ProgrammeTab
from ui.pages.record_tab import RecordTab, run_action
from ui.pages.record_trials import TrialsTab
from ui.pages.record_weakness import WeaknessTab


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class RecordPage(QWidget):
    closed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.record: ClientRecord | None = None

        self.name = QLabel(self)
        self.name.setObjectName("clientName")
        self.name.setAccessibleName("Client name")
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setAccessibleName("Client summary")
        self.flags = QHBoxLayout()
        self.flags.setSpacing(6)
        self.edit_button = QPushButton("&Edit details…", self)
        self.edit_button.clicked.connect(self.edit_details)
        self.status_button = QPushButton(self)
        self.status_button.clicked.connect(self._toggle_status)
        self.handouts_button = QPushButton("&Handouts…", self)
        self.handouts_button.setToolTip("Preview, save or print this client's handouts (Ctrl+P)")
        self.handouts_button.clicked.connect(self.open_handouts)

        top = QHBoxLayout()
        top.addWidget(self.name, 1)
        top.addWidget(self.handouts_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.status_button)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Client record")
        self.tab_pages: list[RecordTab] = [
            OverviewTab(desk, self),
            WeaknessTab(desk, self),
            ProgrammeTab(desk, self),
            DevicesTab(desk, self),
            TrialsTab(desk, self),
            MeasuresTab(desk, self),
            FallsTab(desk, self),
        ]
        for page in self.tab_pages:
            self.tabs.addTab(page, page.title)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addLayout(self.flags)
        layout.addWidget(self.tabs, 1)
        desk.changed.connect(self._on_changed)

    def tab(self, kind: type[RecordTab]) -> RecordTab:
        return next(t for t in self.tab_pages if isinstance(t, kind))

    @property
    def client_id(self) -> uuid.UUID | None:
        return self.record.client.id if self.record else None

    def open_client(self, client_id: uuid.UUID) -> bool:
        try:
            record = self.desk.read(read_record, client_id=client_id, today=self.desk.today())
        except NotFound as error:
            QMessageBox.warning(self, "Client not found", str(error))
            return False
        except StorageFault as fault:
            warn(self, "Client record", "The record could not be read", sentence(str(fault)))
            return False
        self._show(record)
        return True

    def refresh(self) -> None:
        if self.record is not None and not self.open_client(self.record.client.id):
            self.record = None
            self.closed.emit()

    def has_unsaved_changes(self) -> bool:
        return any(t.has_unsaved_changes() for t in self.tab_pages)

    def save(self) -> bool:
        return all(t.save() for t in self.tab_pages if t.has_unsaved_changes())

    def discard(self) -> None:
        for t in self.tab_pages:
            t.discard()

    def _show(self, record: ClientRecord) -> None:
        self.record = record
        client = record.client
        today = self.desk.today()
        self.name.setText(client.name)
        parts = [client.reference]
        if client.date_of_birth:
            parts.append(f"{age_on(client.date_of_birth, today)} years")
        parts.append(client.ms_course.label)
        parts.append(f"Therapist: {client.primary_therapist or 'not set'}")
        if client.status is ClientStatus.DISCHARGED:
            gone = client.discharged_on
            parts.append(f"Discharged {gone:%d %b %Y}" if gone else "Discharged")
        elif client.next_follow_up:
            parts.append(f"Next follow-up: {client.next_follow_up:%a %d %b %Y}")
        else:
            parts.append("No follow-up booked")
        self.details.setText("  ·  ".join(parts))
        self._set_flags(record, today)
        self.status_button.setText(
            "&Reactivate" if client.status is ClientStatus.DISCHARGED else "Dis&charge…"
        )
        for page in self.tab_pages:
            page.show_record(record)

    def _set_flags(self, record: ClientRecord, today: date) -> None:
        while self.flags.count():
            old = self.flags.takeAt(0).widget()
            if old is not None:
                old.hide()  # deleteLater waits for the event loop; never show it meanwhile
                old.deleteLater()
        client = record.client
        flags: list[tuple[str, str]] = []
        advisories = len(record.open_advisories)
        if advisories:
            flags.append((f"{advisories} advisor{'y' if advisories == 1 else 'ies'}", "warn"))
        overdue = [t for t in client.trials if t.outcome is None and t.review_on < today]
        if overdue:
            flags.append((f"{len(overdue)} trial{'s' if len(overdue) > 1 else ''} overdue", "warn"))
        if client.next_follow_up and client.next_follow_up < today:
            flags.append(("Follow-up overdue", "warn"))
        recent = [f for f in client.falls if f.fell_on >= today - timedelta(days=90)]
        if recent:
            flags.append((f"{len(recent)} fall{'s' if len(recent) > 1 else ''} in 90 days", "warn"))
        if client.large_print:
            flags.append(("Large-print handouts", "info"))
        for text, tone in flags:
            label = QLabel(text, self)
            label.setObjectName("flag")
            label.setProperty("tone", tone)
            label.setAccessibleName(f"Flag: {text}")
            self.flags.addWidget(label)
        self.flags.addStretch(1)

    def edit_details(self) -> None:
        if self.record is None:
            return
        dialog = ClientDialog(self.desk, client=self.record.client, parent=self)
        dialog.exec()

    def open_handouts(self) -> None:
        if self.record is None:
            return
        if self.has_unsaved_changes():
            answer = QMessageBox.question(
                self,
                "Handouts",
                "This record has changes that are not saved yet. Handouts print what is "
                "saved. Save the changes first?",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Ignore
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                return
        from ui.dialogs.handouts import HandoutsDialog

        HandoutsDialog(self.desk, self.record.client.id, self).exec()

    def _toggle_status(self) -> None:
        if self.record is None:
            return
        client = self.record.client
        changes = Changes(client.id, "client")
        if client.status is ClientStatus.DISCHARGED:
            run_action(
                self,
                self.desk,
                reactivate_client,
                changes,
                None,
                client_id=client.id,
                expected_version=client.version,
            )
            return
        answer = QMessageBox.question(
            self,
            "Discharge client",
            f"Discharge {client.name}? Their record is kept and they can be reactivated.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            run_action(
                self,
                self.desk,
                discharge_client,
                changes,
                None,
                client_id=client.id,
                on=self.desk.today(),
                expected_version=client.version,
            )

    def _on_changed(self, changes: Changes) -> None:
        if self.record is not None and changes.client_id == self.record.client.id:
            self.refresh()
