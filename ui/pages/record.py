"""A client's record: a header with who they are and what needs attention, then tabs."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.db.faults import StorageFault
from therapy_desk.domain.correction import current
from therapy_desk.domain.vocabulary import ClientStatus
from therapy_desk.services.clients import discharge_client, reactivate_client
from therapy_desk.services.errors import NotFound
from therapy_desk.services.record_view import ClientRecord, read_record
from ui.desk import Changes, Desk
from ui.dialogs.client import ClientDialog
from ui.errors import sentence, slot, warn
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
        self.edit_button.clicked.connect(slot("opening the client's details", self.edit_details))
        self.status_button = QPushButton(self)
        self.status_button.clicked.connect(
            slot("changing the client's status", self._toggle_status)
        )
        self.handouts_button = QPushButton("&Handouts…", self)
        self.handouts_button.setToolTip("Preview, save or print this client's handouts (Ctrl+P)")
        self.handouts_button.clicked.connect(slot("opening the handouts", self.open_handouts))

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
        self._link_devices_and_trials()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addLayout(self.flags)
        layout.addWidget(self.tabs, 1)
        desk.changed.connect(self._on_changed)

    def tab(self, kind: type[RecordTab]) -> RecordTab:
        return next(t for t in self.tab_pages if isinstance(t, kind))

    def _link_devices_and_trials(self) -> None:
        """A device on trial and its trial point at each other across the two tabs."""
        devices, trials = self.tab(DevicesTab), self.tab(TrialsTab)
        assert isinstance(devices, DevicesTab) and isinstance(trials, TrialsTab)

        def show_trial(trial_id: uuid.UUID) -> None:
            self.tabs.setCurrentWidget(trials)
            trials.select_trial(trial_id)

        def open_trial(device_id: uuid.UUID) -> None:
            self.tabs.setCurrentWidget(trials)
            trials.open_device_trial(device_id)

        def show_device(device_id: uuid.UUID) -> None:
            self.tabs.setCurrentWidget(devices)
            devices.select(device_id)

        devices.trial_chosen.connect(show_trial)
        devices.trial_wanted.connect(open_trial)
        trials.device_chosen.connect(show_device)

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

    def unsaved_summary(self) -> str:
        """Where the record's pending edits are: "Programme tab (2 exercises changed)"."""
        return words.listing(
            [t.unsaved_summary() for t in self.tab_pages if t.has_unsaved_changes()]
        )

    def save(self) -> bool:
        """Save every tab's pending edits. When one cannot be saved (a field to correct,
        someone else's change…) the rest wait, and that tab comes to the front with the
        focus at the field its message is about: the user sees why nothing moved on."""
        for tab in self.tab_pages:
            if tab.has_unsaved_changes() and not tab.save():
                self.tabs.setCurrentWidget(tab)
                tab.focus_problem()
                return False
        return True

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
            parts.append(f"Discharged {words.day(gone)}" if gone else "Discharged")
        elif client.next_follow_up:
            parts.append(f"Next follow-up: {words.day_with_weekday(client.next_follow_up)}")
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
            self.flags.addWidget(
                self._advisories_pill(words.count(advisories, "advisory", "advisories"))
            )
        overdue = [t for t in client.trials if t.outcome is None and t.review_on < today]
        if overdue:
            flags.append((f"{words.count(len(overdue), 'trial')} overdue", "warn"))
        if client.next_follow_up and client.next_follow_up < today:
            flags.append(("Follow-up overdue", "warn"))
        recent = [f for f in current(client.falls) if f.fell_on >= today - timedelta(days=90)]
        if recent:
            flags.append((f"{words.count(len(recent), 'fall')} in 90 days", "warn"))
        if client.large_print:
            flags.append(("Large-print handouts", "info"))
        for text, tone in flags:
            label = QLabel(text, self)
            label.setObjectName("flag")
            label.setProperty("tone", tone)
            label.setAccessibleName(f"Flag: {text}")
            self.flags.addWidget(label)
        self.flags.addStretch(1)

    def _advisories_pill(self, text: str) -> QPushButton:
        """The advisories flag is a button: it goes to them on the Overview tab."""
        pill = QPushButton(text, self)
        pill.setObjectName("flag")
        pill.setProperty("tone", "warn")
        pill.setFlat(True)
        pill.setCursor(Qt.CursorShape.PointingHandCursor)
        pill.setToolTip("Show the advisories on the Overview tab")
        pill.setAccessibleName(f"Flag: {text}. Show the advisories")
        pill.clicked.connect(self.show_advisories)
        return pill

    def show_advisories(self) -> None:
        overview = self.tab(OverviewTab)
        self.tabs.setCurrentWidget(overview)
        assert isinstance(overview, OverviewTab)
        overview.show_advisories()

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
