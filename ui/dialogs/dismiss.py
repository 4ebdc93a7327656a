"""Dismiss an advisory: the reason is required and kept with who and when."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from therapy_desk.guidance import Advisory
from therapy_desk.services.advisories import dismiss_advisory
from ui.desk import Changes, Desk
from ui.forms import Form, text_box
from ui.pages.record_tab import run_action
from ui.screen_fit import size_dialog


class DismissDialog(QDialog):
    def __init__(
        self, desk: Desk, *, client_id, advisory: Advisory, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.client_id = client_id
        self.advisory = advisory
        self.setWindowTitle("Dismiss advisory")
        about = QLabel(f"<b>{advisory.title}</b><br>{advisory.reason}", self)
        about.setWordWrap(True)
        self.form = Form(self)
        self.reason = text_box(100)
        self.reason.setPlaceholderText("e.g. Discussed with the client; the weight is for the hip")
        self.form.add("reason", "&Why dismiss it:", self.reason)
        buttons = QDialogButtonBox(self)
        self.dismiss_button = buttons.addButton("&Dismiss", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        size_dialog(self, 480, 260)

    def save(self) -> None:
        saved = run_action(
            self,
            self.desk,
            dismiss_advisory,
            Changes(self.client_id, "advisory"),
            self.form,
            client_id=self.client_id,
            code=self.advisory.code,
            about=self.advisory.about,
            reason=self.reason.toPlainText(),
            by=self.desk.user,
            now=self.desk.now(),
        )
        if saved is not None:
            self.accept()
