"""New client and Edit details: the same form, one transaction on Save."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from therapy_desk.domain import Client
from therapy_desk.domain.vocabulary import MSCourse
from therapy_desk.services.clients import (
    ClientDetails,
    create_client,
    load_record,
    next_reference,
    update_client,
)
from therapy_desk.typed_dates import DateKind
from ui.desk import Changes, Desk
from ui.forms import Form, date_edit, date_value, set_date, text_box, text_or_none
from ui.pages.record_tab import run_action
from ui.screen_fit import size_dialog
from ui.widgets.choices import EnumCombo


class ClientDialog(QDialog):
    """`client=None` creates a new client; `saved_id` holds its id after Save."""

    def __init__(self, desk: Desk, *, client: Client | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.client = client
        self.saved_id: uuid.UUID | None = None
        self.setWindowTitle("Edit client details" if client else "New client")
        self.form = Form(self)
        f = self.form
        self.reference = f.add("reference", "&Reference:", QLineEdit())
        self.name = f.add("name", "&Name:", QLineEdit())
        self.date_of_birth = f.add(
            "date_of_birth",
            "Date of &birth:",
            date_edit(optional=True, kind=DateKind.BIRTH, today=desk.today),
        )
        self.ms_course = f.add("ms_course", "MS &course:", EnumCombo(MSCourse))
        year = QSpinBox()
        year.setRange(1899, desk.today().year)
        year.setSpecialValueText("Not known")
        self.diagnosis_year = f.add("diagnosis_year", "Year of &diagnosis:", year)
        self.therapist = f.add("primary_therapist", "&Therapist:", QLineEdit())
        self.follow_up = f.add(
            "next_follow_up", "Next &follow-up:", date_edit(optional=True, today=desk.today)
        )
        self.phone = f.add("phone", "&Phone:", QLineEdit())
        self.email = f.add("email", "E&mail:", QLineEdit())
        address = text_box(60)
        self.address = f.add("address", "&Address:", address)
        self.large_print = f.add(
            "large_print", "Handouts:", QCheckBox("&Large print (18 pt and up)")
        )
        self.heat_sensitive = f.add(
            "heat_sensitive", "Flags:", QCheckBox("&Heat brings on weakness or fatigue")
        )
        self.ot_involved = f.add(
            "ot_involved", "", QCheckBox("An occupational therapist &works with the client")
        )
        for box in (self.heat_sensitive, self.ot_involved):
            box.setAccessibleName(box.text().replace("&", ""))
        notes = text_box(70)
        self.notes = f.add("notes", "N&otes:", notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self._fill()
        self._initial = self._details()
        size_dialog(self, 520)

    def _fill(self) -> None:
        c = self.client
        if c is None:
            self.reference.setText(self.desk.read(next_reference))
            self.therapist.setText(self.desk.user or "")
            self.diagnosis_year.setValue(self.diagnosis_year.minimum())
            # Not known until the therapist says (the combo would otherwise offer its first
            # entry, a diagnosis nobody chose).
            self.ms_course.set_value(MSCourse.UNKNOWN)
            self.name.setFocus()
            return
        self.reference.setText(c.reference)
        self.name.setText(c.name)
        set_date(self.date_of_birth, c.date_of_birth)
        self.ms_course.set_value(c.ms_course)
        self.diagnosis_year.setValue(c.diagnosis_year or self.diagnosis_year.minimum())
        self.therapist.setText(c.primary_therapist or "")
        set_date(self.follow_up, c.next_follow_up)
        self.phone.setText(c.phone or "")
        self.email.setText(c.email or "")
        self.address.setPlainText(c.address or "")
        self.large_print.setChecked(c.large_print)
        self.heat_sensitive.setChecked(c.heat_sensitive)
        self.ot_involved.setChecked(c.ot_involved)
        self.notes.setPlainText(c.notes or "")

    def _details(self) -> ClientDetails:
        year = self.diagnosis_year.value()
        return ClientDetails(
            reference=self.reference.text(),
            name=self.name.text(),
            date_of_birth=date_value(self.date_of_birth),
            phone=text_or_none(self.phone),
            email=text_or_none(self.email),
            address=text_or_none(self.address),
            ms_course=self.ms_course.value() or MSCourse.UNKNOWN,
            diagnosis_year=None if year == self.diagnosis_year.minimum() else year,
            primary_therapist=text_or_none(self.therapist),
            next_follow_up=date_value(self.follow_up),
            large_print=self.large_print.isChecked(),
            heat_sensitive=self.heat_sensitive.isChecked(),
            ot_involved=self.ot_involved.isChecked(),
            language=self.client.language if self.client else "en",
            notes=text_or_none(self.notes),
        )

    def has_unsaved_changes(self) -> bool:
        return self._details() != self._initial

    def save(self) -> None:
        details = self._details()
        kwargs: dict[str, Any] = {"details": details, "today": self.desk.today()}
        if self.client is None:
            created = run_action(
                self,
                self.desk,
                create_client,
                Changes(None, "client"),
                self.form,
                doing="adding a client",
                **kwargs,
            )
            if created is None:
                return
            self.saved_id = created.id
        else:
            updated = run_action(
                self,
                self.desk,
                update_client,
                Changes(self.client.id, "client"),
                self.form,
                on_reload=self.reload,
                doing="saving the client's details",
                client_id=self.client.id,
                expected_version=self.client.version,
                **kwargs,
            )
            if updated is None:
                return
            self.saved_id = updated.id
        self.accept()

    def reload(self) -> None:
        """Show the client as saved now (someone else changed them), dropping the edit."""
        assert self.client is not None
        self.client = self.desk.read(load_record, client_id=self.client.id)
        self._fill()
        self._initial = self._details()
        self.desk.changed.emit(Changes(self.client.id, "client"))

    def reject(self) -> None:
        if self.has_unsaved_changes():
            answer = QMessageBox.question(
                self,
                "Discard changes?",
                "You have typed details that are not saved. Discard them?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
