"""Withdraw a handout on record ("not given after all"): it stays, marked withdrawn,
with who withdrew it, when and why."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.services.handouts import GivenHandout, handouts_given, withdraw_handout
from ui.desk import Changes, Desk
from ui.forms import Form, text_box
from ui.pages.record_tab import run_action
from ui.screen_fit import size_dialog


def given_line(row: GivenHandout) -> str:
    """'Sat 21 Nov 2026 10:30 · Home exercise programme (large print) · by Ana'."""
    large = " (large print)" if row.large_print else ""
    by = f" · by {row.given_by}" if row.given_by else ""
    at = row.given_at.astimezone()
    return f"{words.day_with_weekday(at.date())} {words.clock(at)} · {row.label}{large}{by}"


class WithdrawHandoutDialog(QDialog):
    def __init__(self, desk: Desk, *, client_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.client_id = client_id
        self.setWindowTitle("Withdraw a handout given")
        self.rows = [r for r in desk.read(handouts_given, client_id=client_id) if not r.withdrawn]
        about = QLabel(
            "Choose a handout recorded as given that the client did not get. It stays on "
            "the record, marked withdrawn, with your name and reason."
            if self.rows
            else "No handout is on this client's record as given.",
            self,
        )
        about.setWordWrap(True)
        self.given = QListWidget(self)
        self.given.setAccessibleName("Handouts given")
        for row in self.rows:
            item = QListWidgetItem(given_line(row))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.given.addItem(item)
        if self.rows:
            self.given.setCurrentRow(0)
        self.form = Form(self)
        self.reason = text_box(80)
        self.form.add("reason", "&Why withdraw it:", self.reason)
        buttons = QDialogButtonBox(self)
        self.withdraw_button = buttons.addButton(
            "&Withdraw", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.withdraw_button.setEnabled(bool(self.rows))
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.given, 1)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        size_dialog(self, 560, 380)

    def chosen(self) -> GivenHandout | None:
        index = self.given.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def save(self) -> None:
        row = self.chosen()
        if row is None:
            return
        saved = run_action(
            self,
            self.desk,
            withdraw_handout,
            Changes(self.client_id, "handout"),
            self.form,
            record_id=row.id,
            reason=self.reason.toPlainText(),
            by=self.desk.user,
            now=self.desk.now(),
            expected_version=row.version,
        )
        if saved is not None:
            self.accept()
