"""Who is using Therapy Desk on this computer: asked once at first start, changed from
File ▸ Clinician…, and stamped on what they record. Kept on this computer only (see
therapy_desk.workstation), never in the clinic's database."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import workstation
from therapy_desk.services.errors import ValidationError
from therapy_desk.workstation import Clinician
from ui.forms import Form

#: What the dialog explains, under its question.
EXPLANATION = (
    "Your name goes on what you record here — programme revisions, devices issued, "
    "trials decided, handouts given, advisories dismissed — so each record shows who "
    "did what. It is kept on this computer only, not in the clinic's database. "
    "To change it later: File ▸ Clinician…"
)


class ClinicianDialog(QDialog):
    """Name and optional role or initials. At first start (`required`) there is no
    Cancel: every record needs a name, and it is never guessed from the login."""

    def __init__(
        self,
        current: Clinician | None = None,
        *,
        required: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.required = required
        #: Who was saved, once Save succeeds.
        self.chosen: Clinician | None = None
        #: Why the name could not be kept on this computer (it is still used this time).
        self.not_kept: str | None = None
        self.setWindowTitle("Clinician — Therapy Desk")
        self.setObjectName("clinicianDialog")

        question = QLabel("Who is using Therapy Desk on this computer?", self)
        question.setObjectName("sectionTitle")
        question.setWordWrap(True)
        about = QLabel(EXPLANATION, self)
        about.setWordWrap(True)
        self.form = Form(self)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("e.g. Ana García")
        self.role = QLineEdit(self)
        self.role.setPlaceholderText("optional, e.g. OT, PT or your initials")
        self.form.add(
            "name", "&Your name:", self.name, hint="As it should appear on what you record"
        )
        self.form.add(
            "role",
            "&Role or initials:",
            self.role,
            hint="Shown after your name on records, e.g. “Ana García (OT)”",
        )
        if current is not None:
            self.name.setText(current.name)
            self.role.setText(current.role or "")

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        if not required:
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(about)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.name.setFocus()

    def save(self) -> None:
        try:
            who = workstation.clinician(self.name.text(), self.role.text())
        except ValidationError as invalid:
            self.form.show_errors(invalid.errors)
            return
        try:
            workstation.remember(who)
        except OSError as problem:  # a read-only home: used now, asked again next time
            self.not_kept = problem.strerror or type(problem).__name__
        self.chosen = who
        self.accept()

    def reject(self) -> None:
        """Escape, Cancel or the window's close button: not at first start."""
        if not self.required:
            super().reject()
