"""Asking the user which clinic database file to open (the welcome screen, File ▸ Open)."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget


def choose_database_file(parent: QWidget) -> str | None:
    """The file the user picked, or None if they cancelled."""
    path, _ = QFileDialog.getOpenFileName(
        parent,
        "Open a clinic database",
        "",
        "Therapy Desk database (*.sqlite3 *.db);;All files (*)",
    )
    return path or None
