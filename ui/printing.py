"""The record summary: the therapist's own pages of a client's record, previewed first.

The same preview, printing and saving as the handouts (PdfPagesView, `print_pdf`,
`save_pdf_as`), under the same clinic header; a summary is not a handout, so printing
or saving it puts nothing on the client's record.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from therapy_desk.handouts.snapshot import ClinicHeader
from therapy_desk.services.clinic import clinic_details
from therapy_desk.services.record_view import ClientRecord
from ui.desk import Desk
from ui.handout_output import open_database_files, save_pdf_as, suggested_name


def clinic_header_or_none(desk: Desk) -> ClinicHeader | None:
    details = desk.read(clinic_details)
    if details is None:
        return None
    return ClinicHeader(
        name=details.name, address=details.address, phone=details.phone, logo=details.logo
    )


class RecordSummaryDialog(QDialog):
    """The summary's pages as they will print, with Print… and Save as PDF…."""

    def __init__(self, desk: Desk, record: ClientRecord, parent: QWidget | None = None) -> None:
        from therapy_desk.handouts.record_summary import record_summary_pdf, summary_title
        from ui.screen_fit import size_dialog
        from ui.widgets.pdf_pages import PdfPagesView

        super().__init__(parent)
        self.desk = desk
        self.title = summary_title(record)
        self.setWindowTitle(self.title)
        clinic = clinic_header_or_none(desk)
        self.pdf = record_summary_pdf(record, clinic=clinic, printed_on=desk.today())

        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setVisible(clinic is None)
        self.note.setText(
            "The clinic's name is not printed at the top: add it under Clinic ▸ Clinic "
            "details for handouts."
        )
        self.preview = PdfPagesView(self)
        self.preview.setAccessibleName("Record summary preview")
        self.preview.set_pdf(self.pdf)
        self.done_text = QLabel(self)
        self.done_text.setWordWrap(True)
        self.done_text.setAccessibleName("What was done")

        self.save_button = QPushButton("&Save as PDF…", self)
        self.print_button = QPushButton("&Print…", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setDefault(True)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_)

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.done_text)
        layout.addWidget(buttons)
        size_dialog(self, 820, 680)  # less on a short screen: the preview shrinks
        self.preview.setFocus(Qt.FocusReason.OtherFocusReason)

    def print_(self) -> bool:
        from ui.pdf_print import print_pdf

        printed = print_pdf(
            self.pdf, self, title=self.title, protect=open_database_files(self.desk)
        )
        self.done_text.setText("Sent to the printer." if printed else "")
        return printed

    def save(self) -> None:
        name = suggested_name(self.title, self.desk.today())
        saved = save_pdf_as(self, self.desk, self.pdf, name, title="Save record summary as PDF")
        if saved is not None:
            self.done_text.setText(f"Saved to {saved[0]}.")

    def done(self, result: int) -> None:
        self.preview.set_pdf(None)  # let pdfium close the document now, not at exit
        super().done(result)


def print_record(desk: Desk, record: ClientRecord, parent: QWidget) -> None:
    """Show the record summary's pages, to print or save."""
    RecordSummaryDialog(desk, record, parent).exec()
