"""One client's handouts: choose which and how large, see the pages, save or print them.

The snapshot is read and the PDF built on the worker; the preview shows exactly
the bytes that will be saved or printed. Before printing, the dialog names each
printed exercise that an open advisory concerns; printing anyway is allowed.
A handout goes on the client's record (who, when, which, content hash) when it is
printed, or saved as a PDF and the user says it was given now; one recorded in
error can be withdrawn with a reason (see WithdrawHandoutDialog).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.domain.vocabulary import HandoutKind
from therapy_desk.handouts.build import HandoutPdf, build_handout
from therapy_desk.handouts.snapshot import (
    USUAL_KINDS,
    HandoutSnapshot,
    HandoutUnavailable,
    unavailable_reason,
)
from therapy_desk.services.handouts import FlaggedItem, handout_flags, handout_snapshot
from ui.background import Background
from ui.desk import Desk
from ui.dialogs.withdraw_handout import WithdrawHandoutDialog
from ui.forms import ErrorLabel
from ui.handout_output import open_database_files, record_given, save_pdf_as, suggested_name
from ui.screen_fit import scrolling, size_dialog
from ui.widgets.handout_kinds import HandoutKindChecks
from ui.widgets.pdf_pages import PdfPagesView


class HandoutsDialog(QDialog):
    def __init__(self, desk: Desk, client_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.client_id = client_id
        self.snapshot: HandoutSnapshot | None = None
        self.flags: list[FlaggedItem] = []
        self.pdf: HandoutPdf | None = None
        self.background = Background(self)
        self.setWindowTitle("Handouts")
        self.setObjectName("handoutsDialog")

        self.kinds = HandoutKindChecks(self)
        self.large_print = QCheckBox("&Large print: 18 pt and up, one exercise per page", self)
        self.large_print.setAccessibleName("Large print")
        self.problem = ErrorLabel(self)
        self.pages_label = QLabel(self)
        self.pages_label.setAccessibleName("Pages")
        self.recorded = QLabel(self)
        self.recorded.setWordWrap(True)
        self.flagged = QLabel(self)
        self.flagged.setObjectName("flaggedItems")
        self.flagged.setAccessibleName("Exercises with an open advisory")
        self.flagged.setWordWrap(True)
        self.flagged.setTextFormat(Qt.TextFormat.PlainText)
        self.flagged.hide()
        self.preview = PdfPagesView(self)
        self.preview.setAccessibleName("Handout preview")
        self.preview.page_changed.connect(self._show_page_number)

        choose = QGroupBox("Print these handouts", self)
        choose_layout = QVBoxLayout(choose)
        choose_layout.addWidget(self.kinds)
        size = QGroupBox("Size", self)
        size_layout = QVBoxLayout(size)
        self.preference = QLabel(self)
        self.preference.setWordWrap(True)
        size_layout.addWidget(self.large_print)
        size_layout.addWidget(self.preference)

        self.save_button = QPushButton("&Save as PDF…", self)
        self.print_button = QPushButton("&Print…", self)
        self.withdraw_button = QPushButton("&Withdraw a handout given…", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.withdraw_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_)
        self.withdraw_button.clicked.connect(self.withdraw)

        # The choices scroll on a short screen; the preview shrinks; the buttons stay.
        choices = QWidget(self)
        side = QVBoxLayout(choices)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(choose)
        side.addWidget(size)
        side.addWidget(self.problem)
        side.addWidget(self.flagged)
        side.addWidget(self.recorded)
        side.addStretch(1)
        column = QVBoxLayout()
        column.addWidget(scrolling(choices, self), 1)
        column.addWidget(self.pages_label)
        body = QHBoxLayout()
        body.addLayout(column, 0)
        body.addWidget(self.preview, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        size_dialog(self, 1000, 760)

        self._rebuild_soon = QTimer(self, singleShot=True, interval=150)
        self._rebuild_soon.timeout.connect(self._build)
        self.kinds.changed.connect(self._choices_changed)
        self.large_print.toggled.connect(self._choices_changed)
        self._set_ready(False)
        self.pages_label.setText("Reading the record…")
        self.background.run(
            "snapshot",
            self._read,
            self._snapshot_ready,
            self._failed,
            doing="reading the client's record for their handouts",
            known=(HandoutUnavailable,),
        )

    # --- reading and building (worker) ------------------------------------------------------

    def _read(self) -> tuple[HandoutSnapshot, list[FlaggedItem]]:
        today = self.desk.today()
        snapshot = self.desk.read(handout_snapshot, client_id=self.client_id, today=today)
        return snapshot, self.desk.read(handout_flags, snapshot=snapshot, today=today)

    def _snapshot_ready(self, read: tuple[HandoutSnapshot, list[FlaggedItem]]) -> None:
        snapshot, self.flags = read
        self.snapshot = snapshot
        self._show_flags()
        self.setWindowTitle(f"Handouts — {snapshot.client_name}")
        reasons = {
            kind: reason
            for kind in HandoutKind
            if (reason := unavailable_reason(snapshot, kind)) is not None
        }
        self.kinds.set_unavailable(reasons)
        self.large_print.blockSignals(True)
        self.large_print.setChecked(snapshot.prefers_large_print)
        self.large_print.blockSignals(False)
        self.preference.setText(
            "This client prefers large print."
            if snapshot.prefers_large_print
            else "This client's preference is standard print."
        )
        self.kinds.set_chosen(USUAL_KINDS)
        if not self.kinds.chosen():
            self.kinds.set_chosen([HandoutKind.FOLLOW_UP])

    def _show_flags(self) -> None:
        """Name each exercise on the programme that an open advisory concerns."""
        printing = HandoutKind.PROGRAMME in self.kinds.chosen()
        if not self.flags or not printing:
            self.flagged.hide()
            return
        lines = [f"• {flag.sentence()}" for flag in self.flags]
        self.flagged.setText(
            "Check before printing: an open advisory concerns "
            f"{'this exercise' if len(self.flags) == 1 else 'these exercises'}.\n"
            + "\n".join(lines)
            + "\nChange the programme, dismiss the advisory with a reason, or print anyway."
        )
        self.flagged.show()

    def _choices_changed(self) -> None:
        self._show_flags()
        self.recorded.clear()  # "Saved to …" was about the pages before this change
        self.pdf = None
        self._set_ready(False)
        self._rebuild_soon.start()

    def _build(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        kinds, large = self.kinds.chosen(), self.large_print.isChecked()
        if not kinds:
            self.preview.set_pdf(None)
            self.pages_label.setText("Choose at least one handout.")
            return
        self.pages_label.setText("Making the pages…")
        self.background.run(
            "build",
            lambda: build_handout(snapshot, kinds, large_print=large),
            self._built,
            self._failed,
            doing="making the handouts",
            known=(HandoutUnavailable,),
        )

    def _built(self, pdf: HandoutPdf) -> None:
        self.pdf = pdf
        self.problem.say(None)
        self.preview.set_pdf(pdf.pdf)
        self._show_page_number(1)
        self._set_ready(True)

    def _failed(self, error: Exception) -> None:
        self.pages_label.setText("")
        if isinstance(error, HandoutUnavailable):
            self.problem.say(str(error))
            return
        self.problem.say(f"The handout could not be made: {error}")

    # --- output -----------------------------------------------------------------------------

    def _title(self) -> str:
        assert self.pdf is not None and self.snapshot is not None
        return f"Handouts – {self.snapshot.client_name}"

    def save(self) -> None:
        """Save the PDF and record the handouts given: both, or neither."""
        if self.pdf is None:
            return
        name = suggested_name(self._title(), self.desk.today())
        saved = save_pdf_as(self, self.desk, self.pdf.pdf, name, self.pdf.packets)
        if saved is None:
            return
        target, count = saved
        if count:
            self._show_given(f"Saved to {target}.", count)
        else:
            self.recorded.setText(
                f"Saved to {target}. Not recorded as given: print it, or save it again and "
                "say it was given, when the client has it."
            )

    def print_(self) -> None:
        if self.pdf is None:
            return
        from ui.pdf_print import print_pdf

        if print_pdf(
            self.pdf.pdf, self, title=self._title(), protect=open_database_files(self.desk)
        ):
            count = record_given(self.desk, self.pdf.packets, parent=self)
            if count is not None:
                self._show_given("Sent to the printer.", count)
            else:
                self.recorded.setText("Sent to the printer, but not recorded: see the message.")

    def _show_given(self, where: str, count: int) -> None:
        flagged = (
            f" Printed with {words.count(len(self.flags), 'exercise')} an open advisory concerns."
            if self.flags and HandoutKind.PROGRAMME in self.kinds.chosen()
            else ""
        )
        self.recorded.setText(
            f"{where} {words.count(count, 'handout')} added to the client's timeline.{flagged}"
        )

    def withdraw(self) -> None:
        """Mark a handout on record as not given after all, with a reason."""
        WithdrawHandoutDialog(self.desk, client_id=self.client_id, parent=self).exec()

    # --- small things -----------------------------------------------------------------------

    def _set_ready(self, ready: bool) -> None:
        self.save_button.setEnabled(ready)
        self.print_button.setEnabled(ready)

    def _show_page_number(self, page: int) -> None:
        if self.pdf is not None and self.preview.page_count():
            self.pages_label.setText(f"Page {page} of {self.preview.page_count()}")

    def done(self, result: int) -> None:
        self._rebuild_soon.stop()
        self.background.wait(10_000)
        self.preview.set_pdf(None)  # let pdfium close the document now, not at exit
        super().done(result)

    def keyPressEvent(self, event):  # type: ignore[no-untyped-def]  # noqa: N802
        # Page keys belong to the preview wherever the focus is.
        if event.key() in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp) and not self.preview.hasFocus():
            self.preview.keyPressEvent(event)
            return
        super().keyPressEvent(event)
