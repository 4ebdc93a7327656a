"""Where finished handouts go: a PDF file the user names, or the printer — then on record.

Shared by the client's Handouts dialog and the admin's batch; ReportLab and pdfium
are imported only here and in the dialogs, never at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from therapy_desk.files import write_atomically
from therapy_desk.handouts.build import PacketResult
from therapy_desk.services.handouts import record_handouts_given
from ui.desk import Changes, Desk


def suggested_name(title: str, on: date) -> str:
    """A file name from a title, safe on every platform: 'Handouts – Zoë Ł… – 2026-11-21.pdf'."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title).strip()
    cleaned = re.sub(r"\s+", " ", cleaned)[:80].rstrip(" .")
    return f"{cleaned} – {on.isoformat()}.pdf"


def save_pdf_as(parent: QWidget, data: bytes, name: str) -> Path | None:
    """Ask where, then write all of the PDF or nothing; None when cancelled or refused."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Save handouts as PDF", str(Path(folder) / name), "PDF files (*.pdf)"
    )
    if not chosen:
        return None
    target = Path(chosen)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    try:
        write_atomically(target, data)
    except OSError as problem:
        QMessageBox.warning(
            parent,
            "Save handouts",
            f"The PDF could not be saved to {target} ({problem.strerror}). "
            "Choose another folder, or free some space, and save again.",
        )
        return None
    return target


def record_given(desk: Desk, packets: Sequence[PacketResult]) -> int:
    """Put every handout given on its client's record, in one transaction."""
    given = [p for p in packets if p.given]
    if not given:
        return 0
    client_ids = {p.snapshot.client_id for p in given}
    only = next(iter(client_ids)) if len(client_ids) == 1 else None
    desk.act(
        record_handouts_given,
        changes=Changes(only, "handout"),
        packets=given,
        by=desk.user,
        now=desk.now(),
    )
    return sum(len(p.given) for p in given)
